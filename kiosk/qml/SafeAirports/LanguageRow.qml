pragma ComponentBehavior: Bound
import QtQuick

// Help opened before a language is chosen: every language of the airport, named in itself.
// One tap shows the help screen (and the bar) in that language; the one shown is marked.
// Empty (and no height) once a language was chosen before help was opened.
Flow {
    id: row
    objectName: "help.languages"
    property var languages: []
    visible: languages.length > 0
    spacing: 24
    Repeater {
        model: row.languages
        BigButton {
            required property var modelData
            objectName: "help.lang." + modelData.id
            width: 300
            minHeight: Theme.minTarget + 20
            fontSize: Theme.button
            text: modelData.name
            fill: modelData.current ? Theme.accent : Theme.surface
            onClicked: Kiosk.chooseLanguage(modelData.id)
        }
    }
}
