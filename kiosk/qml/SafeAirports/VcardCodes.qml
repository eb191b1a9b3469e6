pragma ComponentBehavior: Bound
import QtQuick

// The "save all numbers" codes of the help screen (kiosk/screens/help.py HelpScreen.vcards),
// each drawn at its own size (kiosk/screens/cards.py: at least 7 px per module), "Code 1 of 3"
// under each. As many side by side as the width takes (one in portrait, three in landscape);
// where there are more, a row of numbered buttons, one per code, shows the others in the same
// place, and the arrow the next ones: the person scans code 1, taps 2 (or the arrow), scans
// code 2... instead of scrolling past codes stacked one under another (issue 11: a help screen
// of at most four screens).
Item {
    id: codes
    required property var model
    readonly property int size: codes.model.reduce((s, c) => Math.max(s, c.size), 0)
    readonly property int perRow: Math.max(1, Math.floor((width + 24) / (size + 24)))
    readonly property bool paged: codes.model.length > perRow
    property int first: 0  // the first code shown
    // all side by side
    implicitWidth: codes.model.length * (size + 24) - 24
    implicitHeight: column.implicitHeight

    Column {
        id: column
        width: codes.width
        spacing: 24
        Flow {
            width: codes.width
            spacing: 24
            Repeater {
                model: codes.model.slice(codes.first, codes.first + codes.perRow)
                Column {
                    id: cell
                    required property var modelData
                    required property int index
                    spacing: 8
                    Image {
                        objectName: "help.vcard." + (codes.first + cell.index)
                        source: "image://qr/" + cell.modelData.image
                        width: cell.modelData.size; height: cell.modelData.size
                        sourceSize.width: cell.modelData.size; sourceSize.height: cell.modelData.size
                        smooth: false
                        cache: false
                        fillMode: Image.Pad
                        property string payload: cell.modelData.payload
                    }
                    Text {
                        visible: text !== ""
                        width: cell.modelData.size
                        text: cell.modelData.caption
                        horizontalAlignment: Text.AlignHCenter
                        wrapMode: Text.Wrap
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.body
                        font.bold: true
                        color: Theme.text
                    }
                }
            }
        }
        // one button per code, numbered as their captions; those shown are filled
        Flow {
            visible: codes.paged
            width: codes.width
            spacing: 16
            Repeater {
                model: codes.paged ? codes.model.length : 0
                Rectangle {
                    id: choice
                    required property int index
                    readonly property bool current: index >= codes.first && index < codes.first + codes.perRow
                    objectName: "help.vcard.show." + index
                    width: Theme.minTarget; height: Theme.minTarget
                    radius: Theme.radius
                    color: current ? Theme.primary : showArea.pressed ? Theme.pressed : Theme.surface
                    border.color: Theme.primary
                    border.width: showArea.pressed ? 6 : 3
                    Text {
                        anchors.centerIn: parent
                        text: String(choice.index + 1)
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.title
                        font.bold: true
                        color: choice.current ? Theme.primaryText : Theme.primary
                    }
                    MouseArea {
                        id: showArea
                        anchors.fill: parent
                        onClicked: codes.first = choice.index - choice.index % codes.perRow
                    }
                }
            }
            Rectangle {
                objectName: "help.vcard.next"
                visible: codes.first + codes.perRow < codes.model.length
                width: Theme.minTarget; height: Theme.minTarget
                radius: Theme.radius
                color: nextArea.pressed ? Theme.pressed : Theme.surface
                border.color: Theme.primary
                border.width: nextArea.pressed ? 6 : 3
                Image {
                    anchors.centerIn: parent
                    source: "icons/forward.svg"
                    width: 56; height: 56
                    sourceSize.width: Math.ceil(56 * Theme.pixelScale)
                    sourceSize.height: Math.ceil(56 * Theme.pixelScale)
                }
                MouseArea {
                    id: nextArea
                    anchors.fill: parent
                    onClicked: codes.first += codes.perRow
                }
            }
        }
    }
}
