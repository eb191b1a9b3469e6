import QtQuick

// Language first: each language named in its own script, as big buttons.
ScrollPage {
    id: screen
    objectName: "screen.language"
    // The page is read once: screens are rebuilt whenever it changes.
    readonly property var page: kiosk.page
    property bool portrait: true
    maxWidth: 1200

    Repeater {
        model: page.prompts || []
        Text {
            width: parent.width
            text: modelData
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.Wrap
            font.family: Theme.fontFamily
            font.pixelSize: Theme.heading
            color: Theme.muted
        }
    }
    Item { width: 1; height: 16 }
    Grid {
        id: grid
        width: parent.width
        columns: screen.portrait ? 1 : 2
        spacing: Theme.spacing
        Repeater {
            model: page.languages || []
            BigButton {
                objectName: "language." + modelData.id
                width: (grid.width - (grid.columns - 1) * grid.spacing) / grid.columns
                minHeight: 150
                fontSize: Theme.large ? 64 : 56
                text: modelData.name
                fill: modelData.id === kiosk.language && kiosk.screen === "language" && kiosk.canGoBack
                      ? Theme.accent : Theme.surface
                onClicked: kiosk.chooseLanguage(modelData.id)
            }
        }
    }
}
