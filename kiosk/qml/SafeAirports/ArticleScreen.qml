import QtQuick

// An article: large readable text (general part, then the destination's own), then who to
// call and the links, each as a QR code with the number or link printed beside it.
ScrollPage {
    id: screen
    objectName: "screen.article"
    // The page is read once: screens are rebuilt whenever it changes.
    readonly property var page: kiosk.page
    property bool portrait: true
    maxWidth: 1300

    Row {
        width: parent.width
        spacing: 24
        Image {
            visible: (page.icon || "") !== ""
            source: page.icon || ""
            width: 110; height: 110
            sourceSize.width: 110; sourceSize.height: 110
        }
        Text {
            width: parent.width - 134
            anchors.verticalCenter: parent.verticalCenter
            text: page.title || ""
            wrapMode: Text.Wrap
            font.family: Theme.fontFamily
            font.pixelSize: Theme.title
            font.bold: true
            color: Theme.text
        }
    }

    Repeater {
        model: page.sections || []
        Column {
            id: section
            width: parent.width
            spacing: 20
            property var info: modelData
            Rectangle {
                width: Math.min(parent.width, chip.implicitWidth + 40)
                height: chip.implicitHeight + 16
                radius: height / 2
                color: Theme.primary
                Text {
                    id: chip
                    anchors.centerIn: parent
                    width: Math.min(implicitWidth, section.width - 40)
                    text: section.info.heading
                    wrapMode: Text.Wrap
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.small
                    font.bold: true
                    color: Theme.primaryText
                }
            }
            Text {
                width: parent.width
                text: section.info.title
                wrapMode: Text.Wrap
                font.family: Theme.fontFamily
                font.pixelSize: Theme.heading
                font.bold: true
                color: Theme.text
            }
            Rectangle {
                visible: section.info.sample
                width: parent.width
                height: sampleText.implicitHeight + 24
                color: Theme.sample
                radius: 8
                Text {
                    id: sampleText
                    x: 16; y: 12
                    width: parent.width - 32
                    text: Theme.strings["article.sample_notice"] || ""
                    wrapMode: Text.Wrap
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.small
                    color: Theme.text
                }
            }
            Repeater {
                model: section.info.blocks
                Column {
                    id: block
                    width: section.width
                    spacing: 12
                    readonly property string kind: modelData.kind
                    Body {
                        visible: block.kind === "heading" || block.kind === "paragraph"
                        width: parent.width
                        text: modelData.text
                        strong: block.kind === "heading"
                        font.pixelSize: block.kind === "heading" ? Theme.heading - 4 : Theme.body
                        topPadding: block.kind === "heading" ? 12 : 0
                    }
                    Repeater {
                        model: block.kind === "bullets" || block.kind === "numbers" ? modelData.items : []
                        Row {
                            width: block.width
                            spacing: 16
                            Body {
                                width: 56
                                horizontalAlignment: Text.AlignRight
                                text: block.kind === "numbers" ? (index + 1) + "." : "•"
                                strong: true
                            }
                            Body {
                                width: parent.width - 72
                                text: modelData
                            }
                        }
                    }
                }
            }
            Text {
                width: parent.width
                text: section.info.verified + "   ·   " + section.info.source
                wrapMode: Text.Wrap
                font.family: Theme.fontFamily
                font.pixelSize: Theme.small
                color: Theme.muted
            }
            Rectangle { width: parent.width; height: 2; color: Theme.border }
        }
    }

    Repeater {
        model: page.articleLinks || []
        BigButton {
            objectName: "article.link." + index
            width: parent.width
            text: modelData.label
            icon: "icons/forward.svg"
            onClicked: kiosk.openLink(modelData.url)
        }
    }

    Text {
        visible: screen.ready && (page.contacts || []).length > 0
        width: parent.width
        text: Theme.strings["article.contacts"] || ""
        wrapMode: Text.Wrap
        font.family: Theme.fontFamily
        font.pixelSize: Theme.title
        font.bold: true
        color: Theme.text
    }
    Repeater {
        model: screen.ready ? (page.contacts || []) : []
        ContactCard {
            objectName: "article.contact." + modelData.id
            width: parent.width
            contact: modelData
        }
    }
    Text {
        visible: screen.ready && (page.links || []).length > 0
        width: parent.width
        text: Theme.strings["article.links"] || ""
        wrapMode: Text.Wrap
        font.family: Theme.fontFamily
        font.pixelSize: Theme.title
        font.bold: true
        color: Theme.text
    }
    Repeater {
        model: screen.ready ? (page.links || []) : []
        QrRow {
            objectName: "article.linkqr." + index
            width: parent.width
            code: modelData
            caption: modelData.title
        }
    }
}
