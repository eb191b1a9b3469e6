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
            height: text.implicitHeight + 48
            radius: Theme.radius
            color: Theme.accent
            border.color: Theme.text
            border.width: 3
            Text {
                id: text
                objectName: "notice.text"
                x: 32; y: 24
                width: box.width - 64
                text: box.modelData.text
                wrapMode: Text.Wrap
                font.family: Theme.fontFamily
                font.pixelSize: Theme.heading
                font.bold: true
                color: Theme.text
            }
        }
    }
}
