import QtQuick

// "Are you still there?" with the countdown; any touch continues the session.
Rectangle {
    id: overlay
    color: Theme.scrim
    MouseArea { anchors.fill: parent; onClicked: Kiosk.stillHere() }

    Rectangle {
        anchors.centerIn: parent
        width: Math.min(parent.width - 2 * Theme.margin, 1000)
        height: column.implicitHeight + 96
        radius: Theme.radius * 2
        color: Theme.surface
        Column {
            id: column
            x: 48; y: 48
            width: parent.width - 96
            spacing: 32
            Text {
                width: parent.width
                text: Theme.strings["idle.still_there"]
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.Wrap
                font.family: Theme.fontFamily
                font.pixelSize: Theme.title
                font.bold: true
                color: Theme.text
            }
            Text {
                objectName: "idle.seconds"
                width: parent.width
                text: String(Kiosk.idleSecondsLeft)
                horizontalAlignment: Text.AlignHCenter
                font.family: Theme.fontFamily
                font.pixelSize: 120
                font.bold: true
                color: Theme.help
            }
            Text {
                width: parent.width
                text: Kiosk.idleCountdown
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.Wrap
                font.family: Theme.fontFamily
                font.pixelSize: Theme.body
                color: Theme.text
            }
            BigButton {
                objectName: "idle.continue"
                width: parent.width
                minHeight: 130
                fill: Theme.primary; ink: Theme.primaryText
                fontSize: Theme.heading
                text: Theme.strings["idle.continue"]
                onClicked: Kiosk.stillHere()
            }
            BigButton {
                objectName: "idle.finish"
                width: parent.width
                text: Theme.strings["idle.finish"]
                onClicked: Kiosk.finish()
            }
        }
    }
}
