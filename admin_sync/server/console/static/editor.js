// The article editor's toolbar: bold, italic, section heading, bulleted and numbered list items,
// exactly the constructs of the safe Markdown subset (content/markdown_subset.py) a button can
// write. Loaded as a same-origin file (the console's CSP: script-src 'self', no inline script,
// no eval). The toolbar is rendered hidden; without this script the textarea works as before.
"use strict";

(function () {
  function lineStart(text, index) {
    return text.lastIndexOf("\n", index - 1) + 1;
  }

  function lineEnd(text, index) {
    var end = text.indexOf("\n", index);
    return end === -1 ? text.length : end;
  }

  function changed(area) {
    area.dispatchEvent(new Event("input", { bubbles: true }));
    area.focus();
  }

  // **selection** (or an empty pair with the caret inside it)
  function wrap(area, mark) {
    var start = area.selectionStart;
    var end = area.selectionEnd;
    var chosen = area.value.slice(start, end);
    // keep the spaces a double-click selects outside the marks: "** word**" is not bold
    var lead = chosen.match(/^\s*/)[0];
    var trail = chosen.slice(lead.length).match(/\s*$/)[0];
    var word = chosen.slice(lead.length, chosen.length - trail.length);
    area.setRangeText(lead + mark + word + mark + trail, start, end, "select");
    area.setSelectionRange(
      start + lead.length + mark.length,
      start + lead.length + mark.length + word.length
    );
    changed(area);
  }

  // every line the selection touches starts with the prefix ("## ", "- ", "1. ", "2. "...);
  // pressed again on lines that all have it, it is taken off
  var PREFIXES = {
    heading: /^#{1,3} /,
    bullet: /^[-*+] /,
    number: /^\d+[.)] /,
  };

  function prefix(area, kind) {
    var text = area.value;
    var from = lineStart(text, area.selectionStart);
    var selEnd = area.selectionEnd;
    if (selEnd > area.selectionStart && text.charAt(selEnd - 1) === "\n") {
      selEnd -= 1; // a selection ending at a line's start does not take that line
    }
    var to = lineEnd(text, selEnd);
    var lines = text.slice(from, to).split("\n");
    var all = lines.every(function (line) {
      return PREFIXES[kind].test(line);
    });
    var out = lines.map(function (line, i) {
      var bare = line.replace(PREFIXES.heading, "").replace(PREFIXES.bullet, "");
      bare = bare.replace(PREFIXES.number, "");
      if (all) {
        return bare;
      }
      if (kind === "heading") {
        return "## " + bare;
      }
      if (kind === "bullet") {
        return "- " + bare;
      }
      return i + 1 + ". " + bare;
    });
    area.setRangeText(out.join("\n"), from, to, "end");
    if (lines.length > 1) {
      area.setSelectionRange(from, from + out.join("\n").length);
    }
    changed(area);
  }

  function act(area, action) {
    if (action === "bold") {
      wrap(area, "**");
    } else if (action === "italic") {
      wrap(area, "*");
    } else {
      prefix(area, action);
    }
  }

  function setUp(bar) {
    var area = document.getElementById(bar.getAttribute("aria-controls"));
    if (!area || area.disabled || typeof area.setRangeText !== "function") {
      return;
    }
    bar.addEventListener("mousedown", function (event) {
      if (event.target.closest("button")) {
        event.preventDefault(); // the textarea keeps focus and its selection
      }
    });
    bar.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-md]");
      if (button) {
        act(area, button.getAttribute("data-md"));
      }
    });
    area.addEventListener("keydown", function (event) {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey) {
        var key = event.key.toLowerCase();
        if (key === "b" || key === "i") {
          event.preventDefault();
          act(area, key === "b" ? "bold" : "italic");
        }
      }
    });
    bar.hidden = false;
  }

  document.querySelectorAll(".md-toolbar[aria-controls]").forEach(setUp);
})();
