// Lambda Study: small behaviours that keep working without it (every htmx link has an href).
"use strict";
(function () {
  // Copy buttons: hidden without JavaScript (the text stays selectable), shown and working with it.
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var source = document.querySelector(button.dataset.copy);
    if (!source || !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var status = document.querySelector("[data-copy-status]");
      var label = button.textContent;
      navigator.clipboard.writeText(source.value || source.textContent).then(function () {
        button.textContent = "Copied";
        if (status) status.textContent = "The link is copied.";
        setTimeout(function () { button.textContent = label; }, 2000);
      }, function () {
        source.select();
        if (status) status.textContent = "Copying is blocked here: the link is selected, copy it yourself.";
      });
    });
  });
})();
