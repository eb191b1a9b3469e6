import QtQuick

// One QR code, large, with what it holds printed beside it (the number or the link). A
// Repeater's delegate: the code (kiosk/screens/cards.py QrView) is its modelData.
Rectangle {
    id: row
    required property var modelData
    required property int index
    readonly property var code: modelData
    property int qrSize: 340
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

    Grid {
        id: layout
        x: 16; y: 16
        width: row.width - 32
        columns: row.stacked || row.imageOnly ? 1 : 2
        spacing: 28
        horizontalItemAlignment: row.stacked ? Grid.AlignHCenter : Grid.AlignLeft
        verticalItemAlignment: Grid.AlignVCenter
        Image {
            objectName: "qr." + row.code.kind
            source: "image://qr/" + row.code.image
            width: row.qrSize; height: row.qrSize
            sourceSize.width: row.qrSize; sourceSize.height: row.qrSize
            smooth: false
            cache: false
            fillMode: Image.Pad
            property string payload: row.code.payload
        }
        Column {
            visible: !row.imageOnly
            width: row.stacked ? layout.width : layout.width - row.qrSize - layout.spacing
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
            Text {
                width: parent.width
                text: row.code.label
                wrapMode: Text.WrapAnywhere
                font.family: Theme.fontFamily
                font.pixelSize: row.code.kind === "tel" ? Theme.number : Theme.body
                font.bold: true
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
