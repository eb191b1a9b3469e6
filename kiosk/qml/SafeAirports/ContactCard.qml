pragma ComponentBehavior: Bound
import QtQuick

// A contact: its name and kind, hours and languages, and a QR code for each way to reach it.
// A Repeater's delegate: the contact (kiosk/screens/cards.py ContactCard) is its modelData.
// Compact, so that a help screen stays a few screens long: a single code sits beside the
// texts with its number printed among them; several codes go two to a row where they fit. The
// screen says once, above its cards, how to use the codes (ScanHint).
Rectangle {
    id: card
    required property var modelData
    readonly property var contact: modelData
    // the largest code's size (kiosk/screens/cards.py: at least 7 px per module; a long link
    // is drawn larger than the usual 340)
    readonly property int qrSize: contact.codes.reduce((size, code) => Math.max(size, code.size), 340)
    readonly property int gap: 24
    readonly property int inner: width - 48
    // one code, and room beside it for the texts (the name on a line or two)
    readonly property bool single: contact.codes.length === 1 && inner >= qrSize + 32 + gap + 420
    // several codes: two to a row, each with its number beside it where there is room for that,
    // else under it
    // (only where each cell also fits its longest label at the smallest size FittedText goes
    // to: "www.kok-gegen-menschenhandel.de" does not in the landscape article's side column)
    readonly property int codeColumns: contact.codes.length > 1
        && inner >= 2 * (qrSize + 32) + gap
        && longestLabel.advanceWidth <= (inner - gap) / 2 - 32 - 2 ? 2 : 1
    TextMetrics {
        id: longestLabel
        font.family: Theme.fontFamily
        font.pixelSize: 20  // FittedText's minSize
        font.bold: true
        text: card.contact.codes.reduce((a, code) => code.label.length > a.length ? code.label : a, "")
    }
    implicitHeight: layout.implicitHeight + 48
    radius: Theme.radius
    color: card.contact.emergency ? Theme.emergencyCard : Theme.contactCard
    border.color: card.contact.emergency ? Theme.help : Theme.primary
    border.width: 3

    Grid {
        id: layout
        x: 24; y: 24
        width: card.inner
        columns: card.single ? 2 : 1
        // the texts first (on top), and with a single code on the right of it
        layoutDirection: Qt.RightToLeft
        columnSpacing: card.gap
        rowSpacing: 16
        Column {
            id: texts
            width: card.single ? layout.width - card.qrSize - 32 - card.gap : layout.width
            spacing: 10
            Text {
                width: parent.width
                text: card.contact.kindLabel
                wrapMode: Text.Wrap
                font.family: Theme.fontFamily
                font.pixelSize: Theme.small
                font.bold: true
                font.capitalization: Font.AllUppercase
                color: card.contact.emergency ? Theme.help : Theme.primary
            }
            Text {
                width: parent.width
                text: card.contact.name
                wrapMode: Text.Wrap
                font.family: Theme.fontFamily
                font.pixelSize: Theme.heading
                font.bold: true
                color: Theme.text
            }
            // the single code's caption and number, printed beside it
            Text {
                visible: card.single && text !== ""
                width: parent.width
                text: card.single ? card.contact.codes[0].caption : ""
                wrapMode: Text.Wrap
                font.family: Theme.fontFamily
                font.pixelSize: Theme.body
                color: Theme.muted
            }
            FittedText {
                objectName: "code.label"
                visible: card.single
                width: parent.width
                text: card.single ? card.contact.codes[0].label : ""
                size: card.single && card.contact.codes[0].kind === "tel" ? Theme.number : Theme.body
                color: Theme.text
            }
            Text {
                visible: text !== ""
                width: parent.width
                text: card.contact.details.join("  ·  ")
                wrapMode: Text.Wrap
                font.family: Theme.fontFamily
                font.pixelSize: Theme.body
                color: Theme.text
            }
            Text {
                width: parent.width
                text: [card.contact.sample === true ? Theme.strings["article.sample_notice"] : "",
                       card.contact.checked, card.contact.source].filter(s => s !== "").join("   ·   ")
                wrapMode: Text.Wrap
                font.family: Theme.fontFamily
                font.pixelSize: Theme.small
                color: Theme.muted
            }
        }
        Grid {
            id: codes
            width: card.single ? card.qrSize + 32 : layout.width
            columns: card.codeColumns
            spacing: card.gap
            Repeater {
                model: card.contact.codes
                QrRow {
                    objectName: "contact." + card.contact.id + ".code." + index
                    width: (codes.width - (codes.columns - 1) * codes.spacing) / codes.columns
                    qrSize: card.qrSize
                    imageOnly: card.single
                    hint: false  // said once above the cards (ScanHint)
                }
            }
        }
    }
}
