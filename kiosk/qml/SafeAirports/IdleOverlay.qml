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
        // placed by x and y, not anchors: changing anchors at run time left both the centre and
        // the bottom anchored, which stretched the box over the whole screen
        x: (parent.width - width) / 2
        y: overlay.compact ? parent.height - height : (parent.height - height) / 2
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

        // the bar: the seconds and the question on one line, the two buttons below
        Column {
            id: bar
            visible: overlay.compact
            x: 48; y: 48
            width: parent.width - 96
            spacing: 24
            Row {
                width: parent.width
                spacing: 32
                Text {
                    id: barSeconds
                    objectName: "idle.barSeconds"
                    width: 150
                    text: String(Kiosk.idleSecondsLeft)
                    horizontalAlignment: Text.AlignHCenter
                    font.family: Theme.fontFamily
                    font.pixelSize: 96
                    font.bold: true
                    color: Theme.help
                }
                Text {
                    width: parent.width - barSeconds.width - parent.spacing
                    text: Theme.strings["idle.still_there"] + "\n" + Kiosk.idleCountdown
                    wrapMode: Text.Wrap
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.body
                    color: Theme.text
                }
            }
            Row {
                width: parent.width
                spacing: 32
                BigButton {
                    objectName: "idle.barContinue"
                    width: (parent.width - parent.spacing) / 2
                    fill: Theme.primary; ink: Theme.primaryText
                    text: Theme.strings["idle.continue"]
                    onClicked: Kiosk.stillHere()
                }
                BigButton {
                    objectName: "idle.barFinish"
                    width: (parent.width - parent.spacing) / 2
                    text: Theme.strings["idle.finish"]
                    onClicked: Kiosk.finish()
                }
            }
        }
    }
}
