pragma ComponentBehavior: Bound
import QtQuick

// Search: what was typed, the results as you type, and the on-screen keyboard (below them in
// portrait; on the right in landscape, so the results keep the full height on the left).
Item {
    id: screen
    objectName: "screen.search"
    property bool portrait: true
    readonly property real leftWidth: portrait ? width : width - keyboard.width

    Rectangle {
        id: field
        x: Theme.margin
        y: Theme.spacing
        width: screen.leftWidth - 2 * Theme.margin
        height: Math.max(110, shown.implicitHeight + 32)
        radius: Theme.radius
        color: Theme.surface
        border.color: Theme.primary
        border.width: 3
        Image {
            id: lens
            x: 24
            anchors.verticalCenter: parent.verticalCenter
            source: "icons/search.svg"
            width: 56; height: 56
            sourceSize.width: Math.ceil(56 * Theme.pixelScale)
            sourceSize.height: Math.ceil(56 * Theme.pixelScale)
        }
        Text {
            id: shown
            objectName: "search.text"
            x: lens.x + lens.width + 20
            anchors.verticalCenter: parent.verticalCenter
            width: parent.width - x - 24
            text: Kiosk.searchText !== "" ? Kiosk.searchText + "|" : (Theme.strings["search.placeholder"])
            wrapMode: Text.WrapAnywhere
            font.family: Theme.fontFamily
            font.pixelSize: Theme.heading
            color: Kiosk.searchText !== "" ? Theme.text : Theme.muted
        }
    }
    Text {
        id: status
        objectName: "search.status"
        x: Theme.margin
        anchors.top: field.bottom
        anchors.topMargin: 12
        width: screen.leftWidth - 2 * Theme.margin
        text: Kiosk.searchStatus
        wrapMode: Text.Wrap
        font.family: Theme.fontFamily
        font.pixelSize: Theme.body
        color: Theme.muted
    }
    ScrollPage {
        id: results
        anchors.top: status.bottom
        height: (screen.portrait ? keyboard.y : screen.height) - y
        width: screen.leftWidth
        Repeater {
            model: Kiosk.searchResults
            Rectangle {
                id: result
                required property var modelData
                required property int index
                objectName: "search.result." + index
                width: parent.width
                height: hit.implicitHeight + 40
                radius: Theme.radius
                color: hitArea.pressed ? Theme.pressed : Theme.surface
                border.color: Theme.border
                border.width: 2
                Column {
                    id: hit
                    x: 24; y: 20
                    width: parent.width - 48
                    spacing: 8
                    Text {
                        width: parent.width
                        text: result.modelData.where
                        wrapMode: Text.Wrap
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.small
                        color: Theme.primary
                    }
                    Text {
                        width: parent.width
                        objectName: "search.title." + result.index
                        text: result.modelData.titleRich  // escaped, matches in <b>
                        textFormat: Text.StyledText
                        wrapMode: Text.Wrap
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.heading
                        font.bold: true
                        color: Theme.text
                    }
                    Text {
                        width: parent.width
                        objectName: "search.snippet." + result.index
                        text: result.modelData.snippetRich  // escaped, matches in <b>
                        textFormat: Text.StyledText
                        wrapMode: Text.Wrap
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.body
                        color: Theme.text
                    }
                }
                MouseArea {
                    id: hitArea
                    anchors.fill: parent
                    onClicked: Kiosk.openSearchHit(result.modelData.scope, result.modelData.topic)
                }
            }
        }
    }
    Keyboard {
        id: keyboard
        objectName: "keyboard"
        portrait: screen.portrait
        x: screen.width - width
        y: screen.height - height
        width: screen.portrait ? screen.width : Math.round(screen.width * 0.6)
        height: implicitHeight
    }
}
