import QtQuick

// One row of an article's body (kiosk/screens/article.py ArticleRow): a section's chip, title or
// sample notice, a heading, a paragraph, a list item, the verified/source line or the divider.
// One light delegate for every kind keeps a long article cheap to build. A Repeater's delegate:
// the row is its modelData.
Item {
    id: row
    objectName: "article.row"
    required property var modelData
    readonly property var info: modelData
    readonly property string kind: info.kind
    readonly property bool chip: kind === "chip"
    readonly property bool boxed: kind === "sample"
    readonly property bool item: kind === "item"
    readonly property bool rich: kind === "heading" || kind === "paragraph" || item
    // A list item's picture sits left of its words (never instead of them); no gap without one.
    readonly property bool pictured: item && (info.picture || "") !== ""
    readonly property int pictureSize: 96
    readonly property int inset: chip ? 20 : boxed ? 16 : item ? 72 + (pictured ? pictureSize + 20 : 0) : 0
    implicitHeight: info.gap + box.height

    Rectangle {
        id: box
        y: row.info.gap
        width: row.chip ? Math.min(row.width, text.implicitWidth + 40) : row.width
        height: row.kind === "divider" ? 2
              : row.pictured ? Math.max(text.implicitHeight, row.pictureSize)
              : text.implicitHeight + (row.chip ? 16 : row.boxed ? 24 : 0)
        radius: row.chip ? height / 2 : row.boxed ? 8 : 0
        color: row.chip ? Theme.primary : row.boxed ? Theme.sample
             : row.kind === "divider" ? Theme.border : "transparent"

        Text {
            visible: row.item
            width: 56
            text: row.info.marker
            horizontalAlignment: Text.AlignRight
            font.family: Theme.fontFamily
            font.pixelSize: Theme.body
            font.bold: true
            color: Theme.text
            lineHeight: 1.25
        }
        Image {
            objectName: "article.picture"
            visible: row.pictured
            x: 72
            width: row.pictureSize
            height: row.pictureSize
            sourceSize.width: row.pictureSize
            sourceSize.height: row.pictureSize
            fillMode: Image.PreserveAspectFit
            source: row.pictured ? row.info.picture : ""
        }
        Text {
            id: text
            visible: row.kind !== "divider"
            x: row.inset
            y: row.chip ? 8 : row.boxed ? 12 : 0
            width: row.chip ? Math.min(implicitWidth, row.width - 40) : row.width - row.inset - (row.boxed ? 16 : 0)
            text: row.info.text
            wrapMode: Text.Wrap
            textFormat: row.rich ? Text.StyledText : Text.PlainText
            lineHeight: row.rich ? 1.25 : 1.0
            topPadding: row.kind === "heading" ? 12 : 0
            font.family: Theme.fontFamily
            font.pixelSize: row.kind === "title" || row.kind === "heading" ? Theme.heading - (row.kind === "heading" ? 4 : 0)
                          : row.kind === "paragraph" || row.item ? Theme.body : Theme.small
            font.bold: row.chip || row.kind === "title" || row.kind === "heading"
            color: row.chip ? Theme.primaryText : row.kind === "verified" ? Theme.muted : Theme.text
        }
    }
}
