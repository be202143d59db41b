// "Choose two": a box ticked beyond the limit is unticked at once and the page says why, before
// anything is saved (the server refuses it too). Runs in the capture phase, ahead of autosave.
"use strict";
(function () {
  var NUMBER_WORDS = { 1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six" };
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
      if (message) message.textContent = "Choose " + (NUMBER_WORDS[limit] || limit) + ": untick one before you tick another.";
    } else if (message) {
      message.textContent = "";
    }
  }, true);
})();
