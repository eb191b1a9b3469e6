import QtQuick
import QtQuick.Window

// The kiosk window: the always-visible bar, the current screen, and the overlays.
// All decisions are made by the Python controller, exposed as `kiosk`.
Window {
    id: root
    objectName: "kioskWindow"
    width: 1080
    height: 1920
    visible: true
    color: Theme.background
    title: "Safe Airports"

    Binding { target: Theme; property: "large"; value: kiosk.largeText }
    Binding { target: Theme; property: "strings"; value: kiosk.strings }

    readonly property bool portrait: height >= width

    Column {
        anchors.fill: parent
        TopBar {
            id: bar
            objectName: "topBar"
            width: parent.width
            visible: kiosk.barVisible
        }
        Loader {
            id: screenLoader
            objectName: "screenLoader"
            width: parent.width
            height: parent.height - (bar.visible ? bar.height : 0)
        }
    }

    // The screen is rebuilt on every page change so no state outlives its screen.
    function componentFor(name) {
        switch (name) {
        case "language": return languageScreen
        case "home": return homeScreen
        case "destination": return destinationScreen
        case "article": return articleScreen
        case "help": return helpScreen
        case "search": return searchScreen
        case "checklist": return checklistScreen
        case "maintenance": return maintenanceScreen
        default: return attractScreen
        }
    }
    function showScreen() {
        const component = componentFor(kiosk.screen)
        if (screenLoader.sourceComponent === component) {
            screenLoader.active = false
            screenLoader.active = true
        } else {
            screenLoader.sourceComponent = component
        }
    }
    Connections {
        target: kiosk
        function onPageChanged() { root.showScreen() }
    }
    Component.onCompleted: showScreen()

    Component { id: attractScreen; AttractScreen { portrait: root.portrait } }
    Component { id: languageScreen; LanguageScreen { portrait: root.portrait } }
    Component { id: homeScreen; HomeScreen { portrait: root.portrait } }
    Component { id: destinationScreen; DestinationScreen { portrait: root.portrait } }
    Component { id: articleScreen; ArticleScreen { portrait: root.portrait } }
    Component { id: helpScreen; HelpScreen { portrait: root.portrait } }
    Component { id: searchScreen; SearchScreen { portrait: root.portrait } }
    Component { id: checklistScreen; ChecklistScreen { portrait: root.portrait } }
    Component { id: maintenanceScreen; MaintenanceScreen { portrait: root.portrait } }

    IdleOverlay {
        objectName: "idleOverlay"
        anchors.fill: parent
        visible: kiosk.idleAsking
    }
    PinPad {
        objectName: "pinPad"
        anchors.fill: parent
        visible: kiosk.pinOpen
    }
}
