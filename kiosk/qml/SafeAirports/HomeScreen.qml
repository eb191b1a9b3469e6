pragma ComponentBehavior: Bound
import QtQuick

// Home: get help, the number to call in danger, where are you going (destinations in the
// airport's order), before you go, search. Portrait stacks them and gives the room left on the
// screen to the buttons (no empty bottom third); landscape puts help, the number and the two
// actions in a column beside the destinations.
ScrollPage {
    id: screen
    objectName: "screen.home"
    readonly property var page: Kiosk.homePage
    property bool portrait: true
    maxWidth: portrait ? 1400 : 1824

    // What the screen has left over goes to the buttons, shared among their rows (portrait: the
    // destination rows, the actions row and the help button; landscape: the destination rows,
    // and beside them help and the two actions). From implicit heights only: no binding loop.
    readonly property int rows: Math.ceil(screen.page.destinations.length / grid.columns)
    readonly property real tilesHeight: title.implicitHeight + Theme.spacing
        + rows * grid.tallest + Math.max(0, rows - 1) * grid.spacing
    readonly property real sideHeight: help.implicitHeight + Theme.spacing
        + (danger.visible ? danger.implicitHeight + Theme.spacing : 0) + Theme.spacing
        + (portrait ? Math.max(checklist.implicitHeight, search.implicitHeight)
                    : checklist.implicitHeight + Theme.spacing + search.implicitHeight)
    readonly property real room: flick.height - 2 * Theme.margin
        - (portrait ? tilesHeight + sideHeight + Theme.spacing : 0)
    readonly property real extra: Math.min(160, Math.max(0, portrait ? room / (rows + 2)
                                                                     : (room - tilesHeight) / rows))
    readonly property real sideExtra: portrait ? extra : Math.min(160, Math.max(0, (room - sideHeight) / 3))

    Item {
        id: layout
        width: parent.width
        readonly property real sideWidth: screen.portrait ? width : Math.round(width * 0.32)
        readonly property real mainWidth: screen.portrait ? width : width - sideWidth - 2 * Theme.spacing
        implicitHeight: screen.portrait ? main.y + main.height + Theme.spacing + actions.height
                                        : Math.max(actions.y + actions.height, main.height)

        // help and the number to call in danger
        Column {
            id: top
            width: layout.sideWidth
            spacing: Theme.spacing
            BigButton {
                id: help
                objectName: "home.help"
                width: parent.width
                height: implicitHeight + screen.sideExtra
                minHeight: screen.portrait ? 150 : 200
                fill: Theme.help; ink: Theme.helpText
                icon: "icons/help.svg"; iconSize: 72
                fontSize: Theme.title
                text: Theme.strings["home.get_help_now"]
                onClicked: Kiosk.openHelp()
            }
            Text {
                id: danger
                objectName: "home.in_danger"
                visible: text !== ""
                width: parent.width
                text: screen.page.inDanger
                wrapMode: Text.Wrap
                font.family: Theme.fontFamily
                font.pixelSize: Theme.heading
                font.bold: true
                color: Theme.help
            }
        }
        // where are you going
        Column {
            id: main
            x: screen.portrait ? 0 : layout.sideWidth + 2 * Theme.spacing
            y: screen.portrait ? top.height + Theme.spacing : 0
            width: layout.mainWidth
            spacing: Theme.spacing
            Text {
                id: title
                width: parent.width
                text: Theme.strings["home.title"]
                wrapMode: Text.Wrap
                font.family: Theme.fontFamily
                font.pixelSize: Theme.title
                font.bold: true
                color: Theme.text
            }
            Grid {
                id: grid
                width: parent.width
                columns: screen.portrait ? 2 : (Theme.large ? 2 : 3)
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
                        height: grid.tallest + screen.extra
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
        }
        // before you go, search: under the destinations, or under help in landscape
        Grid {
            id: actions
            y: screen.portrait ? main.y + main.height + 2 * Theme.spacing : top.height + 2 * Theme.spacing
            width: layout.sideWidth
            columns: screen.portrait ? 2 : 1
            spacing: Theme.spacing
            readonly property real buttonWidth: (width - (columns - 1) * spacing) / columns
            readonly property real buttonHeight: Math.max(checklist.implicitHeight, search.implicitHeight) + screen.sideExtra
            BigButton {
                id: checklist
                objectName: "home.checklist"
                width: actions.buttonWidth
                height: actions.buttonHeight
                minHeight: 130
                icon: "icons/checklist.svg"; iconSize: 64
                text: Theme.strings["home.before_you_go"]
                onClicked: Kiosk.openChecklist()
            }
            BigButton {
                id: search
                objectName: "home.search"
                width: actions.buttonWidth
                height: actions.buttonHeight
                minHeight: 130
                icon: "icons/search.svg"; iconSize: 64
                text: Theme.strings["home.search"]
                onClicked: Kiosk.openSearch()
            }
        }
    }
}
