pragma ComponentBehavior: Bound
import QtQuick

// Language first: each language named in its own script, as big buttons.
ScrollPage {
    id: screen
    objectName: "screen.language"
    readonly property var page: Kiosk.languagePage
    property bool portrait: true
    maxWidth: 1200

    Repeater {
        model: screen.page.prompts
        Text {
            required property string modelData
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
            model: screen.page.languages
            BigButton {
                id: languageButton
                required property var modelData
                objectName: "language." + modelData.id
                width: (grid.width - (grid.columns - 1) * grid.spacing) / grid.columns
                minHeight: 150
                fontSize: Theme.large ? 64 : 56
                text: modelData.name
                fill: modelData.current ? Theme.accent : Theme.surface
                onClicked: Kiosk.chooseLanguage(modelData.id)
                ListenButton { language: languageButton.modelData.id }  // issue 13
            }
        }
    }
}
