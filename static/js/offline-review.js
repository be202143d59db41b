// Reviews on the device. Online, the review page keeps today's deck in IndexedDB (due cards and
// the day's new ones, with what is needed to grade them here). Offline (or when the learner asks),
// cards are shown and graded from that deck: the next card is drawn in the same task as the grade
// key, and the grade joins the queue that offline.js sends back.
"use strict";
(function () {
  var api = window.lambdaOffline;
  var idb = window.idbKeyval;
  // htmx swaps #review-session whole (outerHTML): always look it up, never keep the element.
  function box() { return document.getElementById("review-session"); }
  if (!api || !idb || !box() || !api.user) return;
  var syncLine = document.querySelector("[data-sync-status]");
  var deckLine = document.querySelector("[data-deck-status]");
  var deviceButton = document.querySelector("[data-device-start]");
  var LEARN_AHEAD_MS = 20 * 60 * 1000;
  var FAST_MS = 10 * 1000;
  var deck = null;
  var done = {};
  var again = [];             // cards shown again after Again: {nonce, base, due, from}
  var byNonce = {};
  var MAX_SHOWINGS = 9;       // as the server takes them (offline.MAX_SHOWINGS)
  var comeBack = null;        // an undone card's nonce: shown next
  var graded = [];            // this page's grades, newest last, for undo
  var current = null;
  var shownAt = 0;
  var device = false;
  // Strings through Django's JavaScript catalogue (/jsi18n/); English when it is missing.
  var gettext = window.gettext || function (text) { return text; };
  var ngettext = api.ngettext;
  var pgettext = window.pgettext || function (context, text) { return text; };
  // The buttons' intervals in words, as the server's buttons say them (static/js/intervals.js).
  function intervalText(seconds) {
    return window.lambdaIntervals ? window.lambdaIntervals.text(seconds) : "";
  }
  var interpolate = window.interpolate || function (text, values) {
    return text.replace(/%\((\w+)\)s/g, function (match, name) { return String(values[name]); });
  };

  function esc(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  api.onStatus(function (count, text) {
    if (!syncLine) return;
    syncLine.textContent = text;
    syncLine.hidden = !device && count === 0 && text === gettext("All synced");
  });

  function usable(candidate) {
    return candidate && String(candidate.user) === api.user && Date.now() < candidate.expires;
  }

  function useDeck(fresh, doneList, againList) {
    deck = fresh;
    done = {};
    (doneList || []).forEach(function (nonce) { done[nonce] = true; });
    again = againList || [];
    byNonce = {};
    deck.cards.forEach(function (card) { byNonce[card.nonce] = card; });
  }

  // A card shown again: the deck's card under the showing's own nonce; its buttons' intervals
  // are the server's to work out, so they are left off.
  function repeat(entry) {
    var base = byNonce[entry.base];
    var copy = {};
    Object.keys(base).forEach(function (key) { copy[key] = base[key]; });
    copy.nonce = entry.nonce;
    copy.due = entry.due;
    copy.repeat = true;
    return copy;
  }

  function left() {
    if (!deck) return [];
    return deck.cards.concat(again.map(repeat)).filter(function (card) { return !done[card.nonce]; });
  }

  // A card shown again once its step is due comes first; then the deck in order (due cards,
  // then new ones); then the steps due within the learn-ahead limit.
  function nextCard() {
    var now = Date.now();
    if (comeBack) {
      var back = left().filter(function (card) { return card.nonce === comeBack; })[0];
      comeBack = null;
      if (back) return back;
    }
    var waitingAgain = again.filter(function (entry) { return !done[entry.nonce]; }).map(repeat);
    var stepDue = waitingAgain.filter(function (card) { return card.due <= now; })[0];
    if (stepDue) return stepDue;
    var waitingCards = deck ? deck.cards.filter(function (card) { return !done[card.nonce]; }) : [];
    for (var i = 0; i < waitingCards.length; i++) {
      if (!waitingCards[i].due || waitingCards[i].due <= now + LEARN_AHEAD_MS) return waitingCards[i];
    }
    return waitingAgain.filter(function (card) { return card.due <= now + LEARN_AHEAD_MS; })[0] || null;
  }

  function progress() {
    var count = left().length;
    var finished = Object.keys(done).length;
    return '<div class="progress-row"><progress max="' + (count + finished) + '" value="' + finished +
      '" aria-label="' + esc(gettext("Progress on this device")) + '"></progress><span class="meta" role="status">' +
      interpolate(gettext("<strong>%(left)s</strong> left on this device · %(done)s done"), { left: count, done: finished }, true) +
      '</span></div>';
  }

  function gradeButtons(card, suggested) {
    var html = '<form class="grade-form" data-device-grades><fieldset class="grades"><legend>' + esc(gettext("How well did you know it?"));
    if (suggested) {
      var label = card.buttons.filter(function (b) { return b.rating === suggested; })[0].label;
      html += ' <span class="meta">(' + esc(gettext("suggested:")) + ' ' + esc(label) + ')</span>';
    }
    html += '</legend>';
    card.buttons.forEach(function (b) {
      var hint = b.rating === suggested ? " suggested" : "";
      html += '<button type="button" data-rating="' + b.rating + '" class="grade grade-' + b.rating + hint + '">' +
        '<span class="grade-label">' + esc(b.label) + '</span> ' +
        (card.repeat ? "" : '<span class="grade-interval">' + esc(intervalText(b.seconds)) + '</span> ') +
        '<kbd>' + b.rating + '</kbd></button>';
    });
    return html + '</fieldset></form>';
  }

  function render(notice) {
    current = nextCard();
    shownAt = Date.now();
    var html = progress();
    if (notice) html += '<p class="notice" role="status">' + esc(notice) + '</p>';
    if (current) {
      html += '<article class="review-card" aria-labelledby="card-stem" data-device-card data-type="' +
        esc(current.type) + '" data-token="' + esc(current.token) + '">' + current.front_html;
      if (current.type === "flashcard") {
        html += '<p data-device-reveal><button type="button" class="button" data-key="reveal">' + esc(gettext("Show answer")) + ' <kbd>' + esc(pgettext("keyboard key", "Space")) + '</kbd></button></p>';
      }
      html += '<div data-device-back></div></article>';
    } else {
      html += '<section class="done card" aria-live="polite"><h2>' + esc(gettext("Done with the cards on this device.")) + '</h2>' +
        '<p>' + esc(gettext("Your grades are kept here and sent when the network is back.")) + '</p></section>';
    }
    html += '<form class="undo-form"><button type="button" class="link-button" data-key="undo">' + esc(gettext("Undo last review")) + ' <kbd>U</kbd></button></form>';
    box().innerHTML = html;
    box().dataset.device = "1";
    var first = box().querySelector("[data-device-answer] input, [data-device-answer] select");
    if (first && window.matchMedia("(hover: hover)").matches) first.focus({ preventScroll: true });
  }

  function showBack(suggested, feedback) {
    var back = box().querySelector("[data-device-back]");
    var reveal = box().querySelector("[data-device-reveal]");
    if (reveal) reveal.remove();
    var html = "";
    if (current.type === "flashcard") {
      html += '<hr class="card-divider"><div class="back prose">' + current.back_html + '</div>';
      if (current.explanation_html) html += '<div class="explanation prose">' + current.explanation_html + '</div>';
    } else {
      html += feedback;
    }
    back.innerHTML = html + gradeButtons(current, suggested);
    var focus = back.querySelector(".grade.suggested") || back.querySelector("[data-rating='3']");
    if (focus) focus.focus({ preventScroll: true });
  }

  // Grading on the device, all or nothing as the server grades (quizzes/study/answering.py).
  function given(form) {
    var values = [];
    form.querySelectorAll("[name=choice]").forEach(function (input) {
      if (input.tagName === "SELECT" ? input.value : input.checked) values.push(input.value);
    });
    return values;
  }

  var WORDS = {
    1: pgettext("choose N answers", "one"), 2: pgettext("choose N answers", "two"),
    3: pgettext("choose N answers", "three"), 4: pgettext("choose N answers", "four"),
    5: pgettext("choose N answers", "five"), 6: pgettext("choose N answers", "six")
  };

  function check(card, values) {
    if (card.type === "ordering" || card.type === "matching") {
      var pairs = {};
      values.forEach(function (value) {
        var cut = value.indexOf("=");
        if (cut > 0) pairs[value.slice(0, cut)] = value.slice(cut + 1);
      });
      var slots = Object.keys(card.right);
      if (slots.some(function (slot) { return !pairs[slot]; })) {
        return { error: card.type === "ordering" ? gettext("Choose an answer for every position first.") : gettext("Choose an answer for every item first.") };
      }
      var used = {};
      var twice = card.type === "ordering" && slots.some(function (slot) {
        var seen = used[pairs[slot]];
        used[pairs[slot]] = true;
        return seen;
      });
      if (twice) return { error: gettext("Each step goes in one position: a step is chosen twice.") };
      return { correct: slots.every(function (slot) { return pairs[slot] === card.right[slot]; }), pairs: pairs };
    }
    if (!values.length) return { error: gettext("Choose an answer first.") };
    if (card.type === "multiple" && values.length !== card.choose) {
      return { error: interpolate(gettext("Choose %(word)s answers (you chose %(n)s)."), { word: WORDS[card.choose] || card.choose, n: values.length }, true) };
    }
    var right = card.right.slice().sort().join(" ");
    return { correct: values.slice().sort().join(" ") === right };
  }

  function mark(correct, label) {
    return '<span class="fb-mark"><span aria-hidden="true">' + (correct ? "✓" : "✗") +
      '</span><span class="visually-hidden">' + label + '</span></span>';
  }

  function feedbackHtml(card, values, result) {
    var html = '<div class="verdict ' + (result.correct ? "right" : "wrong") + '" role="status"><strong>' +
      esc(result.correct ? gettext("Right.") : gettext("Not quite.")) + '</strong></div>';
    var choices = card.choices;
    function text(key) { return choices[key] ? choices[key].html : "<em>" + esc(gettext("(none)")) + "</em>"; }
    if (result.pairs) {
      html += '<table class="numbers feedback-rows"><thead><tr><th scope="col">' +
        esc(card.type === "ordering" ? gettext("Position") : gettext("Item")) +
        '</th><th scope="col">' + esc(gettext("Your answer")) + '</th><th scope="col">' + esc(gettext("Right answer")) + '</th></tr></thead><tbody>';
      Object.keys(card.right).forEach(function (slot) {
        var ok = result.pairs[slot] === card.right[slot];
        var label = card.type === "ordering" ? esc(interpolate(gettext("Step %(n)s"), { n: slot }, true)) : text(slot);
        html += '<tr class="' + (ok ? "is-correct" : "is-wrong") + '"><th scope="row">' + label + '</th><td>' +
          mark(ok, ok ? pgettext("answer mark", "right") : pgettext("answer mark", "wrong")) + " " + text(result.pairs[slot]) + '</td><td>' + text(card.right[slot]) + '</td></tr>';
      });
      html += '</tbody></table>';
    } else {
      html += '<ul class="feedback-choices">';
      box().querySelectorAll("[data-device-answer] [name=choice]").forEach(function (input) {
        var choice = choices[input.value];
        var selected = values.indexOf(input.value) !== -1;
        html += '<li class="fb-choice' + (choice.correct ? " is-correct" : "") + (selected ? " is-selected" : "") + '">' +
          (choice.correct ? mark(true, esc(gettext("Right answer"))) : selected ? mark(false, esc(gettext("Your answer, wrong"))) : '<span class="fb-mark"></span>') +
          '<div class="fb-body"><div class="choice-text">' + choice.html + '</div>' +
          (selected ? '<p class="meta">' + esc(gettext("Your answer")) + '</p>' : "") +
          (choice.rationale_html ? '<div class="rationale">' + choice.rationale_html + '</div>' : "") + '</div></li>';
      });
      html += '</ul>';
    }
    if (card.explanation_html) html += '<div class="explanation prose">' + card.explanation_html + '</div>';
    return html;
  }

  function answer(form) {
    var values = given(form);
    var result = check(current, values);
    var error = form.querySelector("[data-device-error]");
    if (result.error) {
      error.textContent = result.error;
      error.setAttribute("tabindex", "-1");
      error.focus();
      return;
    }
    var feedback = feedbackHtml(current, values, result);
    form.remove();
    var fast = Date.now() - shownAt < FAST_MS;
    showBack(result.correct ? (fast ? 4 : 3) : 1, feedback);
  }

  function grade(rating) {
    if (!current) return;
    var now = Date.now();
    var entry = {
      nonce: current.nonce, token: current.token, rating: rating,
      reviewed_at: now, duration_ms: now - shownAt
    };
    done[current.nonce] = true;
    graded.push(entry);
    var base = current.nonce.split("-")[0];
    var showing = Number(current.nonce.split("-")[1] || 1);
    var more = rating === 1 && showing < MAX_SHOWINGS;
    if (more) {
      again.push({
        nonce: base + "-" + (showing + 1), base: base, from: current.nonce,
        due: now + 1000 * (byNonce[base].buttons[0].seconds || 60)
      });
    }
    render();                       // the next card, in this task: no wait on storage or network
    idb.set("done", Object.keys(done));
    if (more) idb.set("again", again);
    api.enqueue(entry);
  }

  function undo() {
    var last = graded[graded.length - 1];
    if (!last) {
      render(gettext("There is no review to undo on this device."));
      return;
    }
    api.takeBack(last.nonce).then(function (taken) {
      if (!taken) {
        render(gettext("That review is synced already: undo it on the review page online."));
        return;
      }
      graded.pop();
      delete done[last.nonce];
      again = again.filter(function (entry) { return entry.from !== last.nonce; });
      idb.set("again", again);
      comeBack = last.nonce;        // the card comes back first
      idb.set("done", Object.keys(done));
      render(gettext("Undone."));
    });
  }

  document.addEventListener("click", function (event) {
    if (!device) return;
    var target = event.target.closest && event.target.closest("button");
    if (!target || !box().contains(target)) return;
    if (target.dataset.rating) grade(Number(target.dataset.rating));
    else if (target.dataset.key === "reveal") showBack(0, "");
    else if (target.dataset.key === "undo") undo();
  });
  document.addEventListener("submit", function (event) {
    if (!device || !box().contains(event.target)) return;
    event.preventDefault();
    if (event.target.matches("[data-device-answer]")) answer(event.target);
  });

  function start(reason) {
    if (device || !usable(deck)) return false;
    device = true;
    document.body.classList.add("device-review");
    if (deviceButton) deviceButton.hidden = true;
    if (deckLine) deckLine.textContent = reason;
    if (syncLine) syncLine.hidden = false;
    api.refreshStatus();
    render();
    return true;
  }

  // A grade sent by htmx while online: that card is no longer the deck's to grade, once the
  // server has it. If the network drops under it, the grade goes into the queue from the deck's
  // copy of the card (at the moment it was pressed) and the session carries on from the device.
  var pressed = null;
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".grade-form button[data-rating]");
    var card = box().querySelector("article[data-question]");
    if (button && card && !device) {
      pressed = { question: Number(card.dataset.question), rating: Number(button.dataset.rating), at: Date.now() };
    }
  }, true);
  function deckCardFor(question) {
    return deck && deck.cards.filter(function (c) { return c.question === question && !done[c.nonce]; })[0];
  }
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (!pressed || !form.matches || !form.matches(".grade-form") || !event.detail.successful) return;
    var card = deckCardFor(pressed.question);
    pressed = null;
    if (card) {
      done[card.nonce] = true;
      idb.set("done", Object.keys(done));
    }
  });
  document.addEventListener("htmx:sendError", function (event) {
    var form = event.detail.elt;
    var lost = pressed && form.matches && form.matches(".grade-form") ? pressed : null;
    pressed = null;
    var card = lost && deckCardFor(lost.question);
    if (card) {
      var entry = { nonce: card.nonce, token: card.token, rating: lost.rating, reviewed_at: lost.at, duration_ms: null };
      done[card.nonce] = true;
      graded.push(entry);
      idb.set("done", Object.keys(done));
      api.enqueue(entry);
    }
    if (!start(gettext("Offline: reviewing from this device. Grades are kept here and sent when the network is back."))) {
      var notice = document.createElement("p");
      notice.className = "field-errors";
      notice.setAttribute("role", "alert");
      notice.textContent = gettext("The network is down and this device has no cards for today yet: your grade was not recorded. Try again when you are back online.");
      box().prepend(notice);
    }
  });
  window.addEventListener("offline", function () {
    start(gettext("Offline: reviewing from this device. Grades are kept here and sent when the network is back."));
  });
  if (deviceButton) {
    deviceButton.addEventListener("click", function () {
      start(gettext("Reviewing from this device: grades are sent in the background."));
    });
  }

  function ready() {
    if (!deckLine) return;
    var count = left().length;
    deckLine.textContent = ngettext("%(count)s card ready for review offline.", "%(count)s cards ready for review offline.", count);
    deckLine.dataset.ready = "1";
    if (deviceButton && count) deviceButton.hidden = false;
  }

  // Online: send what is waiting, then take a fresh deck (only once nothing waits, so a card
  // graded here is never handed out again), and make sure this page is kept for offline use.
  function refresh() {
    return api.sync().then(function (clean) {
      if (!clean) return false;
      return fetch("/review/deck/", { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        }).then(function (fresh) {
          if (device) return true;          // offline meanwhile: keep the deck in use
          useDeck(fresh, [], []);
          return idb.setMany([["deck", fresh], ["done", []], ["again", []]]).then(function () { return true; });
        });
    }).catch(function () { return false; });
  }

  Promise.all([idb.get("deck"), idb.get("done"), idb.get("again")]).then(function (got) {
    if (usable(got[0])) useDeck(got[0], got[1], got[2]);
    if (!navigator.onLine) {
      if (!start(gettext("Offline: reviewing from this device. Grades are kept here and sent when the network is back.")) && deckLine) {
        deckLine.textContent = gettext("Offline, and this device has no cards for today: open the reviews once online to keep them here.");
      }
      return;
    }
    Promise.all([refresh(), api.keepThisPage()]).then(function (results) {
      if (deck && results[0] && results[1]) ready();
      else if (deck && deckLine) deckLine.textContent = interpolate(gettext("The deck on this device is from %(day)s."), { day: deck.day }, true);
    });
  });

  window.lambdaDeviceReview = { start: start };
})();
