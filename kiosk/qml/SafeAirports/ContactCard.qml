pragma ComponentBehavior: Bound
import QtQuick

// A contact: its name and kind, hours and languages, and a QR code for each way to reach it.
// A Repeater's delegate: the contact (kiosk/screens/cards.py ContactCard) is its modelData.
Rectangle {
    id: card
    required property var modelData
    readonly property var contact: modelData
    implicitHeight: column.implicitHeight + 48
    radius: Theme.radius
    color: card.contact.emergency ? Theme.emergencyCard : Theme.contactCard
    border.color: card.contact.emergency ? Theme.help : Theme.primary
    border.width: 3

    Column {
        id: column
        x: 24; y: 24
        width: card.width - 48
        spacing: 14
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
        Repeater {
            model: card.contact.details
            Text {
                required property string modelData
                width: column.width
                text: modelData
                wrapMode: Text.Wrap
                font.family: Theme.fontFamily
                font.pixelSize: Theme.body
                color: Theme.text
            }
        }
        Text {
            visible: card.contact.sample === true
            width: parent.width
            text: Theme.strings["article.sample_notice"]
            wrapMode: Text.Wrap
            font.family: Theme.fontFamily
            font.pixelSize: Theme.small
            color: Theme.muted
        }
        Text {
            width: parent.width
            text: card.contact.source ? card.contact.checked + "   ·   " + card.contact.source
                                      : card.contact.checked
            wrapMode: Text.Wrap
            font.family: Theme.fontFamily
            font.pixelSize: Theme.small
            color: Theme.muted
        }
        Repeater {
            model: card.contact.codes
            QrRow {
                objectName: "contact." + card.contact.id + ".code." + index
                width: column.width
            }
        }
    }
}
