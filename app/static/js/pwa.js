/* Fangxin field app on every page of a field user: registers the service worker, keeps the
   offline working set fresh, shows its age and the outbox, asks for persistent storage, sends
   the outbox on reconnect, at start and on a backoff timer, and warns before signing out
   with unsent work (which stays on the phone). Needs idb, offline-db.js, outbox.js. */
(function () {
  "use strict";
  if (!("indexedDB" in window) || !window.FangxinDB) { return; }
  var DB = window.FangxinDB, Outbox = window.FangxinOutbox;
  var REFRESH_MS = 10 * 60 * 1000, LOW_BYTES = 50 * 1024 * 1024;
  var T = {
    age: "离线资料更新于 {0}", none: "离线资料尚未下载", pending: "待上传 {0} 条",
    persistRefused: "浏览器未允许永久保存：清理浏览器数据会删除未上传的检查，请尽快联网上传。",
    lowStorage: "手机存储空间不足（剩余约 {0} MB），离线照片可能无法保存。",
    confirmLogout: "还有 {0} 条检查未上传。退出后仍保留在本机，重新登录后自动上传。确定退出吗？",
    outbox: "待上传", offlineLink: "离线检查"
  };
  (function translate() {
    var node = document.getElementById("js-messages");
    var given = node ? (JSON.parse(node.textContent || "{}").offline || {}) : {};
    Object.keys(given).forEach(function (k) { T[k] = given[k]; });
    Object.keys(Outbox.texts).forEach(function (k) { if (given[k]) { Outbox.texts[k] = given[k]; } });
  })();
  window.FangxinText = T;

  function fill(text) {
    var values = Array.prototype.slice.call(arguments, 1);
    return text.replace(/\{(\d)\}/g, function (_, i) { return values[i]; });
  }

  function when(iso) {
    var d = new Date(iso), pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return (d.getMonth() + 1) + "-" + pad(d.getDate()) + " " + pad(d.getHours()) + ":" + pad(d.getMinutes());
  }

  function currentUser() {
    var meta = document.querySelector('meta[name="fangxin-user"]');
    return meta ? meta.content : "";
  }

  function refreshSet(force) {
    return DB.meta("working-set").then(function (kept) {
      var age = kept ? Date.now() - Date.parse(kept.fetched_at) : Infinity;
      var someoneElse = kept && String(kept.data.user.id) !== currentUser();
      if (!navigator.onLine || (!force && !someoneElse && age < REFRESH_MS)) { return kept; }
      return fetch("/api/v1/field/offline-set", { credentials: "same-origin", redirect: "manual",
        headers: { "Accept": "application/json" } }).then(function (r) {
        if (!r.ok) { return kept; }
        return r.json().then(function (data) {
          var value = { fetched_at: new Date().toISOString(), data: data };
          return DB.putMeta("working-set", value).then(function () { return value; });
        });
      }).catch(function () { return kept; });
    });
  }

  function storageWarning() {
    var s = navigator.storage;
    if (!s || !s.persist) { return Promise.resolve(""); }
    return s.persisted().then(function (yes) { return yes || s.persist(); }).then(function (kept) {
      if (!kept) { return T.persistRefused; }
      if (!s.estimate) { return ""; }
      return s.estimate().then(function (e) {
        var free = (e.quota || 0) - (e.usage || 0);
        return e.quota && free < LOW_BYTES ? fill(T.lowStorage, Math.round(free / 1048576)) : "";
      });
    }).catch(function () { return ""; });
  }

  var bar = null;
  function showStatus(kept, pending, warning) {
    if (!bar) {
      bar = document.createElement("p");
      bar.className = "offline-status";
      bar.setAttribute("role", "status");
      var main = document.getElementById("main");
      if (main) { main.insertBefore(bar, main.firstChild); }
    }
    bar.textContent = kept ? fill(T.age, when(kept.fetched_at)) : T.none;
    var link = document.createElement("a");
    link.href = pending ? "/field/offline#/outbox" : "/field/offline";
    link.textContent = pending ? fill(T.pending, pending) : T.offlineLink;
    bar.appendChild(document.createTextNode(" · "));
    bar.appendChild(link);
    bar.classList.toggle("warn", !!warning);
    if (warning) { bar.appendChild(document.createTextNode(" " + warning)); }
  }

  function update(kept) {
    return Promise.all([kept || DB.meta("working-set"), DB.pending(), storageWarning()])
      .then(function (r) {
        window.FangxinStorageWarning = r[2];
        showStatus(r[0], r[1].length, r[1].length ? r[2] : "");
      });
  }

  var delay = 15000, timer = null;
  function send() {
    clearTimeout(timer);
    if (!navigator.onLine) { return Promise.resolve(); }
    return Outbox.sendAll().then(function () { delay = 15000; }, function (err) {
      if (err && err.full) { return; } // the server's store is full: waits for a tap or "online"
      delay = Math.min(delay * 2, 5 * 60 * 1000);
      timer = setTimeout(send, delay);
    }).then(function () { return update(); });
  }

  function askSync() {
    if (!navigator.serviceWorker || !navigator.serviceWorker.ready) { return; }
    navigator.serviceWorker.ready.then(function (reg) {
      if (reg.sync) { return reg.sync.register("fangxin-outbox"); }
      return null;
    }).catch(function () { /* no Background Sync: the retry loop does it */ });
  }

  window.FangxinApp = { refreshSet: refreshSet, send: send, askSync: askSync, update: update };

  // Registering checks /sw.js for an update and the worker then refreshes its kept pages:
  // network work, so with no signal it waits for the "online" event (the worker already
  // installed keeps serving the field pages meanwhile).
  function registerWorker() {
    if (!navigator.serviceWorker || navigator.onLine === false) { return; }
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(function (reg) {
      if (reg.active && navigator.onLine !== false) { reg.active.postMessage("keep-pages"); }
    }).catch(function () { /* offline pages unavailable; the online app still works */ });
  }

  if (navigator.serviceWorker) {
    registerWorker();
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data === "send-outbox") { send(); }
    });
  }
  Outbox.onChange(function () { update(); });
  window.addEventListener("online", function () {
    registerWorker();
    refreshSet(true).then(update);
    send();
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!/\/logout$/.test(form.getAttribute("action") || "")) { return; }
    event.preventDefault();
    DB.pending().then(function (pending) {
      if (!pending.length || window.confirm(fill(T.confirmLogout, pending.length))) { form.submit(); }
    });
  }, true);

  refreshSet(false).then(update).then(send);
  setInterval(function () { refreshSet(false).then(update); }, REFRESH_MS); // a page left open
})();
