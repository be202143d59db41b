// "Choose two": a box ticked beyond the limit is unticked at once and the page says why, before
// anything is saved (the server refuses it too). Runs in the capture phase, ahead of autosave.
"use strict";
(function () {
  // Strings through Django's JavaScript catalogue (/jsi18n/, loaded first by base.html); English
  // when it is missing (a page cached for offline use without it).
  var gettext = window.gettext || function (text) { return text; };
  var pgettext = window.pgettext || function (context, text) { return text; };
  var interpolate = window.interpolate || function (text, values) {
    return text.replace(/%\((\w+)\)s/g, function (match, name) { return String(values[name]); });
  };
  var NUMBER_WORDS = {
    1: pgettext("choose N answers", "one"), 2: pgettext("choose N answers", "two"),
    3: pgettext("choose N answers", "three"), 4: pgettext("choose N answers", "four"),
    5: pgettext("choose N answers", "five"), 6: pgettext("choose N answers", "six")
  };
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("input[type=checkbox][name=choice]") || !box.checked) return;
    var group = box.closest("[data-choose]");
    if (!group) return;
    var limit = Number(group.dataset.choose);
    var ticked = group.querySelectorAll("input[type=checkbox][name=choice]:checked").length;
    var message = group.parentNode.querySelector("[data-choose-message]");
    if (ticked > limit) {
      box.checked = false;
      event.stopPropagation();
      if (message) message.textContent = interpolate(gettext("Choose %(n)s: untick one before you tick another."), { n: NUMBER_WORDS[limit] || limit }, true);
    } else if (message) {
      message.textContent = "";
    }
  }, true);
})();
