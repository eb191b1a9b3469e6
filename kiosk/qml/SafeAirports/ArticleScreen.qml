pragma ComponentBehavior: Bound
import QtQuick

// An article: large readable text (general part, then the destination's own), then who to
// call and the links, each as a QR code with the number or link printed beside it. In
// landscape the contacts and links are a column beside the text.
ScrollPage {
    id: screen
    objectName: "screen.article"
    // kiosk/screens/article.py ArticleScreen; a new article rebuilds the screen.
    readonly property var page: Kiosk.articlePage
    property bool portrait: true
    readonly property bool hasSide: page.contacts.length > 0 || page.links.length > 0
    readonly property bool twoColumns: !portrait && hasSide
    maxWidth: twoColumns ? 1824 : 1300

    Row {
        width: parent.width
        spacing: 24
        Image {
            visible: screen.page.icon !== ""
            source: screen.page.icon
            width: 110; height: 110
            sourceSize.width: Math.ceil(110 * Theme.pixelScale)
            sourceSize.height: Math.ceil(110 * Theme.pixelScale)
        }
        Text {
            width: parent.width - 134
            anchors.verticalCenter: parent.verticalCenter
            text: screen.page.title
            wrapMode: Text.Wrap
            font.family: Theme.fontFamily
            font.pixelSize: Theme.title
            font.bold: true
            color: Theme.text
        }
    }
    ListenButton {}  // issue 13: hear this screen (kiosk/listen.py)

    Grid {
        id: columns
        width: parent.width
        columns: screen.twoColumns ? 2 : 1
        columnSpacing: 2 * Theme.spacing
        rowSpacing: Theme.spacing
        // a contact card's width with its single code beside its texts (ContactCard)
        readonly property real sideWidth: screen.twoColumns ? 864 : width

        // The body as flat rows: those of the first screen now, the rest right after its first frame.
        Column {
            width: screen.twoColumns ? columns.width - columns.sideWidth - columns.columnSpacing : columns.width
            spacing: Theme.spacing
            Column {
                width: parent.width
                Repeater {
                    model: screen.page.rowsFirst
                    ArticleRow { width: parent.width }
                }
                Repeater {
                    model: screen.ready ? screen.page.rowsRest : []
                    ArticleRow { width: parent.width }
                }
            }
            Repeater {
                model: screen.page.articleLinks
                BigButton {
                    required property var modelData
                    required property int index
                    objectName: "article.link." + index
                    width: parent.width
                    text: modelData.label
                    icon: "icons/forward.svg"
                    onClicked: Kiosk.openLink(modelData.url)
                }
            }
        }

        // Who to call and the links: under the text, or beside it in landscape.
        Column {
            visible: screen.hasSide
            width: columns.sideWidth
            spacing: Theme.spacing
            Text {
                visible: screen.ready && screen.page.contacts.length > 0
                width: parent.width
                text: Theme.strings["article.contacts"]
                wrapMode: Text.Wrap
                font.family: Theme.fontFamily
                font.pixelSize: Theme.title
                font.bold: true
                color: Theme.text
            }
            ScanHint {
                visible: screen.ready && text !== ""
                width: parent.width
            }
            Repeater {
                model: screen.ready ? screen.page.contacts : []
                ContactCard {
                    objectName: "article.contact." + modelData.id
                    width: columns.sideWidth
                }
            }
            Text {
                visible: screen.ready && screen.page.links.length > 0
                width: parent.width
                text: Theme.strings["article.links"]
                wrapMode: Text.Wrap
                font.family: Theme.fontFamily
                font.pixelSize: Theme.title
                font.bold: true
                color: Theme.text
            }
            Repeater {
                model: screen.ready ? screen.page.links : []
                QrRow {
                    objectName: "article.linkqr." + index
                    width: columns.sideWidth
                }
            }
        }
    }
}
