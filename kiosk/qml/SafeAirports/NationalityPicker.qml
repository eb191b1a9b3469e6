pragma ComponentBehavior: Bound
import QtQuick

// The short list of nationalities (the content's home countries, the airport's own first, with
// their flags): one tap picks one and the screen is built again for its citizens. A tap beside
// the list, or Cancel, closes it unchanged.
Rectangle {
    id: picker
    color: Theme.scrim
    // kiosk/screens/nationality.py NationalityView
    readonly property var view: Kiosk.nationality

    MouseArea {
        anchors.fill: parent
        onClicked: Kiosk.closeNationality()
    }
    Rectangle {
        id: card
        objectName: "nationality.list"
        width: Math.min(parent.width - 2 * Theme.margin, 1000)
        height: Math.min(parent.height - 2 * Theme.margin, column.implicitHeight + 2 * 32)
        anchors.centerIn: parent
        radius: Theme.radius
        color: Theme.background
        clip: true
        MouseArea { anchors.fill: parent }  // a tap on the card itself changes nothing
        Column {
            id: column
            x: 32
            y: 32
            width: card.width - 2 * 32
            spacing: Theme.spacing
            Text {
                width: parent.width
                text: picker.view.title
                wrapMode: Text.Wrap
                font.family: Theme.fontFamily
                font.pixelSize: Theme.heading
                font.bold: true
                color: Theme.text
            }
            Text {
                width: parent.width
                text: picker.view.hint
                wrapMode: Text.Wrap
                font.family: Theme.fontFamily
                font.pixelSize: Theme.body
                color: Theme.muted
            }
            Repeater {
                model: picker.view.options
                BigButton {
                    required property var modelData
                    objectName: "nationality.option." + modelData.id
                    width: column.width
                    minHeight: 120
                    icon: modelData.flag
                    iconSize: 72
                    fontSize: Theme.button
                    text: modelData.name
                    ink: Theme.text
                    fill: modelData.selected ? Theme.pressed : Theme.surface
                    border.color: modelData.selected ? Theme.primary : Qt.darker(fill, 1.25)
                    border.width: modelData.selected ? 6 : 2
                    onClicked: Kiosk.chooseNationality(modelData.id)
                }
            }
            BigButton {
                objectName: "nationality.cancel"
                width: column.width
                text: picker.view.cancel
                onClicked: Kiosk.closeNationality()
            }
        }
    }
}
