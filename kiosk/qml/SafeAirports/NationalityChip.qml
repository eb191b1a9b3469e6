import QtQuick

// Whose citizen the screen is for ("Citizen of Uzbekistan", its flag) and a call to change it:
// one tap opens the short list (NationalityPicker.qml). Not shown when there is no choice.
Rectangle {
    id: chip
    objectName: "nationality.chip"
    // kiosk/screens/nationality.py NationalityView
    readonly property var view: Kiosk.nationality
    readonly property int flagWidth: 72
    visible: view.options.length > 1
    implicitWidth: 800
    implicitHeight: visible ? Math.max(Theme.minTarget, row.implicitHeight + 2 * 12) : 0
    radius: Theme.radius
    color: area.pressed ? Theme.pressed : Theme.surface
    border.color: Theme.primary
    border.width: 2

    Row {
        id: row
        x: 20
        y: (chip.height - height) / 2
        width: chip.width - 2 * x
        spacing: 16
        Image {
            objectName: "nationality.chipFlag"
            visible: chip.view.flag !== ""
            anchors.verticalCenter: parent.verticalCenter
            source: chip.view.flag
            width: chip.flagWidth
            height: chip.flagWidth
            sourceSize.width: Math.ceil(chip.flagWidth * Theme.pixelScale)
            sourceSize.height: Math.ceil(chip.flagWidth * Theme.pixelScale)
            fillMode: Image.PreserveAspectFit
        }
        Text {
            objectName: "nationality.label"
            anchors.verticalCenter: parent.verticalCenter
            width: row.width - change.width - row.spacing
                   - (chip.view.flag !== "" ? chip.flagWidth + row.spacing : 0)
            text: chip.view.label
            wrapMode: Text.Wrap
            font.family: Theme.fontFamily
            font.pixelSize: Theme.body
            font.bold: true
            color: Theme.text
        }
        Rectangle {
            id: change
            anchors.verticalCenter: parent.verticalCenter
            width: changeRow.implicitWidth + 2 * 16
            height: Math.max(64, changeRow.implicitHeight + 2 * 8)
            radius: height / 2
            color: Theme.primary
            Row {
                id: changeRow
                anchors.centerIn: parent
                spacing: 8
                Text {
                    anchors.verticalCenter: parent.verticalCenter
                    text: chip.view.change
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.small
                    font.bold: true
                    color: Theme.primaryText
                }
                Image {
                    anchors.verticalCenter: parent.verticalCenter
                    source: "icons/chevron-down.svg"
                    width: 32; height: 32
                    sourceSize.width: Math.ceil(32 * Theme.pixelScale)
                    sourceSize.height: Math.ceil(32 * Theme.pixelScale)
                }
            }
        }
    }
    MouseArea {
        id: area
        anchors.fill: parent
        onClicked: Kiosk.openNationality()
    }
}
