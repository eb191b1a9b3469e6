pragma ComponentBehavior: Bound
import QtQuick

// Home: where are you going (destinations in the airport's order), get help, before you go,
// search.
ScrollPage {
    id: screen
    objectName: "screen.home"
    readonly property var page: Kiosk.homePage
    property bool portrait: true

    BigButton {
        objectName: "home.help"
        width: parent.width
        minHeight: 150
        fill: Theme.help; ink: Theme.helpText
        icon: "icons/help.svg"; iconSize: 72
        fontSize: Theme.title
        text: Theme.strings["home.get_help_now"]
        onClicked: Kiosk.openHelp()
    }
    Text {
        objectName: "home.in_danger"
        visible: text !== ""
        width: parent.width
        text: screen.page.inDanger
        wrapMode: Text.Wrap
        font.family: Theme.fontFamily
        font.pixelSize: Theme.body
        font.bold: true
        color: Theme.text
    }
    Text {
        width: parent.width
        text: Theme.strings["home.title"]
        wrapMode: Text.Wrap
        font.family: Theme.fontFamily
        font.pixelSize: Theme.title
        font.bold: true
        color: Theme.text
        topPadding: 16
    }
    Grid {
        id: grid
        width: parent.width
        columns: screen.portrait ? 2 : (Theme.large ? 3 : 4)
        spacing: Theme.spacing
        property real tallest: {
            let h = 0
            for (let i = 0; i < children.length; ++i)
                if (children[i].objectName !== "")
                    h = Math.max(h, children[i].implicitHeight)
            return h
        }
        Repeater {
            model: screen.page.destinations
            BigButton {
                required property var modelData
                objectName: "home.destination." + modelData.id
                height: Math.max(implicitHeight, grid.tallest)
                width: (grid.width - (grid.columns - 1) * grid.spacing) / grid.columns
                minHeight: 140
                padding: 12
                fontSize: Theme.large ? 40 : 36
                icon: modelData.flag
                iconSize: 72
                text: modelData.name
                ink: Theme.text
                onClicked: Kiosk.openDestination(modelData.id)
            }
        }
    }
    Item { width: 1; height: 8 }
    Grid {
        id: actions
        width: parent.width
        columns: 2
        spacing: Theme.spacing
        BigButton {
            objectName: "home.checklist"
            width: (actions.width - actions.spacing) / 2
            height: Math.max(implicitHeight, searchButton.implicitHeight)
            minHeight: 130
            icon: "icons/checklist.svg"; iconSize: 64
            text: Theme.strings["home.before_you_go"]
            onClicked: Kiosk.openChecklist()
        }
        BigButton {
            id: searchButton
            objectName: "home.search"
            width: (actions.width - actions.spacing) / 2
            minHeight: 130
            icon: "icons/search.svg"; iconSize: 64
            text: Theme.strings["home.search"]
            onClicked: Kiosk.openSearch()
        }
    }
}
