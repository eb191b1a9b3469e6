import QtQuick

// Always in the same place: home, back, language, text size, and help (largest, in red).
Rectangle {
    id: bar
    color: Theme.primary
    implicitHeight: row.implicitHeight + 2 * 16
    readonly property int gap: 16
    readonly property real unit: (width - 2 * Theme.spacing - 4 * gap) / 5.6
    // one height in every language: room for the help button's icon and two lines of its label
    // (the tallest), whatever the labels of this language need
    FontMetrics {
        id: helpFont
        font.family: Theme.fontFamily
        font.pixelSize: Theme.button
        font.bold: true
    }
    readonly property real twoLines: 2 * 10 + 56 + 16 + 2 * Math.ceil(helpFont.height)

    Row {
        id: row
        x: Theme.spacing
        y: 16
        spacing: bar.gap
        BigButton {
            objectName: "nav.home"
            width: bar.unit; height: Math.max(implicitHeight, row.tallest)
            vertical: true; iconSize: 48; padding: 10
            fontSize: Theme.large ? 26 : 24
            icon: "icons/home.svg"
            text: Theme.strings["nav.home"]
            onClicked: Kiosk.home()
        }
        BigButton {
            objectName: "nav.back"
            width: bar.unit; height: Math.max(implicitHeight, row.tallest)
            vertical: true; iconSize: 48; padding: 10
            fontSize: Theme.large ? 26 : 24
            opacity: Kiosk.canGoBack ? 1 : 0.45
            icon: "icons/back.svg"
            text: Theme.strings["nav.back"]
            onClicked: Kiosk.back()
        }
        BigButton {
            objectName: "nav.language"
            width: bar.unit; height: Math.max(implicitHeight, row.tallest)
            vertical: true; iconSize: 48; padding: 10
            fontSize: Theme.large ? 26 : 24
            icon: "icons/language.svg"
            text: Theme.strings["nav.language"]
            onClicked: Kiosk.openLanguage()
        }
        BigButton {
            objectName: "nav.textSize"
            width: bar.unit; height: Math.max(implicitHeight, row.tallest)
            vertical: true; iconSize: 48; padding: 10
            fontSize: Theme.large ? 26 : 24
            icon: "icons/textsize.svg"
            fill: Kiosk.largeText ? Theme.accent : Theme.surface
            text: Kiosk.largeText ? Theme.strings["nav.text_normal"] : Theme.strings["nav.text_large"]
            onClicked: Kiosk.toggleTextSize()
        }
        BigButton {
            objectName: "nav.help"
            width: bar.unit * 1.6; height: Math.max(implicitHeight, row.tallest)
            vertical: true; iconSize: 56; padding: 10
            fontSize: Theme.button
            fill: Theme.help; ink: Theme.helpText
            icon: "icons/help.svg"
            text: Theme.strings["nav.help"]
            onClicked: Kiosk.openHelp()
        }
        property real tallest: {
            let h = bar.twoLines
            for (let i = 0; i < children.length; ++i)
                h = Math.max(h, children[i].implicitHeight)
            return h
        }
    }
}
