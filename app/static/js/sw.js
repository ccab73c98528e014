/* Fangxin service worker (served at /sw.js, which prepends self.FANGXIN: the precache
   manifest, the shell pages and the offline page).

   - App shell: Workbox precaching (CSS, JS incl. jsQR, icons), by their versioned URLs.
   - Field pages (/field/...): network first (4 s), then the copy kept from the last visit
     (the shell pages and the checklist pages opened online), then the offline page, which renders the due list, establishments and checklists from
     the working set in IndexedDB.
   - A scanned placard (/q/<token>) or a typed short code (/lookup?code=) with no network:
     the offline page finds the establishment in the working set.
   - Background Sync "fangxin-outbox": asks an open page to send the outbox; with none open,
     sends the inspections whose photos are already up. */
/* global FANGXIN, FangxinOutbox */
// The scripts by their versioned URLs (?v=<content hash>), so a changed one changes this worker.
importScripts.apply(self, FANGXIN.imports);

var wb = self.workbox;
var PAGES = "fangxin-pages";
var TIMEOUT_MS = 4000;

self.skipWaiting();
wb.core.clientsClaim();
wb.precaching.cleanupOutdatedCaches();
// Shell files are precached by their versioned URLs; a page kept before a deploy asks for an
// older ?v=, which is answered with the file as precached now.
var CURRENT = {};
FANGXIN.precache.forEach(function (entry) {
  CURRENT[new URL(entry.url, self.location.href).pathname] = entry.url;
});
wb.precaching.precacheAndRoute(FANGXIN.precache, {
  urlManipulation: function (o) {
    var current = CURRENT[o.url.pathname];
    return current ? [new URL(current, self.location.href)] : [];
  }
});

// The phone says it has no signal: background work waits, the kept copies stay as they are.
function offline() { return self.navigator.onLine === false; }

function keepPages() {
  if (offline()) { return Promise.resolve(); }
  return caches.open(PAGES).then(function (cache) {
    return Promise.all(FANGXIN.pages.map(function (url) {
      return fetch(url, { credentials: "same-origin" }).then(function (r) {
        if (r.ok && !r.redirected) { return cache.put(url, r); }
        return null;
      }).catch(function () { return null; });
    }));
  });
}

self.addEventListener("activate", function (event) { event.waitUntil(keepPages()); });
self.addEventListener("message", function (event) {
  if (event.data === "keep-pages") { event.waitUntil(keepPages()); }
});

function withTimeout(promise) {
  return new Promise(function (resolve, reject) {
    var timer = setTimeout(function () { reject(new Error("timeout")); }, TIMEOUT_MS);
    promise.then(function (r) { clearTimeout(timer); resolve(r); },
      function (e) { clearTimeout(timer); reject(e); });
  });
}

function offlinePage(hash) {
  if (hash) { return Response.redirect(FANGXIN.offline + "#" + hash, 302); }
  return caches.open(PAGES).then(function (cache) { return cache.match(FANGXIN.offline); })
    .then(function (r) { return r || Response.error(); });
}

function fieldPage(request) {
  var path = new URL(request.url).pathname;
  // The shell pages, and each checklist page opened online: reloaded with no signal it comes
  // back from here and checklist.js restores the answers kept in IndexedDB since.
  var kept = FANGXIN.pages.indexOf(path) >= 0 || /^\/field\/inspections\/\d+$/.test(path);
  // Give up on a slow network after 4 s only where the phone has something to show instead.
  var rendered = kept || routeFor(path) || path === "/field/";
  var fetched = rendered ? withTimeout(fetch(request)) : fetch(request);
  return fetched.then(function (response) {
    if (kept && response.ok && !response.redirected) {
      var copy = response.clone();
      caches.open(PAGES).then(function (cache) { cache.put(path, copy); });
    }
    return response;
  }).catch(function () {
    return caches.open(PAGES).then(function (cache) { return cache.match(path); })
      .then(function (r) { return r || offlinePage(routeFor(path)); });
  });
}

// The offline page's route for a field URL it can render (#/e/<id>), else its home.
function routeFor(path) {
  var est = /\/field\/establishments\/(\d+)$/.exec(path);
  return est ? "/e/" + est[1] : "";
}

function lookup(request) {
  var url = new URL(request.url);
  return withTimeout(fetch(request)).catch(function () {
    var token = /^\/q\/([A-Za-z0-9_-]+)/.exec(url.pathname);
    var text = token ? token[1] : (url.searchParams.get("code") || "");
    return offlinePage("/find/" + encodeURIComponent(text));
  });
}

wb.routing.registerRoute(function (ctx) {
  return ctx.request.mode === "navigate" && ctx.url.pathname.indexOf("/field/") === 0;
}, function (ctx) { return fieldPage(ctx.request); });

wb.routing.registerRoute(function (ctx) {
  return ctx.request.mode === "navigate" &&
    (ctx.url.pathname.indexOf("/q/") === 0 || ctx.url.pathname === "/lookup");
}, function (ctx) { return lookup(ctx.request); });

self.addEventListener("sync", function (event) {
  if (event.tag !== "fangxin-outbox") { return; }
  event.waitUntil(self.clients.matchAll({ type: "window" }).then(function (windows) {
    if (windows.length) {
      windows.forEach(function (w) { w.postMessage("send-outbox"); });
      return null;
    }
    // A full store on the server is not retried by the browser's sync schedule either.
    return FangxinOutbox.sendAll().catch(function (err) { if (!err || !err.full) { throw err; } });
  }));
});
