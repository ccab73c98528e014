/*
 * Fangxin photo uploads — progressive enhancement (no framework, no inline script).
 *
 * Markup (works without JS as a plain multipart form):
 *   <meta name="csrf-token" content="{{ csrf_token() }}">
 *   <form method="post" enctype="multipart/form-data">
 *     <input type="file" name="photo" accept="image/*" capture="environment" multiple
 *            data-photo-upload="/field/…/photos"       (required: upload URL)
 *            data-photo-list="#item-3-photos"          (optional: where thumbnails go;
 *                                                        default: next .photo-list)
 *            data-photo-field="photo_ids"              (optional: add hidden inputs with
 *                                                        the new ids to the form)
 *            data-photo-max-bytes="20971520">          (optional: refuse bigger locally)
 *     <ul class="photo-list">…server-rendered .photo-item thumbnails…</ul>
 *   </form>
 *   <script src="/static/js/photos.js" defer></script>
 *
 * Resumable (uploads.js, FangxinUploads): an input with data-upload-inspection and
 * data-upload-item sends each photo in chunks to /media/uploads and attaches it to that
 * item at the end; an input with data-upload-field="upload-<item>" (the amendment form)
 * only uploads it and adds a hidden input with the upload's id, which the form's own
 * submit then attaches. Either way the EXIF taken-at time and position go along.
 *
 * Otherwise: each chosen photo is downscaled to ≤1600 px (JPEG 0.8), then POSTed on its
 * own as multipart field "photo" with header X-CSRFToken. Expected answers:
 *   2xx {"id": 12, "thumb_url": "/…", "url": "/…"}   → thumbnail link added
 *   4xx/5xx {"error": "中文说明"}                      → message shown (5xx/network retried)
 * Photos go one at a time (memory on cheap phones, bandwidth on weak signal).
 */
