import QtQuick

// For technicians (behind a hidden gesture and a PIN): what this kiosk runs and shows.
ScrollPage {
    id: screen
    objectName: "screen.maintenance"
    property bool portrait: true

    Text {
        width: parent.width
        text: kiosk.page.title || ""
        wrapMode: Text.Wrap
        font.family: Theme.fontFamily
        font.pixelSize: Theme.title
        font.bold: true
        color: Theme.text
    }
    Repeater {
        model: kiosk.page.rows || []
        Column {
            width: parent.width
            spacing: 4
            Text {
                width: parent.width
                text: modelData.label
                wrapMode: Text.Wrap
                font.family: Theme.fontFamily
                font.pixelSize: Theme.small
                color: Theme.muted
            }
            Text {
                objectName: "maintenance.value." + index
                width: parent.width
                text: modelData.value
                wrapMode: Text.WrapAnywhere
                font.family: Theme.fontFamily
                font.pixelSize: Theme.body
                font.bold: true
                color: Theme.text
            }
        }
    }
    BigButton {
        objectName: "maintenance.close"
        width: parent.width
        text: kiosk.strings["maintenance.close"] || ""
        onClicked: kiosk.closeMaintenance()
    }
}
