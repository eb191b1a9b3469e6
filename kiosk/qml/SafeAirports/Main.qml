import QtQuick
import QtQuick.Window

// The kiosk window: the always-visible bar, the current screen, and the overlays.
// All decisions are made by the Python controller, exposed as `kiosk`.
Window {
    id: root
    objectName: "kioskWindow"
    // No size and not shown here: kiosk/app.py sizes the window (to the screen in kiosk mode)
    // and shows it.
    color: Theme.background
    title: "Safe Airports"

    // Everything is laid out in design pixels (those of the 21.5-inch 1080×1920 reference
    // panel) inside `stage`, scaled to the window by `uiScale`. kiosk/app.py sets both from
    // kiosk/display_metrics.py whenever the window's size or screen changes.
    property real uiScale: 1.0
    property real designPxPerMm: 4.034

    Binding { target: Theme; property: "large"; value: kiosk.largeText }
    Binding { target: Theme; property: "strings"; value: kiosk.strings }
    Binding { target: Theme; property: "mm"; value: root.designPxPerMm }

    readonly property bool portrait: height >= width

    Item {
        id: stage
        objectName: "stage"
        width: root.width / root.uiScale
        height: root.height / root.uiScale
        scale: root.uiScale
        transformOrigin: Item.TopLeft

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
}
