import QtQuick

// A large touch target: optional icon above or beside a label that wraps (never clipped).
Rectangle {
    id: button
    property string text: ""
    property string icon: ""
    property int iconSize: 56
    property bool vertical: false
    property int fontSize: Theme.button
    property bool bold: true
    property color fill: Theme.surface
    property color ink: Theme.primary
    property int minHeight: Theme.minTarget
    property int padding: 20
    property bool alignTop: false  // tiles of a grid: icons on one line whatever the label
    property alias label: label
    signal clicked()

    // the longest word of the label must fit on one line: if it does not (a long word in a
    // narrow tile, "Великобритания"), the label's font shrinks just enough, never the word broken
    TextMetrics {
        id: longestWord
        font.family: Theme.fontFamily
        font.pixelSize: button.fontSize
        font.bold: button.bold
        text: {
            const words = button.text.split(/\s+/)
            let longest = ""
            for (let i = 0; i < words.length; ++i)
                if (words[i].length > longest.length) longest = words[i]
            return longest
        }
    }
    readonly property int fittedFontSize: longestWord.advanceWidth > label.width - 2 && label.width > 0
        ? Math.max(12, Math.floor(fontSize * (label.width - 2) / longestWord.advanceWidth))
        : fontSize

    implicitWidth: 300
    implicitHeight: Math.max(minHeight, content.implicitHeight + 2 * padding)
    radius: Theme.radius
    color: area.pressed ? Qt.darker(fill, 1.12) : fill
    border.color: Qt.darker(fill, 1.25)
    border.width: 2

    Grid {
        id: content
        x: (button.width - width) / 2
        y: button.alignTop ? button.padding : (button.height - height) / 2
        width: button.text === "" ? button.iconSize : button.width - 2 * button.padding
        columns: button.vertical || button.icon === "" || button.text === "" ? 1 : 2
        spacing: 16
        horizontalItemAlignment: Grid.AlignHCenter
        verticalItemAlignment: Grid.AlignVCenter
        Image {
            visible: button.icon !== ""
            source: button.icon
            width: button.iconSize
            height: button.iconSize
            sourceSize.width: Math.ceil(button.iconSize * Theme.pixelScale)
            sourceSize.height: Math.ceil(button.iconSize * Theme.pixelScale)
            fillMode: Image.PreserveAspectFit
        }
        Text {
            id: label
            visible: button.text !== ""
            text: button.text
            width: button.vertical || button.icon === ""
                   ? content.width : content.width - button.iconSize - content.spacing
            horizontalAlignment: button.vertical || button.icon === "" ? Text.AlignHCenter : Text.AlignLeft
            wrapMode: Text.Wrap
            font.family: Theme.fontFamily
            font.pixelSize: button.fittedFontSize
            font.bold: button.bold
            color: button.ink
        }
    }
    MouseArea {
        id: area
        anchors.fill: parent
        onClicked: button.clicked()
    }
}