(function () {
  "use strict";

  var MAX_EDGE = 1600;
  var QUALITY = 0.8;
  var TRIES = 3;
  var FIRST_DELAY_MS = 2000; // then ×3: 2 s, 6 s (the plain POST; uploads.js backs off longer)
  var TIMEOUT_MS = 120000;
  var DEFAULT_MAX_BYTES = 20 * 1024 * 1024;

  var TEXT = {
    queued: "等待上传…",
    shrinking: "正在压缩…",
    uploading: "正在上传",
    waitingNetwork: "网络已断开，等待恢复后自动重试…",
    retrying: function (seconds, attempt) {
      return "上传失败，" + seconds + " 秒后重试（第 " + attempt + "/" + TRIES + " 次）";
    },
    network: "网络不稳定，照片未能上传，请稍后点“重试”",
    timeout: "上传超时（网络太慢），请稍后点“重试”",
    server: "服务器暂时出错，照片未能上传，请稍后点“重试”",
    expired: "登录已过期或页面已失效，请刷新页面后重新上传",
    tooLarge: "照片太大，服务器拒绝接收，请压缩后重试",
    tooLargeLocal: function (mb) { return "照片超过 " + mb + " MB，请压缩后重试"; },
    badAnswer: "服务器返回了无法识别的结果，请点“重试”",
    unexpected: "照片处理出错，请点“重试”或重新选择",
    failed: function (status) { return "上传失败（错误 " + status + "）"; },
    resumeIn: function (seconds, percent) {
      return "上传中断（已传 " + percent + "%），" + seconds + " 秒后自动继续…";
    },
    savedWithForm: "已上传，保存修改时一起保存",
    retry: "重试",
    remove: "删除",
    photo: "照片",
    confirmLeave: "还有照片没有上传成功，确定要离开吗？",
    confirmSubmit: function (n) {
      return "还有 " + n + " 张照片正在上传或上传失败，现在提交将不包含这些照片。仍要提交吗？";
    }
  };

  // The page carries these texts in the user's language (app.i18n.js_messages):
  // a JSON block, not a script, so the content security policy allows it.
  (function translate() {
    var node = document.getElementById("js-messages");
    var given;
    try { given = node ? JSON.parse(node.textContent).photos : null; } catch (e) { given = null; }
    if (!given) return;
    Object.keys(given).forEach(function (key) {
      TEXT[key] = typeof TEXT[key] === "function" ? fill(given[key]) : given[key];
    });
  })();

  function fill(text) {
    return function () {
      var values = arguments;
      return text.replace(/\{(\d)\}/g, function (_, i) { return values[i]; });
    };
  }

  var queue = null;
  var unsent = 0; // photos queued, uploading or failed (not yet on the server)
  var submitting = false;

  function supported() {
    return !!(window.Promise && window.FormData && window.XMLHttpRequest && window.Blob &&
      window.FangxinUploads && document.querySelector && "upload" in new XMLHttpRequest());
  }

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") || "" : "";
  }

  /* ---- where thumbnails go ------------------------------------------------------ */

  function listFor(input) {
    var selector = input.getAttribute("data-photo-list");
    var found = selector ? document.querySelector(selector) : null;
    for (var node = input; !found && node && node !== input.form; node = node.parentElement) {
      for (var sib = node.nextElementSibling; !found && sib; sib = sib.nextElementSibling) {
        found = sib.classList.contains("photo-list") ? sib : sib.querySelector(".photo-list");
      }
    }
    if (!found) {
      found = document.createElement("ul");
      found.className = "photo-list";
      input.parentNode.insertBefore(found, input.nextSibling);
    }
    return found;
  }

  function safeUrl(value) {
    return typeof value === "string" && /^(\/(?!\/)|https?:\/\/)/i.test(value) ? value : null;
  }

  /* ---- one upload over XMLHttpRequest ------------------------------------------- */

  function parseJson(text) {
    try { return JSON.parse(text); } catch (e) { return null; }
  }

  function failure(status, body, fallback) {
    var message = body && typeof body.error === "string" && body.error ? body.error : fallback;
    if (!message) {
      if (status === 413) { message = TEXT.tooLarge; }
      else if (status === 401 || status === 403) { message = TEXT.expired; }
      else if (status >= 500) { message = TEXT.server; }
      else if (status === 0) { message = TEXT.network; }
      else { message = TEXT.failed(status); }
    }
    var retry = status === 0 || status === 408 || status === 429 || status >= 500;
    var permanent = status === 400 || status === 413 || status === 415 || status === 507;
    return { status: status, message: message, retry: retry && status !== 507,
      permanent: permanent };
  }

  function send(url, blob, name, onProgress) {
    return new Promise(function (resolve, reject) {
      var xhr = new XMLHttpRequest();
      var form = new FormData();
      form.append("photo", blob, name);
      xhr.open("POST", url, true);
      xhr.timeout = TIMEOUT_MS;
      xhr.setRequestHeader("X-CSRFToken", csrfToken());
      xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.onprogress = function (event) {
        if (event.lengthComputable) { onProgress(event.loaded / event.total); }
      };
      xhr.onload = function () {
        var body = parseJson(xhr.responseText);
        var ok = xhr.status >= 200 && xhr.status < 300;
        if (ok && body && safeUrl(body.thumb_url) && safeUrl(body.url)) { resolve(body); }
        else { reject(ok ? failure(xhr.status, null, TEXT.badAnswer) : failure(xhr.status, body)); }
      };
      xhr.onerror = function () { reject(failure(0)); };
      xhr.ontimeout = function () { reject(failure(0, null, TEXT.timeout)); };
      xhr.send(form);
    });
  }

  function wait(ms) {
    return new Promise(function (resolve) { setTimeout(resolve, ms); });
  }

  function online(item) {
    if (navigator.onLine !== false) { return Promise.resolve(); }
    item.say(TEXT.waitingNetwork);
    return new Promise(function (resolve) {
      window.addEventListener("online", function ready() {
        window.removeEventListener("online", ready);
        resolve();
      });
    });
  }

  function sendWithRetry(item, attempt) {
    return online(item).then(function () {
      item.say(TEXT.uploading);
      return send(item.url, item.blob, item.name, item.progress.bind(item));
    }).catch(function (err) {
      if (!err.retry || attempt >= TRIES) { throw err; }
      var delay = FIRST_DELAY_MS * Math.pow(3, attempt - 1);
      item.say(TEXT.retrying(delay / 1000, attempt + 1, TRIES));
      return wait(delay).then(function () { return sendWithRetry(item, attempt + 1); });
    });
  }

  /* ---- one photo in the list ---------------------------------------------------- */

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  function PhotoItem(input, list, file) {
    this.input = input;
    this.file = file;
    this.url = input.getAttribute("data-photo-upload");
    this.maxBytes = parseInt(input.getAttribute("data-photo-max-bytes"), 10) || DEFAULT_MAX_BYTES;
    this.blob = null;
    this.exif = null;
    var inspection = parseInt(input.getAttribute("data-upload-inspection"), 10);
    var itemId = input.getAttribute("data-upload-item");
    this.field = input.getAttribute("data-upload-field"); // e.g. "upload-fg.env.01"
    this.target = inspection && itemId ? { inspection_id: inspection, item_id: itemId } : null;
    this.resumable = !!(this.target || this.field);
    this.token = this.resumable ? window.FangxinUploads.newId() : null; // 重试 resumes it
    var tag = /^(UL|OL)$/.test(list.tagName) ? "li" : "div";
    this.node = el(tag, "photo-item is-busy");
    this.label = el("span", "photo-name", file.name || TEXT.photo);
    this.bar = el("progress", "photo-progress");
    this.bar.max = 1;
    this.status = el("span", "photo-status", TEXT.queued);
    this.status.setAttribute("role", "status");
    this.status.setAttribute("aria-live", "polite");
    this.buttons = el("span", "photo-actions");
    this.node.appendChild(this.label);
    this.node.appendChild(this.bar);
    this.node.appendChild(this.status);
    this.node.appendChild(this.buttons);
    list.appendChild(this.node);
  }

  PhotoItem.prototype.say = function (text) {
    this.status.textContent = text;
  };

  PhotoItem.prototype.progress = function (fraction, info) {
    this.bar.value = fraction;
    var percent = Math.round(fraction * 100);
    if (info && info.phase === "offline") { this.say(TEXT.waitingNetwork); }
    else if (info && info.phase === "waiting") { this.say(TEXT.resumeIn(info.seconds, percent)); }
    else { this.say(TEXT.uploading + " " + percent + "%"); }
  };

  PhotoItem.prototype.send = function () {
    if (!this.resumable) { return sendWithRetry(this, 1); }
    var meta = { upload: this.token, filename: this.name, exif: this.exif };
    if (this.target) {
      meta.inspection_id = this.target.inspection_id;
      meta.item_id = this.target.item_id;
    }
    return window.FangxinUploads.send(this.blob, meta, this.progress.bind(this));
  };

  PhotoItem.prototype.run = function () {
    var item = this;
    item.node.className = "photo-item is-busy";
    item.bar.removeAttribute("value"); // indeterminate while compressing
    var ready = item.blob ? Promise.resolve(null)
      : (item.say(TEXT.shrinking), window.FangxinUploads.prepare(item.file));
    return ready.then(function (prepared) {
      if (prepared) {
        item.blob = prepared.blob;
        item.name = prepared.filename;
        item.exif = prepared.exif;
      }
      if (item.blob.size > item.maxBytes) {
        var mb = Math.round(item.maxBytes / 1048576);
        throw { message: TEXT.tooLargeLocal(mb), retry: false, permanent: true };
      }
      item.bar.value = 0;
      return item.send();
    }).then(function (body) { item.done(body); }, function (err) { item.fail(err); });
  };

  PhotoItem.prototype.done = function (body) {
    if (this.field && !body.thumb_url) { this.uploaded(body); return; }
    unsent -= 1;
    var link = el("a", "photo-thumb");
    link.href = safeUrl(body.url);
    link.target = "_blank"; // the full photo opens beside the form, which stays as it is
    link.rel = "noopener";
    var img = el("img");
    img.src = safeUrl(body.thumb_url);
    img.alt = TEXT.photo + " " + (this.file.name || "");
    link.appendChild(img);
    this.node.className = "photo-item is-done";
    this.node.textContent = "";
    this.node.appendChild(link);
    this.remember(body.id);
    this.blob = this.file = null;
  };

  /* Uploaded for a form that attaches it on submit (the amendment): a local preview and
   * the hidden field carrying the upload's id. */
  PhotoItem.prototype.uploaded = function (body) {
    unsent -= 1;
    var img = el("img", "photo-preview");
    img.src = URL.createObjectURL(this.blob);
    img.alt = TEXT.photo + " " + (this.file.name || "");
    this.node.className = "photo-item is-done is-pending";
    this.node.textContent = "";
    this.node.appendChild(img);
    this.node.appendChild(el("span", "photo-status", TEXT.savedWithForm));
    var hidden = el("input");
    hidden.type = "hidden";
    hidden.name = this.field;
    hidden.value = String(body.upload);
    this.input.form.appendChild(hidden);
    this.blob = this.file = null;
  };

  PhotoItem.prototype.remember = function (id) {
    var field = this.input.getAttribute("data-photo-field");
    if (!field || id === undefined || id === null || !this.input.form) { return; }
    var hidden = el("input");
    hidden.type = "hidden";
    hidden.name = field;
    hidden.value = String(id);
    this.input.form.appendChild(hidden);
  };

  PhotoItem.prototype.fail = function (err) {
    var item = this;
    item.node.className = "photo-item is-failed";
    var known = err && (typeof err.retry === "boolean" || typeof err.permanent === "boolean");
    item.say(known ? err.message : TEXT.unexpected);
    item.buttons.textContent = "";
    var remove = el("button", "photo-remove", TEXT.remove);
    remove.type = "button";
    remove.addEventListener("click", function () {
      unsent -= 1;
      item.node.parentNode.removeChild(item.node);
    });
    if (err && err.permanent) { // too big, not an image, full disk: a retry cannot help
      item.buttons.appendChild(remove);
      return;
    }
    var retry = el("button", "photo-retry", TEXT.retry);
    retry.type = "button";
    retry.addEventListener("click", function () {
      item.buttons.textContent = "";
      enqueue(item);
    });
    item.buttons.appendChild(retry);
    item.buttons.appendChild(remove);
    retry.focus();
  };

  /* ---- wiring ------------------------------------------------------------------- */

  function enqueue(item) {
    item.say(TEXT.queued);
    queue = (queue || Promise.resolve()).then(function () { return item.run(); });
  }

  function choose(input) {
    var files = Array.prototype.slice.call(input.files || []);
    if (!files.length) { return; }
    var list = listFor(input);
    input.value = ""; // the plain form post must not send these photos a second time
    files.forEach(function (file) {
      unsent += 1;
      enqueue(new PhotoItem(input, list, file));
    });
  }

  function guard(form) {
    if (form.getAttribute("data-photo-guarded")) { return; }
    form.setAttribute("data-photo-guarded", "1");
    form.addEventListener("submit", function (event) {
      if (unsent > 0 && !window.confirm(TEXT.confirmSubmit(unsent))) {
        event.preventDefault();
        return;
      }
      submitting = true; // no "leave page?" prompt for our own submit…
      setTimeout(function () { submitting = false; }, 1000); // …unless it was cancelled
    });
  }

  function init(root) {
    if (!supported()) { return; }
    var inputs = (root || document).querySelectorAll(
      'input[type="file"][data-photo-upload], input[type="file"][data-upload-field]');
    Array.prototype.forEach.call(inputs, function (input) {
      if (!input.form || input.getAttribute("data-photo-ready")) { return; }
      input.setAttribute("data-photo-ready", "1");
      input.addEventListener("change", function () { choose(input); });
      guard(input.form);
    });
  }

  window.addEventListener("beforeunload", function (event) {
    if (unsent > 0 && !submitting) {
      event.preventDefault();
      event.returnValue = TEXT.confirmLeave;
      return TEXT.confirmLeave;
    }
  });

  window.FangxinPhotos = { init: init };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { init(document); });
  } else {
    init(document);
  }
})();
