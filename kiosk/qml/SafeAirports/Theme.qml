pragma Singleton
import QtQuick

// Colours and sizes of the kiosk: calm, high contrast, big type. `large` follows the
// text-size button of the current session (bound in Main.qml).
QtObject {
    property bool large: false
    property string fontFamily: "Noto Sans"
    // The UI strings of the session's language (bound in Main.qml; read as a plain JS object).
    property var strings: ({})

    readonly property color background: "#F4F1EA"
    readonly property color surface: "#FFFFFF"
    readonly property color text: "#1B1B1B"
    readonly property color muted: "#4A4A4A"
    readonly property color primary: "#0B3D6E"
    readonly property color primaryText: "#FFFFFF"
    readonly property color help: "#B3261E"
    readonly property color helpText: "#FFFFFF"
    readonly property color border: "#C9C2B4"
    readonly property color accent: "#E8B64C"
    readonly property color sample: "#FFF1C7"
    readonly property color contactCard: "#EAF1F8"
    readonly property color emergencyCard: "#FBE9E7"
    readonly property color done: "#2E7D32"  // a ticked checklist item
    readonly property color doneSurface: "#E5F2E5"
    readonly property color pressed: "#E3E9F1"  // a search result under the finger
    readonly property color keyboard: "#DCD6CA"
    readonly property color backgroundClear: "#00F4F1EA"  // the background, transparent
    readonly property color scrim: "#CC000000"  // behind the "still there?" question
    readonly property color pinScrim: "#E6000000"  // behind the PIN pad
    readonly property color scrimText: "#FFFFFF"
    readonly property color qrBackground: "#FFFFFF"

    // Every size here and in the screens is in design pixels: the pixels of the 21.5-inch
    // 1080×1920 reference panel. The root window scales them to the real screen (Main.qml,
    // kiosk/display_metrics.py), which also keeps the smallest target at 9 mm or more.
    // `mm`: design pixels per millimetre on this kiosk's panel (bound in Main.qml).
    property real mm: 4.034
    // Device pixels per design pixel (bound in Main.qml): pictures are rendered at this density
    // (`sourceSize` = size × pixelScale) so that they stay sharp on a 4K panel.
    property real pixelScale: 1.0

    readonly property int margin: 48
    readonly property int spacing: 24
    readonly property int radius: 18
    readonly property int minTarget: Math.max(96, Math.ceil(9 * mm))

    readonly property int body: large ? 36 : 28
    readonly property int small: large ? 30 : 24
    readonly property int button: large ? 38 : 32
    readonly property int title: large ? 58 : 48
    readonly property int heading: large ? 44 : 36
    readonly property int number: large ? 46 : 40
}
