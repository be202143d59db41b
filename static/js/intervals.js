// An answer button's interval in words ("10m", "3d", "1.5mo"; "10 min", "3 d", "1,5 meses" in
// Spanish), for the reviews on the device. The same rule and strings as the server's buttons
// (quizzes/study/scheduler.py interval_label, quizzes/study/reviews.py interval_text), through
// Django's JavaScript catalogue (/jsi18n/); English without it.
"use strict";
(function () {
  var MINUTE = 60, HOUR = 3600, DAY = 86400;

  // Unit and amount in tenths, with the same floating-point steps as interval_label.
  function label(seconds) {
    if (seconds < MINUTE) return { unit: "minute", tenths: 0 };
    if (seconds < HOUR) return { unit: "minute", tenths: Math.min(Math.floor(seconds / MINUTE + 0.5), 59) * 10 };
    if (seconds < DAY) return { unit: "hour", tenths: Math.min(Math.floor(seconds / HOUR + 0.5), 23) * 10 };
    var days = seconds / DAY;
    if (days < 30) return { unit: "day", tenths: Math.min(Math.floor(days + 0.5), 29) * 10 };
    if (days < 365) return { unit: "month", tenths: Math.floor(days / 30 * 10 + 0.5) };
    return { unit: "year", tenths: Math.floor(days / 365 * 10 + 0.5) };
  }

  // Read when called: the catalogue is loaded by then, or never (English).
  function npgettext(context, singular, plural, count) {
    if (window.npgettext) return window.npgettext(context, singular, plural, count);
    return count === 1 ? singular : plural;
  }

  function text(seconds) {
    var found = label(seconds);
    var whole = Math.floor(found.tenths / 10);
    var tenth = found.tenths % 10;
    var separator = window.get_format ? window.get_format("DECIMAL_SEPARATOR") : ".";
    var number = tenth ? whole + separator + tenth : String(whole);
    var n = whole + (tenth ? 1 : 0);  // a decimal reads as a plural: "1,5 meses"
    if (found.tenths === 0) {
      number = "<1";                  // under a minute: "<1m", "<1 min"
      n = 1;
    }
    var words;
    if (found.unit === "minute") words = npgettext("interval on an answer button", "%(n)sm", "%(n)sm", n);
    else if (found.unit === "hour") words = npgettext("interval on an answer button", "%(n)sh", "%(n)sh", n);
    else if (found.unit === "day") words = npgettext("interval on an answer button", "%(n)sd", "%(n)sd", n);
    else if (found.unit === "month") words = npgettext("interval on an answer button", "%(n)smo", "%(n)smo", n);
    else words = npgettext("interval on an answer button", "%(n)sy", "%(n)sy", n);
    return words.replace("%(n)s", number);
  }

  window.lambdaIntervals = { text: text };
})();
