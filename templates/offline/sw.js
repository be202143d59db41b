// Lambda Study's service worker (served at /sw.js by quizzes/views/offline.py; generated, do not
// copy elsewhere). Static files come from a cache kept per release; pages come from the network
// first, from this learner's own cache when the network fails or is slow; grades made offline are
// sent back by Background Sync where the browser has it.
"use strict";
var VERSION = "{{ version }}";
var STATIC_CACHE = "static-" + VERSION;
var PRECACHE = {{ precache|safe }};
var PAGES = "pages-";            // + the learner's id: one cache per learner, never shared
var NETWORK_TIMEOUT_MS = 3000;   // a page slower than this comes from the cache, if it is there
// What is shown for a page not kept here: /offline/ in the language of the pages this worker
// last saw (it names no one, so one copy serves whoever uses the device), fetched again when
// that language changes. The scripts' strings (/jsi18n/<language>/) are kept beside it.
var FALLBACK = "offline-page";
var FALLBACK_URL = "{{ fallback_url }}";
var STRINGS = "strings";
// Pages kept for offline use: the home page, the reviews and the notes. Exams, instructor tools
// and account pages always need the network.
var KEPT = [/^\/$/, /^\/review\/$/, /^\/notes\//];

importScripts({{ idb|safe }});

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(STATIC_CACHE)
      .then(function (cache) { return cache.addAll(PRECACHE); })
      .then(function () { return refreshFallback(null).catch(function () { /* next page */ }); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (key) {
        return key.indexOf("static-") === 0 && key !== STATIC_CACHE;
      }).map(function (key) { return caches.delete(key); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function kept(url) {
  return url.origin === self.location.origin && KEPT.some(function (re) { return re.test(url.pathname); });
}

// The learner a page was made for, from its <meta name="study-user">: "" when signed out.
function userOf(html) {
  var match = /<meta name="study-user" content="(\d*)">/.exec(html);
  return match ? match[1] : null;
}

// The language a page is in, from its <html lang>; the scripts' strings it loads.
function langOf(html) {
  var match = /<html lang="([\w-]+)">/.exec(html);
  return match ? match[1] : null;
}

function catalogueOf(html) {
  var match = /<script src="(\/jsi18n\/[\w-]+\/)"/.exec(html);
  return match ? new URL(match[1], self.location.origin).href : null;
}

// The fallback page as the server makes it for this browser now; kept only when it is in the
// language expected (null: any), so a switch of language meanwhile never keeps the old one.
function refreshFallback(lang) {
  return fetch(FALLBACK_URL, { credentials: "same-origin" }).then(function (response) {
    if (!response.ok) return;
    return response.text().then(function (html) {
      if (lang && langOf(html) !== lang) return;
      return caches.open(FALLBACK).then(function (cache) {
        return cache.put(FALLBACK_URL, new Response(html, {
          headers: { "Content-Type": "text/html; charset=utf-8" }
        }));
      });
    });
  });
}

// The strings a kept page's scripts show, kept too (they are fetched fresh whenever online).
function keepCatalogue(html) {
  var src = catalogueOf(html);
  if (!src) return Promise.resolve();
  return caches.open(STRINGS).then(function (cache) {
    return cache.match(src).then(function (hit) {
      if (hit) return;
      return fetch(src, { credentials: "same-origin" }).then(function (response) {
        if (response.ok) return keepStrings(cache, src, response);
      });
    });
  });
}

function keepStrings(cache, url, response) {
  return response.text().then(function (body) {
    return cache.put(url, new Response(body, {
      headers: { "Content-Type": response.headers.get("Content-Type") || "text/javascript" }
    }));
  });
}

// A page seen in a language other than the last one: the fallback is fetched in the new
// language, and the pages this learner keeps (made in the old one) are fetched again in it, or
// dropped when that fails; none stays in the old language.
function seeLanguage(html, user, keptUrl) {
  var lang = langOf(html);
  if (!lang) return Promise.resolve();
  return idbKeyval.get("lang").then(function (last) {
    if (last === lang) {
      return Promise.all([keepCatalogue(html), caches.open(FALLBACK).then(function (cache) {
        return cache.match(FALLBACK_URL);
      }).then(function (hit) { return hit || refreshFallback(lang); })]);
    }
    return idbKeyval.set("lang", lang).then(function () {
      return Promise.all([
        keepCatalogue(html),
        refreshFallback(lang),
        last && user ? pagesAgain(user, keptUrl) : null
      ]);
    });
  }).catch(function () { /* the network went: the next page tries again */ });
}

function pagesAgain(user, keptUrl) {
  return caches.open(PAGES + user).then(function (cache) {
    return cache.keys().then(function (requests) {
      return Promise.all(requests.filter(function (request) {
        return request.url !== keptUrl;
      }).map(function (request) {
        return cache.delete(request).then(function () {
          return fetch(request.url, { credentials: "same-origin" });
        }).then(function (response) {
          if (isPage(response)) return keepPage(request.url, response);
        }).catch(function () { /* dropped: it comes back when opened online */ });
      }));
    });
  });
}

// Every learner's pages but this one's are deleted: a page for someone else (or for no one,
// after signing out) means the last learner's pages must not stay on the device.
function forgetOthers(user) {
  return caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (key) {
      return key.indexOf(PAGES) === 0 && key !== PAGES + user;
    }).map(function (key) { return caches.delete(key); }));
  });
}

