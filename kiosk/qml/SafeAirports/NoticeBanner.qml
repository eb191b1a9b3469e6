pragma ComponentBehavior: Bound
import QtQuick

// Urgent notices (content/notices.py ShownNotice): one amber banner each, above the screen's
// content, in the reader's language or its fallback. Nothing shown when there is none.
Column {
    id: banner
    objectName: "notices"
    property var notices: []
    spacing: Theme.spacing / 2
    visible: notices.length > 0
    height: visible ? implicitHeight : 0

    Repeater {
        model: banner.notices
        Rectangle {
            id: box
            required property var modelData
            objectName: "notice." + modelData.id
            width: banner.width
            height: lines.implicitHeight + 48
            radius: Theme.radius
            color: Theme.accent
            border.color: Theme.text
            border.width: 3
            Column {
                id: lines
                x: 32; y: 24
                width: box.width - 64
                spacing: Theme.spacing / 3
                // the heading (bold), in the same language as the text; none when not written
                Text {
                    objectName: "notice.heading"
                    width: lines.width
                    visible: text !== ""
                    text: box.modelData.heading
                    wrapMode: Text.Wrap
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.heading
                    font.bold: true
                    color: Theme.text
                }
                Text {
                    objectName: "notice.text"
                    width: lines.width
                    text: box.modelData.text
                    wrapMode: Text.Wrap
                    font.family: Theme.fontFamily
                    // under a heading the text is body text; alone it stands out as before
                    font.pixelSize: box.modelData.heading ? Theme.body : Theme.heading
                    font.bold: !box.modelData.heading
                    color: Theme.text
                }
            }
        }
    }
}
