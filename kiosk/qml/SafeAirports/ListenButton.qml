import QtQuick

// The listen button (issue 13): a speaker to hear the screen read aloud in its language, a
// square to stop. Without `language` it is the screen's large button, shown only when the
// screen has audio (Kiosk.listenAvailable); with `language` it is the small button placed at
// the right end of that language's button on the language screen, saying the language's name.
// Icons only: the same for every language and for people who read little.
Rectangle {
    id: listen
    property string language: ""
    readonly property bool small: language !== ""
    readonly property bool playing: Kiosk.listening

    objectName: small ? "listen." + language : "listenButton"
    visible: small ? Kiosk.listenLanguages.indexOf(language) >= 0 : Kiosk.listenAvailable
    width: small ? Theme.minTarget : 2 * Theme.minTarget + 48
    height: small ? Theme.minTarget : Theme.minTarget + 24
    anchors.right: small ? parent.right : undefined
    anchors.rightMargin: small ? 12 : 0
    anchors.verticalCenter: small ? parent.verticalCenter : undefined
    radius: Theme.radius
    color: area.pressed ? Qt.darker(Theme.accent, 1.12) : Theme.accent
    border.color: Qt.darker(Theme.accent, 1.25)
    border.width: 2

    Image {
        anchors.centerIn: parent
        readonly property int side: listen.small ? 56 : 88
        width: side
        height: side
        sourceSize.width: side
        sourceSize.height: side
        source: listen.playing && !listen.small ? "icons/stop.svg" : "icons/listen.svg"
    }
    MouseArea {
        id: area
        anchors.fill: parent
        onClicked: listen.small ? Kiosk.listenLanguage(listen.language) : Kiosk.listen()
    }
}
