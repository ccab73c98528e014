/* Checklist page: autosave to the server draft, a local copy in IndexedDB as fallback, section progress.
   The page works without this file: the form's own buttons save and review. */
(function () {
  "use strict";

  var form = document.getElementById("checklist");
  if (!form) { return; }
  var url = form.dataset.autosaveUrl;
  var key = form.dataset.storageKey;
  var uuid = form.dataset.uuid;
  var serverUpdated = Number(form.dataset.updatedAt || 0);
  var status = document.getElementById("save-status");
  var meta = document.querySelector('meta[name="csrf-token"]');
  var csrf = meta ? meta.content : "";
  var SKIP = { csrf_token: 1, client_uuid: 1, signature: 1, action: 1 };
  var timer = null, saving = false, pending = false, dirty = false;

  function text(name, value) {
    var t = form.dataset[name] || "";
    return value === undefined ? t : t.replace("%s", value);
  }

  function setStatus(message, offline) {
    if (!status) { return; }
    status.textContent = message;
    status.classList.toggle("offline", !!offline);
  }

  // The answers without the photo pickers: photos.js uploads those on its own.
  function answersBody() {
    var body = new FormData(form);
    Array.prototype.forEach.call(form.querySelectorAll('input[type="file"]'), function (el) {
      body.delete(el.name);
    });
    body.delete("action");
    return body;
  }

  function values() {
    var out = {};
    answersBody().forEach(function (v, k) { if (!SKIP[k]) { out[k] = v; } });
    return out;
  }

  function restore(saved) {
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || SKIP[el.name] || el.type === "hidden" || el.type === "submit" ||
          el.type === "file") { return; }
      if (el.type === "radio" || el.type === "checkbox") {
        el.checked = saved[el.name] === el.value;
      } else if (Object.prototype.hasOwnProperty.call(saved, el.name)) {
        el.value = saved[el.name];
      }
    });
  }

  // The local copy lives in IndexedDB (offline-db.js), which survives a reload, a closed tab
  // and a phone restart; a copy an older version left in localStorage is read once and moved.
  var DB = window.FangxinDB;

  function keepLocal() {
    if (!key || !DB) { return; }
    DB.putMeta(key, { uuid: uuid, saved: Date.now(), values: values() }).catch(function () {
      /* storage full or disabled: the server draft still holds the answers */
    });
  }

  function readLegacy() {
    try {
      var old = JSON.parse(localStorage.getItem(key) || "null");
      localStorage.removeItem(key);
      return old;
    } catch (e) { return null; }
  }

  function readLocal() {
    var legacy = readLegacy();
    if (!DB) { return Promise.resolve(legacy); }
    return DB.meta(key).then(function (kept) {
      return kept && (!legacy || kept.saved >= legacy.saved) ? kept : legacy;
    }, function () { return legacy; });
  }

  function dropLocal() {
    if (DB && key) { DB.deleteMeta(key).catch(function () { /* nothing to drop */ }); }
  }

  function progress() {
    form.querySelectorAll("[data-item]").forEach(function (item) {
      var failed = item.querySelector('input[value="fail"]:checked');
      item.classList.toggle("failed", !!failed);
    });
    form.querySelectorAll("[data-section]").forEach(function (section) {
      var items = section.querySelectorAll("[data-item]");
      var done = 0, fails = 0;
      items.forEach(function (item) {
        if (item.querySelector('.seg input:checked')) { done += 1; }
        if (item.querySelector('input[value="fail"]:checked')) { fails += 1; }
      });
      var li = document.querySelector('[data-progress="' + section.dataset.section + '"]');
      if (!li) { return; }
      li.querySelector(".p-count").textContent = done + "/" + items.length;
      li.classList.toggle("done", done === items.length);
      li.classList.toggle("has-fail", fails > 0);
    });
  }

  function schedule(delay) {
    if (!url) { return; }
    clearTimeout(timer);
    timer = setTimeout(save, delay === undefined ? 800 : delay);
  }

  // No signal (the phone says so): keep the local copy, try nothing; "online" saves it.
  function offline() { return navigator.onLine === false; }

  function save() {
    if (saving) { pending = true; return; }
    if (offline()) {
      dirty = true;
      setStatus(text("msgOffline"), true);
      return;
    }
    saving = true;
    dirty = false;
    var body = answersBody();
    var sentSignature = body.get("signature") || "";
    fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, "Accept": "application/json" }
    }).then(function (response) {
      if (response.status === 409) {
        return response.json().then(function (data) { window.location.href = data.url; });
      }
      if (response.status === 507) { return storageFull(response); }
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json().then(function (data) {
        serverUpdated = data.updated_at;
        if (!dirty) { dropLocal(); }
        var sig = document.getElementById("signature");
        if (sig && sentSignature && sig.value === sentSignature && !data.warnings.length) {
          sig.value = "";  // stored now; do not send it again with every answer
        }
        setStatus(data.warnings.length ? data.warnings.join(" ") : text("msgSaved", data.saved_at),
          data.warnings.length > 0);
      });
    }).catch(function () {
      dirty = true;
      setStatus(text("msgOffline"), true);
      schedule(15000);
    }).then(function () {
      saving = false;
      if (pending) { pending = false; schedule(0); }
    });
  }

  // The photo store is full: the answers are saved, the signature is not. Say so, keep the
  // signature on the page (the next change sends it again) and schedule no retry: only the
  // admin making room can help.
  function storageFull(response) {
    return response.json().catch(function () { return {}; }).then(function (data) {
      if (data.saved) {
        serverUpdated = data.updated_at;
        if (!dirty) { dropLocal(); }
      } else {
        dirty = true;
      }
      var warnings = data.warnings || [];
      setStatus(warnings.length ? warnings.join(" ") : (data.error || "HTTP 507"), true);
    });
  }

  function changed() {
    dirty = true;
    keepLocal();
    progress();
    schedule();
  }

  form.addEventListener("change", function (event) {
    if (event.target.type !== "file") { changed(); }
  });
  form.addEventListener("input", function (event) {
    if (event.target.tagName === "TEXTAREA" || event.target.type === "text") { changed(); }
  });
  window.addEventListener("online", function () { if (dirty) { schedule(0); } });
  window.addEventListener("pagehide", function () {
    // A beacon queued with no signal can still go out (or reach the server much later):
    // with no signal the answers stay in IndexedDB and the next visit saves them.
    if (dirty && url && navigator.sendBeacon && !offline()) {
      navigator.sendBeacon(url, answersBody());
    }
  });

  if (key) {
    readLocal().then(function (local) {
      if (local && local.uuid === uuid && local.saved > serverUpdated && local.values) {
        restore(local.values);
        setStatus(text("msgRestored"), true);
        dirty = true;
        progress();
        schedule(0);
      }
    });
  }
  progress();
})();
