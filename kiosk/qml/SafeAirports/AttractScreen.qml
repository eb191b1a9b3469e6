pragma ComponentBehavior: Bound
import QtQuick

// The attract loop: the invitation in every language of the airport, one after another.
// A touch anywhere starts a session.
Rectangle {
    id: screen
    objectName: "screen.attract"
    readonly property var page: Kiosk.attractPage
    property bool portrait: true
    property int index: 0
    readonly property var invitations: page.invitations
    readonly property var current: invitations[index % invitations.length]
    color: Theme.primary

    Timer {
        interval: 3500
        running: screen.invitations.length > 1
        repeat: true
        onTriggered: screen.index = (screen.index + 1) % screen.invitations.length
    }

    // the invitation, centred in the room above the language buttons
    Item {
        id: upper
        anchors.top: parent.top
        anchors.bottom: languageButtons.top
        width: parent.width
    }
    Column {
        anchors.centerIn: upper
        width: parent.width - 2 * 96
        spacing: screen.portrait ? 48 : 28
        Rectangle {
            anchors.horizontalCenter: parent.horizontalCenter
            width: 220; height: 220; radius: 110
            color: Theme.help
            Image {
                anchors.centerIn: parent
                source: "icons/touch.svg"
                width: 140; height: 140
                sourceSize.width: Math.ceil(140 * Theme.pixelScale)
                sourceSize.height: Math.ceil(140 * Theme.pixelScale)
            }
        }
        Text {
            objectName: "attract.title"
            width: parent.width
            text: screen.current.title
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.Wrap
            font.family: Theme.fontFamily
            font.pixelSize: screen.portrait ? 84 : 76
            font.bold: true
            color: Theme.primaryText
        }
        Text {
            width: parent.width
            text: screen.current.subtitle
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.Wrap
            font.family: Theme.fontFamily
            font.pixelSize: 46
            color: Theme.primaryText
        }
        Rectangle {
            objectName: "attract.touch"
            anchors.horizontalCenter: parent.horizontalCenter
            width: Math.min(parent.width, touchText.implicitWidth + 96)
            height: touchText.implicitHeight + 56
            radius: height / 2
            color: Theme.accent
            Text {
                id: touchText
                anchors.centerIn: parent
                width: Math.min(implicitWidth, parent.parent.width - 96)
                text: screen.current.touch
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.Wrap
                font.family: Theme.fontFamily
                font.pixelSize: 44
                font.bold: true
                color: Theme.text
            }
        }
    }

    MouseArea {
        objectName: "attract.start"
        anchors.fill: parent
        onClicked: Kiosk.start()
    }

    // each language named in itself: a tap starts the session in it, straight at home
    Flow {
        id: languageButtons
        objectName: "attract.languages"
        readonly property int buttonWidth: 300
        anchors.bottom: parent.bottom
        anchors.bottomMargin: screen.portrait ? 120 : 56
        anchors.horizontalCenter: parent.horizontalCenter
        width: Math.min(parent.width - 2 * 96,
                        screen.page.languages.length * (buttonWidth + spacing) - spacing)
        spacing: 24
        Repeater {
            model: screen.page.languages
            BigButton {
                required property var modelData
                objectName: "attract.lang." + modelData.id
                width: languageButtons.buttonWidth
                minHeight: 110
                fontSize: 40
                fill: Theme.surface; ink: Theme.primary
                text: modelData.name
                onClicked: Kiosk.startIn(modelData.id)
            }
        }
    }
}
