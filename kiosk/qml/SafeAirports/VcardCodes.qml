pragma ComponentBehavior: Bound
import QtQuick

// The "save all numbers" codes of the help screen (kiosk/screens/help.py HelpScreen.vcards):
// one, or several side by side where there is room ("Code 1 of 3" under each), each drawn at
// its own size (kiosk/screens/cards.py: at least 7 px per module).
Flow {
    id: codes
    required property var model
    spacing: 24

    Repeater {
        model: codes.model
        Column {
            id: cell
            required property var modelData
            required property int index
            spacing: 8
            Image {
                objectName: "help.vcard." + cell.index
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
