pragma ComponentBehavior: Bound
import QtQuick

// "Before you go": the checklist of the before-you-go article, with big boxes to tick.
ScrollPage {
    id: screen
    objectName: "screen.checklist"
    readonly property var page: Kiosk.checklistPage
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
    ListenButton {}  // issue 13: hear this screen (kiosk/listen.py)
    Text {
        width: parent.width
        visible: text !== ""
        text: Theme.strings["checklist.hint"]
        wrapMode: Text.Wrap
        font.family: Theme.fontFamily
        font.pixelSize: Theme.body
        color: Theme.muted
    }
    Repeater {
        model: screen.page.items
        Rectangle {
            id: item
            required property string modelData
            required property int index
            objectName: "checklist.item." + index
            // ticks are kept by item id (kiosk/screens/checklist.py), not by position
            readonly property string itemId: screen.page.ids ? (screen.page.ids[index] || "") : ""
            readonly property bool checked: Kiosk.checkedItems.indexOf(itemId) >= 0
            // the item's picture, beside its words (never instead of them); "" none
            readonly property string picture: screen.page.pictures
                                              ? (screen.page.pictures[index] || "") : ""
            width: parent.width
            height: Math.max(picture !== "" ? 136 : 110, label.implicitHeight + 40)
            radius: Theme.radius
            color: checked ? Theme.doneSurface : Theme.surface
            border.color: checked ? Theme.done : Theme.border
            border.width: 2
            Rectangle {
                id: box
                x: 24
                anchors.verticalCenter: parent.verticalCenter
                width: 72; height: 72; radius: 12
                color: item.checked ? Theme.done : Theme.surface
                border.color: item.checked ? Theme.done : Theme.primary
                border.width: 4
                Image {
                    anchors.centerIn: parent
                    visible: item.checked
                    source: "icons/check.svg"
                    width: 56; height: 56
                    sourceSize.width: Math.ceil(56 * Theme.pixelScale)
                    sourceSize.height: Math.ceil(56 * Theme.pixelScale)
                }
            }
            Image {
                id: picture
                objectName: "checklist.picture." + item.index
                visible: item.picture !== ""
                x: box.x + box.width + 28
                anchors.verticalCenter: parent.verticalCenter
                width: visible ? 96 : 0
                height: 96
                sourceSize.width: 96
                sourceSize.height: 96
                fillMode: Image.PreserveAspectFit
                source: item.picture
            }
            Body {
                id: label
                x: picture.visible ? picture.x + picture.width + 24 : box.x + box.width + 28
                anchors.verticalCenter: parent.verticalCenter
                width: parent.width - x - 24
                text: item.modelData
            }
            MouseArea {
                anchors.fill: parent
                onClicked: Kiosk.toggleCheck(item.itemId)
            }
        }
    }
}
