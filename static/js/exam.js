// Mock exams: the countdown (the server keeps the real deadline), autosave ordering and retries.
"use strict";
(function () {
  // Strings through Django's JavaScript catalogue (/jsi18n/, loaded first by base.html); English
  // when it is missing (a page cached for offline use without it).
  var gettext = window.gettext || function (text) { return text; };
  var interpolate = window.interpolate || function (text, values) {
    return text.replace(/%\((\w+)\)s/g, function (match, name) { return String(values[name]); });
  };
  // Each save carries the id the server gave this page and a counter that rises with every
  // save the page sends: the server keeps a page's newer save over its older one arriving late,
  // and orders saves from different pages (or devices) as they arrive. No clock is involved.
  var counter = 0;
  var clockEl = document.getElementById("countdown");
  var pageId = clockEl ? clockEl.dataset.page : "";
  document.addEventListener("htmx:configRequest", function (event) {
    if (event.detail.elt.matches && event.detail.elt.matches("form[data-autosave]") && pageId) {
      counter += 1;
      event.detail.parameters.page = pageId;
      event.detail.parameters.seq = String(counter);
    }
  });
  // A save that did not reach the server is sent again with the answer as it is now, a few times,
  // waiting longer each time; then the candidate is told.
  var failures = 0;
  var MAX_RETRIES = 6;
  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.successful && event.detail.elt.matches && event.detail.elt.matches("form[data-autosave]")) failures = 0;
  });
  function retry(event) {
    var form = event.detail.elt;
    if (!form.matches || !form.matches("form[data-autosave]")) return;
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    if (status === 409) return; // time is up: the server redirects to the results
    var label = document.getElementById("save-status");
    failures += 1;
    if (failures > MAX_RETRIES || (status >= 400 && status < 500)) {
      if (label) label.textContent = gettext("Not saved: check your connection, then choose the answer again.");
      return;
    }
    if (label) label.textContent = gettext("Not saved yet: retrying…");
    setTimeout(function () { htmx.trigger(form, "change"); }, 1000 * Math.pow(2, failures));
  }
  document.addEventListener("htmx:sendError", retry);
  document.addEventListener("htmx:responseError", retry);

  // A save sends back only the navigator cell it changed: recount the totals from the cells.
  function recount() {
    var nav = document.getElementById("navigator");
    var totals = nav && nav.querySelector("[data-nav-totals]");
    if (!totals) return;
    var cells = nav.querySelectorAll(".nav-grid .nav-cell");
    var answered = nav.querySelectorAll(".nav-grid .nav-cell.answered").length;
    var flagged = nav.querySelectorAll(".nav-grid .nav-cell.flagged").length;
    var text = interpolate(gettext("%(answered)s answered · %(flagged)s flagged · %(total)s in all"),
      { answered: answered, flagged: flagged, total: cells.length }, true);
    if (totals.textContent !== text) totals.textContent = text;
  }
  document.addEventListener("htmx:oobAfterSwap", recount);
  document.addEventListener("htmx:afterSettle", recount);

  // The flag sits in the sticky bar, outside the answer form (form="exam-form"): its change saves
  // the form as a change inside it would.
  document.addEventListener("change", function (event) {
    var form = event.target.form;
    if (form && form.matches("form[data-autosave]") && !form.contains(event.target)) htmx.trigger(form, "change");
  });

  // On a slow connection the question shows before htmx listens: an answer chosen then made no
  // save. Once htmx has processed the page, a form that differs from what the server rendered is
  // saved. (The form has autocomplete="off", so a reload shows the server's answers, never the
  // browser's restored ones, and this cannot send an old answer over a newer one.)
  function differsFromRendered(form) {
    return Array.prototype.some.call(form.elements, function (el) {
      if (el.type === "checkbox" || el.type === "radio") return el.checked !== el.defaultChecked;
      if (el.tagName === "SELECT") {
        return Array.prototype.some.call(el.options, function (option) { return option.selected !== option.defaultSelected; });
      }
      if (el.type === "text" || el.tagName === "TEXTAREA") return el.value !== el.defaultValue;
      return false;
    });
  }
  function saveEarlyAnswers() {
    document.querySelectorAll("form[data-autosave]").forEach(function (form) {
      if (differsFromRendered(form)) htmx.trigger(form, "change");
    });
  }
  // htmx processes the page on DOMContentLoaded, in a listener added before this one.
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { setTimeout(saveEarlyAnswers, 0); });
  } else {
    setTimeout(saveEarlyAnswers, 0);
  }

  // On narrow screens the navigator is a drawer opened from the bar; without JS it sits below.
  var drawer = document.getElementById("nav-drawer");
  var toggle = document.querySelector(".drawer-toggle");
  if (drawer && toggle) {
    document.body.classList.add("js-drawer");
    toggle.hidden = false;
    var setOpen = function (open, focusBack) {
      drawer.classList.toggle("open", open);
      toggle.setAttribute("aria-expanded", String(open));
      if (open) {
        var current = drawer.querySelector("[aria-current]") || drawer.querySelector("a");
        if (current) current.focus();
      } else if (focusBack) {
        toggle.focus();
      }
    };
    toggle.addEventListener("click", function () { setOpen(!drawer.classList.contains("open"), false); });
    drawer.addEventListener("click", function (event) {
      if (event.target.closest("a")) setOpen(false, false);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && drawer.classList.contains("open")) setOpen(false, true);
    });
  }

  // Digit keys answer, as in reviews and quizzes: 1-9 clicks the choice with that number, which
  // saves it like a click would (radio: choose it; checkbox: tick or untick it).
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.metaKey || event.ctrlKey || !/^[1-9]$/.test(event.key)) return;
    if (event.target.matches("input[type=text], input[type=number], textarea, select")) return;
    var input = document.querySelector("#exam-question input[data-index='" + event.key + "']");
    if (!input || input.disabled) return;
    event.preventDefault();
    input.click();
    input.focus();
  });

  var clock = document.getElementById("countdown");
  if (!clock) return;
  var end = Date.now() + Number(clock.dataset.remaining) * 1000;
  var label = clock.querySelector("[data-clock]");
  var alertBox = document.getElementById("countdown-alert");
  var warned = false;
  var submitted = false;
  function tick() {
    var left = Math.max(0, Math.round((end - Date.now()) / 1000));
    var hours = Math.floor(left / 3600), minutes = Math.floor((left % 3600) / 60), seconds = left % 60;
    label.textContent = (hours ? hours + ":" + String(minutes).padStart(2, "0") : minutes) + ":" + String(seconds).padStart(2, "0");
    if (left <= 300 && !warned) {
      warned = true;
      clock.classList.add("warning");
      if (alertBox) alertBox.textContent = gettext("Five minutes left.");
    }
    if (left === 0 && !submitted) {
      submitted = true;
      var form = document.querySelector(clock.dataset.submit);
      if (form) form.submit();
      return;
    }
    setTimeout(tick, 1000 - (Date.now() % 1000));
  }
  tick();
})();
