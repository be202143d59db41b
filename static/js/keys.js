// Keyboard study, as in Anki: Space/Enter show or check, 1-4 answer then grade, U or Ctrl+Z undo.
// Every key clicks a real button or link, so the page works the same with a mouse or without JS.
"use strict";
(function () {
  function inside() {
    return document.querySelector("[data-review]");
  }
  function click(selector) {
    var root = inside();
    var element = root && root.querySelector(selector);
    if (element && !element.disabled) {
      element.click();
      return true;
    }
    return false;
  }
  function typing(target) {
    return target.matches("input[type=text], input[type=number], textarea, select");
  }
  document.addEventListener("keydown", function (event) {
    var root = inside();
    if (!root || event.altKey || event.metaKey) return;
    var target = event.target;
    if ((event.ctrlKey && event.key === "z") || (!event.ctrlKey && (event.key === "u" || event.key === "U") && !typing(target))) {
      if (click("[data-key=undo]")) event.preventDefault();
      return;
    }
    if (event.ctrlKey || typing(target)) return;
    var onControl = target.matches("button, a, summary");
    if ((event.key === " " || event.key === "Enter") && !onControl) {
      if (click("[data-key=reveal]") || click("[data-key=submit]") || click(".grade.suggested") || click("[data-rating='3']")) {
        event.preventDefault();
      }
      return;
    }
    if (/^[1-9]$/.test(event.key)) {
      if (click("[data-rating='" + event.key + "']")) {
        event.preventDefault();
        return;
      }
      var input = root.querySelector("input[data-index='" + event.key + "']");
      if (input) {
        input.checked = input.type === "checkbox" ? !input.checked : true;
        input.focus();
        event.preventDefault();
      }
    }
  });
  // Keep keyboard focus where the new content asks for it after htmx swaps it in.
  document.addEventListener("htmx:afterSettle", function (event) {
    // An error message took the focus (site.js): leave it there.
    if (document.activeElement && document.activeElement.matches("[role=alert]")) return;
    var focus = event.detail.elt.querySelector("[autofocus]");
    if (focus) focus.focus();
  });
})();
