import QtQuick

// "Are you still there?" with the countdown; any touch continues the session.
// Over a screen with QR codes (a person may be scanning one) it is a bar at the bottom on a
// clear background, so the codes stay visible while it counts down.
Rectangle {
    id: overlay
    readonly property bool compact: Kiosk.screenHasCodes
    color: compact ? "transparent" : Theme.scrim
    MouseArea { anchors.fill: parent; onClicked: Kiosk.stillHere() }

    Rectangle {
        objectName: "idle.box"
        anchors.horizontalCenter: parent.horizontalCenter
        anchors.verticalCenter: overlay.compact ? undefined : parent.verticalCenter
        anchors.bottom: overlay.compact ? parent.bottom : undefined
        width: overlay.compact ? parent.width : Math.min(parent.width - 2 * Theme.margin, 1000)
        height: (overlay.compact ? bar.implicitHeight : column.implicitHeight) + 96
        radius: overlay.compact ? 0 : Theme.radius * 2
        color: Theme.surface
        border.color: Theme.help
        border.width: overlay.compact ? 6 : 0

        Column {
            id: column
            visible: !overlay.compact
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

        // the bar: question and seconds on the left, the two buttons on the right
        Row {
            id: bar
            visible: overlay.compact
            x: 48; y: 48
            width: parent.width - 96
            spacing: 32
            Text {
                objectName: "idle.barSeconds"
                anchors.verticalCenter: parent.verticalCenter
                text: String(Kiosk.idleSecondsLeft)
                font.family: Theme.fontFamily
                font.pixelSize: 96
                font.bold: true
                color: Theme.help
            }
            Text {
                anchors.verticalCenter: parent.verticalCenter
                width: bar.width - 2 * 280 - 140 - 3 * bar.spacing
                text: Theme.strings["idle.still_there"] + "\n" + Kiosk.idleCountdown
                wrapMode: Text.Wrap
                font.family: Theme.fontFamily
                font.pixelSize: Theme.body
                color: Theme.text
            }
            BigButton {
                objectName: "idle.barContinue"
                anchors.verticalCenter: parent.verticalCenter
                width: 280
                fill: Theme.primary; ink: Theme.primaryText
                text: Theme.strings["idle.continue"]
                onClicked: Kiosk.stillHere()
            }
            BigButton {
                objectName: "idle.barFinish"
                anchors.verticalCenter: parent.verticalCenter
                width: 280
                text: Theme.strings["idle.finish"]
                onClicked: Kiosk.finish()
            }
        }
    }
}
