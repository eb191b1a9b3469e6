pragma ComponentBehavior: Bound
import QtQuick

// A contact: its name and kind, hours and languages, and one QR code at a time beside the texts
// with what it holds printed among them (the number, or the link). A contact with several ways
// to reach it (a second number, its website, a messenger) lists them all under the texts, each
// printed in full on a button: a tap shows that one's code in the same place. So every number
// and link is on the card, and the card stays one code tall (issue 11: a help screen of at most
// four screens). A Repeater's delegate: the contact (kiosk/screens/cards.py ContactCard) is its
// modelData. The screen says once, above its cards, how to use the codes (ScanHint).
Rectangle {
    id: card
    required property var modelData
    readonly property var contact: modelData
    // the code shown: the first (a number where the contact has one) until another is chosen
    property int shown: 0
    readonly property var code: contact.codes.length > 0
        ? contact.codes[Math.min(shown, contact.codes.length - 1)] : null
    // the largest code's size, so that the card keeps its size when another code is shown
    // (kiosk/screens/cards.py: at least 7 px per module; a long link is drawn larger than 340)
    readonly property int qrSize: contact.codes.reduce((size, c) => Math.max(size, c.size), 340)
    readonly property int gap: 24
    readonly property int inner: width - 48
    // the code beside the texts where there is room for them (the name on a line or two),
    // else under them
    readonly property bool beside: code !== null && inner >= qrSize + 32 + gap + 420
    implicitHeight: layout.implicitHeight + 48
    radius: Theme.radius
    color: card.contact.emergency ? Theme.emergencyCard : Theme.contactCard
    border.color: card.contact.emergency ? Theme.help : Theme.primary
    border.width: 3

    Column {
        id: layout
        x: 24; y: 24
        width: card.inner
        spacing: 16
        Grid {
            width: parent.width
            columns: card.beside ? 2 : 1
            // the texts first (on top), and beside the code on the right of it
            layoutDirection: Qt.RightToLeft
            columnSpacing: card.gap
            rowSpacing: 16
            Column {
                id: texts
                width: card.beside ? layout.width - card.qrSize - 32 - card.gap : layout.width
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
                // the shown code's caption and number, printed beside it
                Text {
                    visible: card.beside && text !== ""
                    width: parent.width
                    text: card.beside ? card.code.caption : ""
                    wrapMode: Text.Wrap
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.body
                    color: Theme.muted
                }
                FittedText {
                    objectName: "code.label"
                    visible: card.beside
                    width: parent.width
                    text: card.beside ? card.code.label : ""
                    size: card.beside && card.code.kind === "tel" ? Theme.number : Theme.body
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
            Repeater {
                // the shown code (none for a contact without any)
                model: card.code !== null ? [card.code] : []
                QrRow {
                    objectName: "contact." + card.contact.id + ".code." + card.shown
                    width: card.beside ? card.qrSize + 32 : layout.width
                    qrSize: card.qrSize
                    imageOnly: card.beside
                    hint: false  // said once above the cards (ScanHint)
                }
            }
        }
        // every way to reach the contact, printed in full; a tap shows its code above
        Flow {
            visible: card.contact.codes.length > 1
            width: parent.width
            spacing: 16
            Repeater {
                model: card.contact.codes.length > 1 ? card.contact.codes : []
                Rectangle {
                    id: choice
                    required property var modelData
                    required property int index
                    readonly property bool current: index === card.shown
                    objectName: "contact." + card.contact.id + ".choice." + index
                    width: Math.min(layout.width, choiceText.implicitWidth + 48)
                    height: Math.max(Theme.minTarget, choiceText.implicitHeight + 24)
                    radius: Theme.radius
                    color: current ? Theme.primary : choiceArea.pressed ? Theme.pressed : Theme.surface
                    border.color: Theme.primary
                    border.width: choiceArea.pressed ? 6 : 3
                    Text {
                        id: choiceText
                        x: 24
                        width: Math.min(implicitWidth, layout.width - 48)
                        anchors.verticalCenter: parent.verticalCenter
                        text: choice.modelData.caption !== ""
                            ? choice.modelData.caption + ": " + choice.modelData.label
                            : choice.modelData.label
                        wrapMode: Text.WrapAtWordBoundaryOrAnywhere
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.body
                        font.bold: true
                        color: choice.current ? Theme.primaryText : Theme.primary
                    }
                    MouseArea {
                        id: choiceArea
                        anchors.fill: parent
                        onClicked: card.shown = choice.index
                    }
                }
            }
        }
    }
}
