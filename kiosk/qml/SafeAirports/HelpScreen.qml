import QtQuick

// Help: emergency numbers and hotlines in the destination and at home, each with a QR code,
// and one QR code that saves them all to the phone.
ScrollPage {
    id: screen
    objectName: "screen.help"
    // The page is read once: screens are rebuilt whenever it changes.
    readonly property var page: kiosk.page
    property bool portrait: true
    maxWidth: 1300

    Text {
        width: parent.width
        text: page.title || ""
        wrapMode: Text.Wrap
        font.family: Theme.fontFamily
        font.pixelSize: Theme.title
        font.bold: true
        color: Theme.text
    }
    Rectangle {
        visible: (page.inDanger || "") !== ""
        width: parent.width
        height: danger.implicitHeight + 48
        radius: Theme.radius
        color: Theme.help
        Grid {
            id: danger
            x: 24; y: 24
            width: parent.width - 48
            columns: width > 900 ? 2 : 1
            spacing: 32
            verticalItemAlignment: Grid.AlignVCenter
            Rectangle {
                width: 336; height: 336
                color: "white"
                radius: 8
                Image {
                    objectName: "help.emergency"
                    anchors.centerIn: parent
                    source: page.inDangerCode ? "image://qr/" + page.inDangerCode.image : ""
                    width: 320; height: 320
                    sourceSize.width: 320; sourceSize.height: 320
                    smooth: false
                    cache: false
                    fillMode: Image.Pad
                    property string payload: page.inDangerCode ? page.inDangerCode.payload : ""
                }
            }
            Text {
                width: danger.columns === 2 ? danger.width - 336 - danger.spacing : danger.width
                text: page.inDanger || ""
                wrapMode: Text.Wrap
                font.family: Theme.fontFamily
                font.pixelSize: Theme.title
                font.bold: true
                color: Theme.helpText
            }
        }
    }
    Rectangle {
        visible: !!page.vcard
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
                text: Theme.strings["help.save_all"] || ""
                wrapMode: Text.Wrap
                font.family: Theme.fontFamily
                font.pixelSize: Theme.heading
                font.bold: true
                color: Theme.primary
            }
            Text {
                width: parent.width
                text: Theme.strings["help.save_all_hint"] || ""
                wrapMode: Text.Wrap
                font.family: Theme.fontFamily
                font.pixelSize: Theme.body
                color: Theme.text
            }
            Image {
                objectName: "help.vcard"
                anchors.horizontalCenter: parent.horizontalCenter
                source: page.vcard ? "image://qr/" + page.vcard.image : ""
                width: 560; height: 560
                sourceSize.width: 560; sourceSize.height: 560
                smooth: false
                cache: false
                fillMode: Image.Pad
                property string payload: page.vcard ? page.vcard.payload : ""
            }
        }
    }
    Text {
        visible: (page.destTitle || "") !== ""
        width: parent.width
        text: page.destTitle || ""
        wrapMode: Text.Wrap
        font.family: Theme.fontFamily
        font.pixelSize: Theme.title
        font.bold: true
        color: Theme.text
        topPadding: 16
    }
    // The banner, the vCard and the first card fill the first screen: the other cards are
    // built right after its first frame.
    Repeater {
        model: (page.destContacts || []).slice(0, 1)
        ContactCard {
            objectName: "help.contact." + modelData.id
            width: parent.width
            contact: modelData
        }
    }
    Repeater {
        model: screen.ready ? (page.destContacts || []).slice(1) : []
        ContactCard {
            objectName: "help.contact." + modelData.id
            width: parent.width
            contact: modelData
        }
    }
    Text {
        visible: screen.ready
        width: parent.width
        text: page.homeTitle || ""
        wrapMode: Text.Wrap
        font.family: Theme.fontFamily
        font.pixelSize: Theme.title
        font.bold: true
        color: Theme.text
        topPadding: 16
    }
    Repeater {
        model: screen.ready ? (page.homeContacts || []) : []
        ContactCard {
            objectName: "help.contact." + modelData.id
            width: parent.width
            contact: modelData
        }
    }
}
