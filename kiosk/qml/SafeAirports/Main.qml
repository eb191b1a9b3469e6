import QtQuick
import QtQuick.Window

// The kiosk window: the always-visible bar, the current screen, and the overlays.
// All decisions are made in Python; the `Kiosk` singleton (kiosk/controller.py) exposes them.
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

    Binding { target: Theme; property: "large"; value: Kiosk.largeText }
    Binding { target: Theme; property: "strings"; value: Kiosk.strings }
    Binding { target: Theme; property: "mm"; value: root.designPxPerMm }
    Binding { target: Theme; property: "pixelScale"; value: root.uiScale * Screen.devicePixelRatio }

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
                visible: Kiosk.barVisible
            }
            Loader {
                id: screenLoader
                objectName: "screenLoader"
                width: parent.width
                height: parent.height - (bar.visible ? bar.height : 0)
            }
        }

        NationalityPicker {
            objectName: "nationalityPicker"
            anchors.fill: parent
            visible: Kiosk.nationalityOpen
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
}