function keepPage(url, response) {
  return response.text().then(function (html) {
    var user = userOf(html);
    if (user === null) return;
    return forgetOthers(user).then(function () {
      if (!user) return idbKeyval.del("user");
      return idbKeyval.set("user", user).then(function () {
        return caches.open(PAGES + user);
      }).then(function (cache) {
        return cache.put(url, new Response(html, {
          status: 200, headers: { "Content-Type": response.headers.get("Content-Type") || "text/html" }
        }));
      });
    }).then(function () { return seeLanguage(html, user, url); });
  });
}

function cachedPage(url) {
  return idbKeyval.get("user").then(function (user) {
    if (!user) return undefined;
    return caches.has(PAGES + user).then(function (has) {
      if (!has) return undefined;
      return caches.open(PAGES + user).then(function (cache) {
        return cache.match(url).then(function (hit) {
          return hit || cache.match(url, { ignoreSearch: true });
        });
      });
    });
  });
}

// The fallback kept for this device's language; English words only if none could be fetched yet.
function offlinePage() {
  return caches.open(FALLBACK).then(function (cache) {
    return cache.match(FALLBACK_URL);
  }).then(function (hit) {
    if (!hit) return builtInOfflinePage();
    return hit.text().then(function (html) {
      return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
    });
  }).catch(builtInOfflinePage);
}

