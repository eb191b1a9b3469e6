import QtQuick

// "Scan a code with your phone's camera to save it": said once above a screen's contact cards.
Text {
    text: Theme.strings["article.scan_hint"]
    visible: text !== ""
    wrapMode: Text.Wrap
    font.family: Theme.fontFamily
    font.pixelSize: Theme.body
    color: Theme.muted
}
