// The installable app on every page: registers the service worker (/sw.js), remembers who is
// signed in on this device, keeps the grades made offline and sends them back in order (on the
// `online` event, with retries that back off, and by Background Sync where the browser has it),
// and clears the learner's deck and pages from the device when they sign out.
"use strict";
(function () {
  var idb = window.idbKeyval;
  if (!idb) return;
  var meta = document.querySelector('meta[name="study-user"]');
  var user = meta ? meta.content : "";
  var listeners = [];
  var syncing = null;
  var retryTimer = null;
  var failures = 0;
  var MAX_BACKOFF_MS = 5 * 60 * 1000;

  // Plural forms through Django's JavaScript catalogue (/jsi18n/), English without it.
  function ngettext(singular, plural, count) {
    var text = window.ngettext ? window.ngettext(singular, plural, count) : (count === 1 ? singular : plural);
    return text.replace("%(count)s", String(count));
  }
  // Read when called: this script runs before the catalogue (/jsi18n/) has loaded.
  function gettext(text) { return window.gettext ? window.gettext(text) : text; }

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["x-csrftoken"] || "";
    } catch (error) {
      return "";
    }
  }

  function mine(queue) {
    return (queue || []).filter(function (grade) { return String(grade.user) === user; });
  }

  function waiting() {
    return idb.get("queue").then(function (queue) { return mine(queue).length; });
  }

  function tell(count, problem) {
    var text = count
      ? ngettext("%(count)s review waiting to sync", "%(count)s reviews waiting to sync", count)
      : gettext("All synced");
    if (problem) text += " · " + problem;
    listeners.forEach(function (listener) { listener(count, text); });
  }

  function report(problem) {
    return waiting().then(function (count) { tell(count, problem); return count; });
  }

  function retryLater() {
    var delay = Math.min(2000 * Math.pow(2, failures), MAX_BACKOFF_MS);
    failures += 1;
    clearTimeout(retryTimer);
    retryTimer = setTimeout(sync, delay);
    return Math.round(delay / 1000);
  }

  // Post this learner's queued grades, oldest first; forget each one the server has answered
  // (recorded, already recorded, or refused with a reason the page shows).
  function sync() {
    if (syncing) return syncing;
    if (!user) return Promise.resolve(false);
    syncing = withSyncLock(postQueue).then(function (done) {
      syncing = null;
      return done;
    });
    return syncing;
  }

  // The service worker's Background Sync posts the same queue (templates/offline/sw.js): one
  // lock for both, so a grade is never in two requests at once.
  function withSyncLock(task) {
    if (navigator.locks) return navigator.locks.request("review-grades-sync", task);
    return task();
  }

  function postQueue() {
    return idb.get("queue").then(function (queue) {
      var grades = mine(queue).sort(function (a, b) { return a.reviewed_at - b.reviewed_at; });
      if (!grades.length) return true;
      return fetch("/review/sync/", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
        body: JSON.stringify({ grades: grades })
      }).then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      }).then(function (result) {
        var gone = {};
        result.applied.concat(result.duplicates).forEach(function (nonce) { gone[nonce] = true; });
        result.rejected.forEach(function (item) { gone[item.nonce] = true; });
        return idb.update("queue", function (current) {
          return (current || []).filter(function (grade) { return !gone[grade.nonce]; });
        }).then(function () {
          failures = 0;
          var refused = result.rejected.length;
          return report(refused ? ngettext(
            "%(count)s review could not be recorded (its card changed on the server)",
            "%(count)s reviews could not be recorded (their cards changed on the server)", refused) : "");
        }).then(function (count) { return count === 0; });
      });
    }).catch(function (error) {
      var seconds = retryLater();
      var why = error && error.message === "401"
        ? gettext("sign in again to sync, trying again in %(seconds)s s")
        : gettext("sync failed, trying again in %(seconds)s s");
      return report(why.replace("%(seconds)s", String(seconds))).then(function () { return false; });
    });
  }

  function askBackgroundSync() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.sync) return registration.sync.register("review-grades");
    }).catch(function () { /* no Background Sync: the online event and the retries remain */ });
  }

  // A grade made on the device: queued first, then sent now if the network is there.
  function enqueue(grade) {
    grade.user = user;
    return idb.update("queue", function (queue) {
      queue = queue || [];
      queue.push(grade);
      return queue;
    }).then(function () {
      report("");
      if (navigator.onLine) sync();
      else askBackgroundSync();
    });
  }

  // Take a grade back while it still waits here: true if it did (one already sent stays).
  function takeBack(nonce) {
    var found = false;
    return idb.update("queue", function (queue) {
      return (queue || []).filter(function (grade) {
        if (grade.nonce === nonce) found = true;
        return grade.nonce !== nonce;
      });
    }).then(function () { return report(""); }).then(function () { return found; });
  }

  // What this learner keeps on the device goes: the deck, the grades already sent, the pages.
  function forgetDevice() {
    var pages = window.caches ? caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (key) { return key.indexOf("pages-") === 0; })
        .map(function (key) { return caches.delete(key); }));
    }) : Promise.resolve();
    return Promise.all([idb.delMany(["deck", "done", "again", "csrf", "user"]), pages]);
  }

  function keepThisPage() {
    if (!("serviceWorker" in navigator) || !user) return Promise.resolve(false);
    return navigator.serviceWorker.ready.then(function (registration) {
      return new Promise(function (resolve) {
        var channel = new MessageChannel();
        channel.port1.onmessage = function (event) { resolve(event.data); };
        registration.active.postMessage({ type: "keep-page", url: location.href }, [channel.port2]);
        setTimeout(resolve, 10000, false);
      });
    });
  }

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {
      /* the site works without it, online */
    });
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "synced") report("");
    });
  }

  // Who is signed in here: a page for no one, or for someone else, clears the last learner's deck.
  idb.get("user").then(function (previous) {
    if (!user || (previous && previous !== user)) return forgetDevice().then(function () {
      if (user) return idb.set("user", user);
    });
    return idb.setMany([["user", user], ["csrf", csrfToken()]]);
  });

  window.addEventListener("online", function () { failures = 0; sync(); });
  if (user && navigator.onLine) waiting().then(function (count) { if (count) sync(); });

  // Signing out: send what is waiting first; if it cannot go, say so, and a second press signs
  // out anyway. Then the deck and the pages leave the device before the form is sent.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("[data-sign-out]")) return;
    if (form.dataset.cleared) return;
    event.preventDefault();
    var message = form.querySelector("[data-sign-out-message]");
    sync().then(function () { return waiting(); }).then(function (count) {
      if (count && !form.dataset.confirmed) {
        form.dataset.confirmed = "1";
        if (message) {
          message.hidden = false;
          message.textContent = ngettext(
            "%(count)s review has not synced: connect to send it, or press Log out again to lose it.",
            "%(count)s reviews have not synced: connect to send them, or press Log out again to lose them.",
            count);
        }
        return;
      }
      return idb.update("queue", function (queue) {
        return (queue || []).filter(function (grade) { return String(grade.user) !== user; });
      }).then(forgetDevice).then(function () {
        form.dataset.cleared = "1";
        form.submit();
      });
    });
  });

  window.lambdaOffline = {
    user: user,
    ngettext: ngettext,
    gettext: gettext,
    enqueue: enqueue,
    takeBack: takeBack,
    sync: sync,
    waiting: waiting,
    keepThisPage: keepThisPage,
    refreshStatus: function () { return report(""); },
    onStatus: function (listener) { listeners.push(listener); report(""); }
  };
})();
