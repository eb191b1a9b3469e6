import QtQuick

// "Before you go": the checklist of the before-you-go article, with big boxes to tick.
ScrollPage {
    id: screen
    objectName: "screen.checklist"
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
    Text {
        width: parent.width
        visible: text !== ""
        text: Theme.strings["checklist.hint"] || ""
        wrapMode: Text.Wrap
        font.family: Theme.fontFamily
        font.pixelSize: Theme.body
        color: Theme.muted
    }
    Repeater {
        model: page.items || []
        Rectangle {
            id: item
            objectName: "checklist.item." + index
            readonly property bool checked: kiosk.checkedItems.indexOf(index) >= 0
            width: parent.width
            height: Math.max(110, label.implicitHeight + 40)
            radius: Theme.radius
            color: checked ? "#E5F2E5" : Theme.surface
            border.color: checked ? "#2E7D32" : Theme.border
            border.width: 2
            Rectangle {
                id: box
                x: 24
                anchors.verticalCenter: parent.verticalCenter
                width: 72; height: 72; radius: 12
                color: item.checked ? "#2E7D32" : Theme.surface
                border.color: item.checked ? "#2E7D32" : Theme.primary
                border.width: 4
                Image {
                    anchors.centerIn: parent
                    visible: item.checked
                    source: "icons/check.svg"
                    width: 56; height: 56
                    sourceSize.width: 56; sourceSize.height: 56
                }
            }
            Body {
                id: label
                x: box.x + box.width + 28
                anchors.verticalCenter: parent.verticalCenter
                width: parent.width - x - 24
                text: modelData
            }
            MouseArea {
                anchors.fill: parent
                onClicked: kiosk.toggleCheck(index)
            }
        }
    }
}
