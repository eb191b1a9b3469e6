pragma ComponentBehavior: Bound
import QtQuick

// For technicians (behind a hidden gesture and a PIN): what this kiosk runs and shows.
ScrollPage {
    id: screen
    objectName: "screen.maintenance"
    readonly property var page: Kiosk.maintenancePage
    property bool portrait: true

    Text {
        width: parent.width
        text: screen.page.title
        wrapMode: Text.Wrap
        font.family: Theme.fontFamily
        font.pixelSize: Theme.title
        font.bold: true
        color: Theme.text
    }
    Repeater {
        model: screen.page.rows
        Column {
            id: row
            required property var modelData
            required property int index
            width: parent.width
            spacing: 4
            Text {
                width: parent.width
                text: row.modelData.label
                wrapMode: Text.Wrap
                font.family: Theme.fontFamily
                font.pixelSize: Theme.small
                color: Theme.muted
            }
            Text {
                objectName: "maintenance.value." + row.index
                width: parent.width
                text: row.modelData.value
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
        text: Theme.strings["maintenance.close"]
        onClicked: Kiosk.closeMaintenance()
    }
}
