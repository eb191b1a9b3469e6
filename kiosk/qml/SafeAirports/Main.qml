import QtQuick
import QtQuick.Window

// The kiosk window: the always-visible bar, the current screen, and the overlays.
// All decisions are made in Python; the `Kiosk` singleton (kiosk/controller.py) exposes them.
Window {
    id: root
    objectName: "kioskWindow"
    width: 1080
    height: 1920
    visible: true
    color: Theme.background
    title: "Safe Airports"

    Binding { target: Theme; property: "large"; value: Kiosk.largeText }
    Binding { target: Theme; property: "strings"; value: Kiosk.strings }

    readonly property bool portrait: height >= width

    Column {
        anchors.fill: parent
        TopBar {
            id: bar
            objectName: "topBar"
            width: parent.width
            visible: Kiosk.barVisible
        }
        Loader {
            id: screenLoader
            objectName: "screenLoader"
            width: parent.width
            height: parent.height - (bar.visible ? bar.height : 0)
        }
    }

    // The screen is rebuilt on every page change so no state outlives its screen. Which QML
    // component lays out the current screen is Kiosk.screenComponent (kiosk/screens).
    property var components: ({})
    function componentFor(name: string): Component {
        if (!(name in components))
            components[name] = Qt.createComponent("SafeAirports", name)
        return components[name]
    }
    function showScreen() {
        const component = componentFor(Kiosk.screenComponent)
        if (screenLoader.sourceComponent === component) {
            screenLoader.active = false
            screenLoader.active = true
        } else {
            screenLoader.sourceComponent = component
        }
    }
    Connections {
        target: Kiosk
        function onPageChanged() { root.showScreen() }
    }
    Component.onCompleted: showScreen()
    Binding {
        target: screenLoader.item
        property: "portrait"
        value: root.portrait
    }

    IdleOverlay {
        objectName: "idleOverlay"
        anchors.fill: parent
        visible: Kiosk.idleAsking
    }
    PinPad {
        objectName: "pinPad"
        anchors.fill: parent
        visible: Kiosk.pinOpen
    }
}
