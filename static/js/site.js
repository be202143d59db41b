// Lambda Study: small behaviours that keep working without it (every htmx link has an href).
"use strict";
(function () {
  // Strings through Django's JavaScript catalogue (/jsi18n/, loaded first by base.html); English
  // when it is missing (a page cached for offline use without it).
  var gettext = window.gettext || function (text) { return text; };
  // Copy buttons: hidden without JavaScript (the text stays selectable), shown and working with it.
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var source = document.querySelector(button.dataset.copy);
    if (!source || !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var status = document.querySelector("[data-copy-status]");
      var label = button.textContent;
      navigator.clipboard.writeText(source.value || source.textContent).then(function () {
        button.textContent = gettext("Copied");
        if (status) status.textContent = gettext("The link is copied.");
        setTimeout(function () { button.textContent = label; }, 2000);
      }, function () {
        source.select();
        if (status) status.textContent = gettext("Copying is blocked here: the link is selected, copy it yourself.");
      });
    });
  });
})();
(function () {
  // After htmx swaps in a message that reports an error, move keyboard focus to it (role="alert"
  // also announces it), so focus never drops to <body> with the reason out of sight.
  document.addEventListener("htmx:afterSettle", function (event) {
    var root = event.target;
    if (!root || !root.querySelector) return;
    // The first alert that says something: a "choose N" question also carries an empty one.
    var boxes = root.matches && root.matches("[role=alert]") ? [root] : root.querySelectorAll("[role=alert]");
    var alertBox = Array.prototype.find.call(boxes, function (box) { return box.textContent.trim(); });
    if (!alertBox) return;
    if (!alertBox.hasAttribute("tabindex")) alertBox.setAttribute("tabindex", "-1");
    alertBox.focus();
  });
  // Notes: the table of contents is open on wide screens, folded on narrow ones.
  var toc = document.querySelector("details.toc-box");
  if (toc && window.matchMedia("(min-width: 60rem)").matches) toc.open = true;
})();
(function () {
  // A note's table wider than the screen scrolls sideways: keyboard users reach it with Tab.
  function focusableWhenScrolling() {
    document.querySelectorAll(".prose table").forEach(function (table) {
      if (table.scrollWidth > table.clientWidth + 1) table.setAttribute("tabindex", "0");
      else table.removeAttribute("tabindex");
    });
  }
  focusableWhenScrolling();
  window.addEventListener("resize", focusableWhenScrolling);
})();
(function () {
  // The language switcher works as a form (a button); with JavaScript, choosing is enough.
  var select = document.querySelector("[data-language-switch]");
  if (!select || !select.form) return;
  select.addEventListener("change", function () { select.form.submit(); });
  // Its button is only needed without JavaScript; hidden, the phone's header stays one row.
  var submit = select.form.querySelector("button[type=submit]");
  if (submit) submit.hidden = true;
})();
(function () {
  // Settings never saved: offer the browser's own time zone instead of UTC (the learner saves it).
  var form = document.querySelector("form[data-browser-zone]");
  if (!form || !window.Intl) return;
  var input = form.querySelector("input[name=time_zone]");
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  var known = document.querySelector('#time-zones option[value="' + zone + '"]');
  if (!input || !zone || !known || input.value === zone) return;
  input.value = zone;
  var note = form.querySelector("[data-zone-note]");
  if (!note) return;
  var field = input.closest(".field");
  if (field) field.appendChild(note); // said under the box it is about
  note.hidden = false;
})();
(function () {
  // The theme button cycles the system's setting, dark and light; the choice is kept per browser.
  var gettext = window.gettext || function (text) { return text; };
  var pgettext = window.pgettext || function (context, text) { return text; };
  var button = document.querySelector("[data-theme-toggle]");
  if (!button) return;
  var order = ["system", "dark", "light"];
  var shown = {
    system: pgettext("colour theme", "Auto"), dark: pgettext("colour theme", "Dark"),
    light: pgettext("colour theme", "Light")
  };
  var word = button.querySelector("[data-theme-name]");
  function current() { return document.documentElement.dataset.theme || "system"; }
  function show() {
    word.textContent = shown[current()];
    button.title = gettext("Theme: %s (Auto follows your system): change").replace("%s", shown[current()]);
  }
  button.hidden = false;
  show();
  button.addEventListener("click", function () {
    var next = order[(order.indexOf(current()) + 1) % order.length];
    if (next === "system") delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = next;
    try {
      if (next === "system") localStorage.removeItem("theme");
      else localStorage.setItem("theme", next);
    } catch (error) { /* not kept: the choice lasts for this page */ }
    show();
  });
})();
