import QtQuick

// Readable text: wraps to its width, big type, rich text limited to <b>/<i>.
Text {
    property bool strong: false
    wrapMode: Text.Wrap
    textFormat: Text.StyledText
    font.family: Theme.fontFamily
    font.pixelSize: Theme.body
    font.bold: strong
    color: Theme.text
    lineHeight: 1.25
}
