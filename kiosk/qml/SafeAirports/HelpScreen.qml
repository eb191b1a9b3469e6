pragma ComponentBehavior: Bound
import QtQuick

// Help: the number to call in danger, then the contacts in the destination (or, before one is
// chosen, at home), each with its QR codes, one QR code that saves them all to the phone, and
// the contacts at home. The banner and the first numbers are on the first screen in both
// orientations; landscape shows the cards in two columns, the banner heading the left one.
ScrollPage {
    id: screen
    objectName: "screen.help"
    // kiosk/screens/help.py HelpScreen; another destination's help rebuilds the screen.
    readonly property var page: Kiosk.helpPage
    property bool portrait: true
    maxWidth: portrait ? 1300 : 1824

    // Before a destination is chosen the home contacts are the first section.
    readonly property bool atHome: page.destTitle === ""
    readonly property var firstCards: atHome ? [] : page.destContactsFirst
    readonly property var restCards: ready ? (atHome ? page.homeContacts : page.destContactsRest) : []
    readonly property var homeCards: ready && !atHome ? page.homeContacts : []
    // every other card from `from`: the columns of landscape
    function alternate(cards: var, from: int): var {
        return cards.filter((card, i) => i % 2 === from)
    }

    Text {
        width: parent.width
        text: screen.page.title
        wrapMode: Text.Wrap
        font.family: Theme.fontFamily
        font.pixelSize: Theme.title
        font.bold: true
        color: Theme.text
    }
    ListenButton {}  // issue 13: hear this screen (kiosk/listen.py)
    LanguageRow { width: parent.width; languages: screen.page.languages }
    NoticeBanner { width: parent.width; notices: screen.page.notices }
    NationalityChip { width: parent.width }
    Text {
        width: parent.width
        text: screen.atHome ? screen.page.homeTitle : screen.page.destTitle
        wrapMode: Text.Wrap
        font.family: Theme.fontFamily
        font.pixelSize: Theme.heading
        font.bold: true
        color: Theme.text
    }
    ScanHint { width: parent.width }
    // The banner and the first section's cards: one column in portrait; in landscape the banner
    // and every other card on the left, the first card and the others on the right.
    Row {
        id: first
        width: parent.width
        spacing: Theme.spacing
        readonly property real columnWidth: screen.portrait ? width : (width - spacing) / 2
        Column {
            width: first.columnWidth
            spacing: Theme.spacing
            Rectangle {
                objectName: "help.banner"
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
                    columns: width > 760 && screen.page.inDangerCode ? 2 : 1
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
                    FittedText {
                        width: danger.columns === 2 ? danger.width - 336 - danger.spacing : danger.width
                        text: screen.page.inDanger
                        size: Theme.title
                        color: Theme.helpText
                    }
                }
            }
            // what the number's own card said (free call, hours, languages; checked on,
            // source): the card is not repeated under the banner, its words are its caption
            Text {
                objectName: "help.bannerDetails"
                visible: screen.page.inDanger !== "" && text !== ""
                width: parent.width
                text: [screen.page.inDangerDetails, screen.page.inDangerChecked]
                    .filter(s => s !== "").join("   ·   ")
                wrapMode: Text.Wrap
                font.family: Theme.fontFamily
                font.pixelSize: Theme.small
                color: Theme.muted
            }
            // The first card is built before the screen's first frame, the others after it.
            Repeater {
                model: screen.portrait ? screen.firstCards : []
                ContactCard {
                    objectName: "help.contact." + modelData.id
                    width: first.columnWidth
                }
            }
            Repeater {
                model: screen.portrait ? screen.restCards : screen.alternate(screen.restCards, 0)
                ContactCard {
                    objectName: "help.contact." + modelData.id
                    width: first.columnWidth
                }
            }
        }
        Column {
            visible: !screen.portrait
            width: first.columnWidth
            spacing: Theme.spacing
            Repeater {
                model: screen.portrait ? [] : screen.firstCards
                ContactCard {
                    objectName: "help.contact." + modelData.id
                    width: first.columnWidth
                }
            }
            Repeater {
                model: screen.portrait ? [] : screen.alternate(screen.restCards, 1)
                ContactCard {
                    objectName: "help.contact." + modelData.id
                    width: first.columnWidth
                }
            }
        }
    }
    Rectangle {
        visible: screen.ready && screen.page.vcards.length > 0
        width: parent.width
        height: saveAll.implicitHeight + 48
        radius: Theme.radius
        color: Theme.surface
        border.color: Theme.primary
        border.width: 3
        // the words on the left, the code on the right (under the words where they would not fit)
        Grid {
            id: saveAll
            x: 24; y: 24
            width: parent.width - 48
            // every code beside the words where they all fit (one code); in portrait, where
            // several are shown one at a time (VcardCodes), that one beside the words
            readonly property bool allBeside: width >= vcard.implicitWidth + columnSpacing + 320
            readonly property bool oneBeside: screen.portrait && width >= vcard.size + columnSpacing + 320
            columns: allBeside || oneBeside ? 2 : 1
            spacing: 16
            columnSpacing: 32
            horizontalItemAlignment: columns === 1 ? Grid.AlignHCenter : Grid.AlignLeft
            verticalItemAlignment: Grid.AlignVCenter
            Column {
                width: saveAll.columns === 1 ? saveAll.width : saveAll.width - saveAll.columnSpacing - vcard.width
                spacing: 16
                FittedText {
                    width: parent.width
                    text: Theme.strings["help.save_all"]
                    size: Theme.heading
                    color: Theme.primary
                }
                Text {
                    width: parent.width
                    text: screen.page.saveAllHint
                    wrapMode: Text.Wrap
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.body
                    color: Theme.text
                }
            }
            VcardCodes {
                id: vcard
                model: screen.page.vcards
                width: saveAll.columns === 1 ? saveAll.width : saveAll.allBeside ? implicitWidth : size
            }
        }
    }
    Text {
        visible: screen.ready && !screen.atHome
        width: parent.width
        text: screen.page.homeTitle
        wrapMode: Text.Wrap
        font.family: Theme.fontFamily
        font.pixelSize: Theme.heading
        font.bold: true
        color: Theme.text
        topPadding: 16
    }
    Row {
        id: home
        width: parent.width
        spacing: Theme.spacing
        readonly property real columnWidth: screen.portrait ? width : (width - spacing) / 2
        Column {
            width: home.columnWidth
            spacing: Theme.spacing
            Repeater {
                model: screen.portrait ? screen.homeCards : screen.alternate(screen.homeCards, 0)
                ContactCard {
                    objectName: "help.contact." + modelData.id
                    width: home.columnWidth
                }
            }
        }
        Column {
            visible: !screen.portrait
            width: home.columnWidth
            spacing: Theme.spacing
            Repeater {
                model: screen.portrait ? [] : screen.alternate(screen.homeCards, 1)
                ContactCard {
                    objectName: "help.contact." + modelData.id
                    width: home.columnWidth
                }
            }
        }
    }
}
