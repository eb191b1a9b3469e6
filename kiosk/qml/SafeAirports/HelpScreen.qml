pragma ComponentBehavior: Bound
import QtQuick

// Help: emergency numbers and hotlines in the destination and at home, each with a QR code,
// and one QR code that saves them all to the phone.
ScrollPage {
    id: screen
    objectName: "screen.help"
    // kiosk/screens/help.py HelpScreen; another destination's help rebuilds the screen.
    readonly property var page: Kiosk.helpPage
    property bool portrait: true
    maxWidth: 1300

    Text {
        width: parent.width
        text: screen.page.title
        wrapMode: Text.Wrap
        font.family: Theme.fontFamily
        font.pixelSize: Theme.title
        font.bold: true
        color: Theme.text
    }
    Rectangle {
        visible: screen.page.inDanger !== ""
        width: parent.width
        height: danger.implicitHeight + 48
        radius: Theme.radius
        color: Theme.help
        Grid {
            id: danger
            x: 24; y: 24
            width: parent.width - 48
            // No code where no number is confirmed: the text alone says so.
            columns: width > 900 && screen.page.inDangerCode ? 2 : 1
            spacing: 32
            verticalItemAlignment: Grid.AlignVCenter
            Rectangle {
                visible: !!screen.page.inDangerCode
                width: 336; height: 336
                color: Theme.qrBackground
                radius: 8
                Image {
                    objectName: "help.emergency"
                    anchors.centerIn: parent
                    source: screen.page.inDangerCode ? "image://qr/" + screen.page.inDangerCode.image : ""
                    width: 320; height: 320
                    sourceSize.width: 320; sourceSize.height: 320
                    smooth: false
                    cache: false
                    fillMode: Image.Pad
                    property string payload: screen.page.inDangerCode ? screen.page.inDangerCode.payload : ""
                }
            }
            Text {
                width: danger.columns === 2 ? danger.width - 336 - danger.spacing : danger.width
                text: screen.page.inDanger
                wrapMode: Text.Wrap
                font.family: Theme.fontFamily
                font.pixelSize: Theme.title
                font.bold: true
                color: Theme.helpText
            }
        }
    }
    ListenButton {}  // issue 13: hear this screen (kiosk/listen.py)
    Rectangle {
        visible: !!screen.page.vcard
        width: parent.width
        height: saveAll.implicitHeight + 48
        radius: Theme.radius
        color: Theme.surface
        border.color: Theme.primary
        border.width: 3
        Column {
            id: saveAll
            x: 24; y: 24
            width: parent.width - 48
            spacing: 16
            Text {
                width: parent.width
                text: Theme.strings["help.save_all"]
                wrapMode: Text.Wrap
                font.family: Theme.fontFamily
                font.pixelSize: Theme.heading
                font.bold: true
                color: Theme.primary
            }
            Text {
                width: parent.width
                text: Theme.strings["help.save_all_hint"]
                wrapMode: Text.Wrap
                font.family: Theme.fontFamily
                font.pixelSize: Theme.body
                color: Theme.text
            }
            Image {
                objectName: "help.vcard"
                anchors.horizontalCenter: parent.horizontalCenter
                source: screen.page.vcard ? "image://qr/" + screen.page.vcard.image : ""
                width: 560; height: 560
                sourceSize.width: 560; sourceSize.height: 560
                smooth: false
                cache: false
                fillMode: Image.Pad
                property string payload: screen.page.vcard ? screen.page.vcard.payload : ""
            }
        }
    }
    Text {
        visible: screen.page.destTitle !== ""
        width: parent.width
        text: screen.page.destTitle
        wrapMode: Text.Wrap
        font.family: Theme.fontFamily
        font.pixelSize: Theme.title
        font.bold: true
        color: Theme.text
        topPadding: 16
    }
    // The banner, the vCard and the first cards fill the first screen: the other cards are
    // built right after its first frame.
    Repeater {
        model: screen.page.destContactsFirst
        ContactCard {
            objectName: "help.contact." + modelData.id
            width: parent.width
        }
    }
    Repeater {
        model: screen.ready ? screen.page.destContactsRest : []
        ContactCard {
            objectName: "help.contact." + modelData.id
            width: parent.width
        }
    }
    Text {
        visible: screen.ready
        width: parent.width
        text: screen.page.homeTitle
        wrapMode: Text.Wrap
        font.family: Theme.fontFamily
        font.pixelSize: Theme.title
        font.bold: true
        color: Theme.text
        topPadding: 16
    }
    Repeater {
        model: screen.ready ? screen.page.homeContacts : []
        ContactCard {
            objectName: "help.contact." + modelData.id
            width: parent.width
        }
    }
}
