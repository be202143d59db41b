// Light or dark as the learner chose (the header's button), else the system's: read before the
// page paints, so a dark page never flashes light. site.js runs the button.
"use strict";
(function () {
  try {
    var theme = localStorage.getItem("theme");
    if (theme === "dark" || theme === "light") document.documentElement.dataset.theme = theme;
  } catch (error) { /* storage blocked: the system's setting applies */ }
})();
