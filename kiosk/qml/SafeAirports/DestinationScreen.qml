pragma ComponentBehavior: Bound
import QtQuick

// A destination: the nine topics as big icon tiles.
ScrollPage {
    id: screen
    objectName: "screen.destination"
    readonly property var page: Kiosk.destinationPage
    property bool portrait: true
    maxWidth: 1800

    Text {
        width: parent.width
        text: screen.page.title
        wrapMode: Text.Wrap
        font.family: Theme.fontFamily
        font.pixelSize: Theme.title
        font.bold: true
        color: Theme.text
    }
    NoticeBanner { width: parent.width; notices: screen.page.notices }
    NationalityChip { width: parent.width }
    Grid {
        id: grid
        width: parent.width
        columns: screen.portrait ? (Theme.large ? 2 : 3) : (Theme.large ? 4 : 5)
        spacing: Theme.spacing
        readonly property real tileWidth: (width - (columns - 1) * spacing) / columns
        property real tallest: {
            let h = 0
            for (let i = 0; i < children.length; ++i)
                if (children[i].implicitHeight !== undefined && children[i].objectName !== "")
                    h = Math.max(h, children[i].implicitHeight)
            return h
        }
        Repeater {
            model: screen.page.topics
            BigButton {
                required property var modelData
                objectName: "topic." + modelData.id
                width: grid.tileWidth
                height: Math.max(implicitHeight, grid.tallest)
                minHeight: screen.portrait ? 300 : 280
                vertical: true
                alignTop: true
                icon: modelData.icon
                iconSize: 128
                fontSize: Theme.button
                ink: Theme.text
                text: modelData.title
                onClicked: Kiosk.openTopic(modelData.id)
            }
        }
    }
}