function builtInOfflinePage() {
  var html = '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    '<title>Offline · Lambda Study</title><link rel="stylesheet" href="' + PRECACHE[0] + '"></head>' +
    '<body><main class="page"><h1>You are offline</h1><p>This page was not opened on this device ' +
    'while online, so it is not here. Your reviews work offline: <a href="/review/">open the ' +
    'reviews</a>.</p></main></body></html>';
  return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

function isPage(response) {
  return response && response.status === 200 && response.type === "basic" &&
    (response.headers.get("Content-Type") || "").indexOf("text/html") === 0;
}

function navigate(event) {
  var url = new URL(event.request.url);
  var network = fetch(event.request).then(function (response) {
    if (isPage(response)) event.waitUntil(keepPage(url.href, response.clone()));
    return response;
  });
  var slow = new Promise(function (resolve) { setTimeout(resolve, NETWORK_TIMEOUT_MS, null); });
  return Promise.race([network, slow]).then(function (response) {
    if (response) return response;
    return cachedPage(url.href).then(function (hit) { return hit || network; });
  }).catch(function () {
    return cachedPage(url.href).then(function (hit) { return hit || offlinePage(); });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    if (kept(url)) event.respondWith(navigate(event));
    else if (url.pathname.indexOf("/accounts/") !== 0) {
      // Not kept, but still read who it was made for: a sign-out clears the last learner's pages.
      event.respondWith(fetch(request).then(function (response) {
        if (isPage(response)) event.waitUntil(keepPageUserOnly(response.clone()));
        return response;
      }).catch(function () { return offlinePage(); }));
    }
    return;
  }
  if (url.pathname.indexOf("/jsi18n/") === 0) {
    // The scripts' strings: from the network, kept for offline use, from here without network.
    event.respondWith(fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        event.waitUntil(caches.open(STRINGS).then(function (cache) {
          return keepStrings(cache, url.href, copy);
        }));
      }
      return response;
    }).catch(function () {
      return caches.open(STRINGS).then(function (cache) {
        return cache.match(url.href, { ignoreVary: true });
      }).then(function (hit) { return hit || Response.error(); });
    }));
    return;
  }
  if (PRECACHE.indexOf(url.pathname) !== -1) {
    event.respondWith(caches.open(STATIC_CACHE).then(function (cache) {
      return cache.match(url.pathname).then(function (hit) { return hit || fetch(request); });
    }));
  }
});

function keepPageUserOnly(response) {
  return response.text().then(function (html) {
    var user = userOf(html);
    if (user === null) return;
    return forgetOthers(user).then(function () {
      return user ? idbKeyval.set("user", user) : idbKeyval.del("user");
    }).then(function () { return seeLanguage(html, user, null); });
  });
}

// The page asks for itself to be kept (its first visit came before this worker controlled it).
self.addEventListener("message", function (event) {
  var data = event.data || {};
  var reply = function (value) { if (event.ports[0]) event.ports[0].postMessage(value); };
  if (data.type === "keep-page") {
    var url = new URL(data.url, self.location.origin);
    if (!kept(url)) return reply(false);
    event.waitUntil(cachedPage(url.href).then(function (hit) {
      if (hit) return true;
      return fetch(url.href, { credentials: "same-origin" }).then(function (response) {
        if (!isPage(response)) return false;
        return keepPage(url.href, response).then(function () { return true; });
      });
    }).then(reply, function () { reply(false); }));
  } else if (data.type === "sign-out") {
    event.waitUntil(forgetOthers("").then(function () { return idbKeyval.del("user"); }).then(function () { reply(true); }));
  }
});

// Background Sync: the grades queued offline, posted in the order they were made.
self.addEventListener("sync", function (event) {
  if (event.tag === "review-grades") event.waitUntil(syncGrades());
});

// The page posts the same queue (static/js/offline.js): one lock for both, so a grade is never
// in two requests at once.
function syncGrades() {
  if (self.navigator && navigator.locks) {
    return navigator.locks.request("review-grades-sync", postQueuedGrades);
  }
  return postQueuedGrades();
}

function postQueuedGrades() {
  return Promise.all([idbKeyval.get("user"), idbKeyval.get("queue"), idbKeyval.get("csrf")]).then(function (got) {
    var user = got[0], queue = got[1] || [], csrf = got[2] || "";
    var mine = queue.filter(function (grade) { return String(grade.user) === String(user); });
    if (!user || !mine.length) return;
    return fetch("/review/sync/", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ grades: mine })
    }).then(function (response) {
      if (!response.ok) throw new Error("sync answered " + response.status);
      return response.json();
    }).then(function (result) {
      var gone = {};
      result.applied.concat(result.duplicates).forEach(function (nonce) { gone[nonce] = true; });
      result.rejected.forEach(function (item) { gone[item.nonce] = true; });
      return idbKeyval.update("queue", function (current) {
        return (current || []).filter(function (grade) { return !gone[grade.nonce]; });
      }).then(function () {
        return self.clients.matchAll().then(function (clients) {
          clients.forEach(function (client) { client.postMessage({ type: "synced", result: result }); });
        });
      });
    });
  });
}
