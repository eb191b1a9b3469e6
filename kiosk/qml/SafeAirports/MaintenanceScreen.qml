import QtQuick

// For technicians (behind a hidden gesture and a PIN): what this kiosk runs and shows.
ScrollPage {
    id: screen
    objectName: "screen.maintenance"
    // The page is read once: screens are rebuilt whenever it changes.
    readonly property var page: kiosk.page
    property bool portrait: true

    Text {
        width: parent.width
        text: page.title || ""
        wrapMode: Text.Wrap
        font.family: Theme.fontFamily
        font.pixelSize: Theme.title
        font.bold: true
        color: Theme.text
    }
    Repeater {
        model: page.rows || []
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
        text: Theme.strings["maintenance.close"] || ""
        onClicked: kiosk.closeMaintenance()
    }
}
