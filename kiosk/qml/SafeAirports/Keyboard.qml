pragma ComponentBehavior: Bound
import QtQuick

// The on-screen keyboard for the language's script; keys go straight to the controller.
Rectangle {
    id: keyboard
    property bool portrait: true
    readonly property int gap: 12
    readonly property int keyHeight: portrait ? 100 : 84
    readonly property int maxKeys: {
        let n = 0
        const rows = Kiosk.keyboardRows
        for (let i = 0; i < rows.length; ++i) n = Math.max(n, rows[i].length)
        return Math.max(n, 6)
    }
    readonly property real keyWidth: Math.min(150, (width - 32 - (maxKeys - 1) * gap) / maxKeys)
    implicitHeight: column.implicitHeight + 32
    color: Theme.keyboard

    Column {
        id: column
        x: 16; y: 16
        width: keyboard.width - 32
        spacing: keyboard.gap
        Repeater {
            model: Kiosk.keyboardRows
            Row {
                id: keyRow
                required property var modelData
                anchors.horizontalCenter: parent.horizontalCenter
                spacing: keyboard.gap
                Repeater {
                    model: keyRow.modelData
                    BigButton {
                        required property string modelData
                        objectName: "key." + modelData
                        width: keyboard.keyWidth
                        height: keyboard.keyHeight
                        minHeight: keyboard.keyHeight
                        padding: 4
                        fontSize: 40
                        bold: false
                        ink: Theme.text
                        text: modelData
                        onClicked: Kiosk.typeKey(modelData)
                    }
                }
            }
        }
        Row {
            anchors.horizontalCenter: parent.horizontalCenter
            spacing: keyboard.gap
            BigButton {
                objectName: "key.clear"
                width: keyboard.keyWidth * 2.5
                height: Math.max(keyboard.keyHeight, implicitHeight)
                padding: 6
                fontSize: Theme.small
                text: Theme.strings["keyboard.clear"]
                onClicked: Kiosk.clearSearch()
            }
            BigButton {
                objectName: "key.space"
                width: keyboard.keyWidth * 4.5
                height: Math.max(keyboard.keyHeight, implicitHeight)
                padding: 6
                fontSize: Theme.small
                text: Theme.strings["keyboard.space"]
                onClicked: Kiosk.typeKey(" ")
            }
            BigButton {
                objectName: "key.backspace"
                width: keyboard.keyWidth * 2
                height: keyboard.keyHeight
                padding: 6
                icon: "icons/backspace.svg"
                iconSize: 56
                onClicked: Kiosk.backspace()
            }
        }
    }
}
