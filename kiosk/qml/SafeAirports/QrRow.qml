import QtQuick

// One QR code, large, with what it holds printed beside it (the number or the link). A
// Repeater's delegate: the code (kiosk/screens/cards.py QrView) is its modelData.
Rectangle {
    id: row
    required property var modelData
    required property int index
    readonly property var code: modelData
    property int qrSize: row.code.size
    // only the code: its card prints the number beside it (ContactCard with a single code)
    property bool imageOnly: false
    // "scan with your phone": a page with many codes says it once, above them
    property bool hint: true
    readonly property bool stacked: width < qrSize + 360
    implicitWidth: qrSize + 32
    implicitHeight: layout.implicitHeight + 32
    radius: Theme.radius
    color: Theme.surface
    border.color: Theme.border
    border.width: 2

    // Beside: the code on the left, what it holds on the right. Stacked (a narrow cell): what it
    // holds first, the code under it, so the number is read before the code is scanned.
    Item {
        id: layout
        x: 16; y: 16
        width: row.width - 32
        readonly property int spacing: 28
        readonly property bool beside: !row.stacked && !row.imageOnly
        implicitHeight: row.imageOnly ? row.qrSize
                      : beside ? Math.max(row.qrSize, texts.implicitHeight)
                      : texts.implicitHeight + spacing + row.qrSize
        Image {
            objectName: "qr." + row.code.kind
            source: "image://qr/" + row.code.image
            x: layout.beside ? 0 : (layout.width - row.qrSize) / 2
            y: layout.beside ? (layout.height - row.qrSize) / 2 : row.imageOnly ? 0 : texts.implicitHeight + layout.spacing
            width: row.qrSize; height: row.qrSize
            sourceSize.width: row.qrSize; sourceSize.height: row.qrSize
            smooth: false
            cache: false
            fillMode: Image.Pad
            property string payload: row.code.payload
        }
        Column {
            id: texts
            visible: !row.imageOnly
            x: layout.beside ? row.qrSize + layout.spacing : 0
            y: layout.beside ? (layout.height - implicitHeight) / 2 : 0
            width: layout.beside ? layout.width - row.qrSize - layout.spacing : layout.width
            spacing: 10
            Text {
                visible: row.code.caption !== ""
                width: parent.width
                text: row.code.caption
                wrapMode: Text.Wrap
                font.family: Theme.fontFamily
                font.pixelSize: Theme.body
                color: Theme.muted
            }
            FittedText {
                objectName: "code.label"
                width: parent.width
                text: row.code.label
                size: row.code.kind === "tel" ? Theme.number : Theme.body
                color: Theme.text
            }
            Text {
                width: parent.width
                visible: row.hint && text !== ""
                text: Theme.strings["article.scan_hint"]
                wrapMode: Text.Wrap
                font.family: Theme.fontFamily
                font.pixelSize: Theme.small
                color: Theme.muted
            }
        }
    }
}
