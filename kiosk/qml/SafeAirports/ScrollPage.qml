import QtQuick
import QtQuick.Window

// A kinetic-scrolling page whose scroll position is part of the session (restored on Back,
// forgotten at the session reset). A fade and a bar show that there is more below.
Item {
    id: page
    default property alias content: column.data
    property alias flick: flick
    property int maxWidth: 1400
    property string restoreKey: ""
    // False until this page's first frame is on screen: pages build what is below the fold
    // only then, so a tap shows the new screen at once.
    property bool ready: false

    Connections {
        target: page.Window.window
        enabled: !page.ready
        // Later, not inside the frame's signal: the frame is done and on screen first.
        function onFrameSwapped() { Qt.callLater(page.becomeReady) }
    }
    // The position to restore was read when the page was made; it is applied as soon as the
    // page is long enough. Reading it again here would undo a scroll made before this frame (a
    // finger, or the tour bringing a button into view), and the tap would miss its target.
    onReadyChanged: applyPending()
    function becomeReady() { page.ready = true }

    // The saved position waits here until the page below the fold is built and laid out.
    property real pendingY: -1

    function restoreScroll() {
        const key = Kiosk.scrollKey
        page.pendingY = Kiosk.scrollFor(key)
        page.restoreKey = key
        applyPending()
    }
    function applyPending() {
        if (page.pendingY < 0)
            return
        const maxY = Math.max(0, flick.contentHeight - flick.height)
        const wanted = page.pendingY
        if (wanted <= maxY)
            page.pendingY = -1
        flick.contentY = Math.min(wanted, maxY)
    }

    Flickable {
        id: flick
        objectName: "scrollPage"
        anchors.fill: parent
        contentWidth: width
        contentHeight: column.implicitHeight + 2 * Theme.margin
        clip: true
        boundsBehavior: Flickable.StopAtBounds
        flickDeceleration: 2500
        maximumFlickVelocity: 6000
        // Saved only once the whole page is built: before, contentY is clamped to what exists.
        onContentYChanged: if (page.ready && page.pendingY < 0 && page.restoreKey !== "") Kiosk.saveScroll(page.restoreKey, contentY)
        onContentHeightChanged: page.applyPending()
        onMovementStarted: page.pendingY = -1

        Column {
            id: column
            x: Math.max(Theme.margin, (flick.width - page.maxWidth) / 2)
            y: Theme.margin
            width: flick.width - 2 * x
            spacing: Theme.spacing
        }
    }

    Rectangle {
        visible: flick.contentHeight > flick.height + 4 && !flick.atYEnd
        anchors.bottom: parent.bottom
        width: parent.width
        height: 72
        gradient: Gradient {
            GradientStop { position: 0.0; color: Theme.backgroundClear }
            GradientStop { position: 1.0; color: Theme.background }
        }
    }
    Rectangle {
        visible: flick.contentHeight > flick.height + 4
        anchors.right: parent.right
        anchors.rightMargin: 8
        width: 10
        radius: 5
        color: Theme.border
        height: Math.max(60, page.height * flick.height / flick.contentHeight)
        y: (page.height - height) * Math.min(1, Math.max(0, flick.contentY / Math.max(1, flick.contentHeight - flick.height)))
    }

    Component.onCompleted: restoreScroll()
}
