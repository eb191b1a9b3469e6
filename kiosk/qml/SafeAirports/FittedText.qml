import QtQuick

// A bold label whose longest word always fits its width: where one does not (a long link,
// "www.modernslaveryhelpline.org" in a narrow cell), the font shrinks just enough, down to
// `minSize`, instead of the word being broken; only below that does it wrap anywhere.
Text {
    id: label
    property int size: Theme.body
    property int minSize: 20
    TextMetrics {
        id: longest
        font.family: label.font.family
        font.pixelSize: label.size
        font.bold: label.font.bold
        text: label.text.split(/\s+/).reduce((a, b) => b.length > a.length ? b : a, "")
    }
    font.pixelSize: longest.advanceWidth > width - 2 && width > 0
        ? Math.max(minSize, Math.floor(size * (width - 2) / longest.advanceWidth)) : size
    wrapMode: Text.Wrap
    font.family: Theme.fontFamily
    font.bold: true
}
