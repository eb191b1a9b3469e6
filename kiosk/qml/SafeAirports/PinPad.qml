pragma ComponentBehavior: Bound
import QtQuick

// The maintenance PIN pad (after the hidden corner gesture).
Rectangle {
    id: pad
    color: Theme.pinScrim
    MouseArea { anchors.fill: parent }

    Column {
        anchors.centerIn: parent
        width: 3 * 160 + 2 * 24
        spacing: 24
        Text {
            width: parent.width
            text: Theme.strings["maintenance.pin"]
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.Wrap
            font.family: Theme.fontFamily
            font.pixelSize: Theme.heading
            color: Kiosk.pinFailed ? Theme.accent : Theme.scrimText
        }
        Row {
            objectName: "pin.dots"
            anchors.horizontalCenter: parent.horizontalCenter
            height: 60
            spacing: 20
            Repeater {
                model: Kiosk.pinLength
                Rectangle { width: 40; height: 40; radius: 20; color: Theme.scrimText; y: 10 }
            }
        }
        Grid {
            columns: 3
            spacing: 24
            Repeater {
                model: ["1", "2", "3", "4", "5", "6", "7", "8", "9", "cancel", "0", "ok"]
                BigButton {
                    required property string modelData
                    readonly property bool digit: modelData !== "cancel" && modelData !== "ok"
                    objectName: "pin." + modelData
                    width: 160; height: 130
                    fontSize: 56
                    text: digit ? modelData : ""
                    icon: modelData === "cancel" ? "icons/back.svg" : modelData === "ok" ? "icons/check.svg" : ""
                    iconSize: 64
                    fill: modelData === "ok" ? Theme.primary : Theme.surface
                    onClicked: {
                        if (modelData === "cancel") Kiosk.pinCancel()
                        else if (modelData === "ok") Kiosk.pinSubmit()
                        else Kiosk.pinKey(modelData)
                    }
                }
            }
        }
    }
}
