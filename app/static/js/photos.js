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
 * With JS: each chosen photo is downscaled to ≤1600 px (JPEG 0.8), then POSTed on its
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
  var FIRST_DELAY_MS = 2000; // then ×3: 2 s, 6 s
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
      document.querySelector && "upload" in new XMLHttpRequest());
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

  /* ---- downscaling in the browser ----------------------------------------------- */

  function decodeWithBitmap(file) {
    return new Promise(function (resolve) {
      // Older engines throw (not reject) on the unknown option value.
      resolve(createImageBitmap(file, { imageOrientation: "from-image" }));
    }).then(function (bitmap) {
      return { source: bitmap, width: bitmap.width, height: bitmap.height,
        release: function () { if (bitmap.close) { bitmap.close(); } } };
    });
  }

  function decodeWithImage(file) {
    // <img> applies EXIF orientation only where CSS image-orientation exists (Chrome 81+,
    // Safari 13.1+); elsewhere the original goes up and the server rotates it.
    if (!(window.CSS && CSS.supports && CSS.supports("image-orientation", "from-image"))) {
      return Promise.reject(new Error("orientation unsupported"));
    }
    return new Promise(function (resolve, reject) {
      var url = URL.createObjectURL(file);
      var img = new Image();
      img.onload = function () {
        resolve({ source: img, width: img.naturalWidth, height: img.naturalHeight,
          release: function () { URL.revokeObjectURL(url); } });
      };
      img.onerror = function () { URL.revokeObjectURL(url); reject(new Error("decode")); };
      img.src = url;
    });
  }

  function decode(file) {
    if (window.createImageBitmap) {
      return decodeWithBitmap(file).catch(function () { return decodeWithImage(file); });
    }
    return decodeWithImage(file);
  }

  function canvasToJpeg(canvas) {
    return new Promise(function (resolve) {
      if (!canvas.toBlob) { resolve(null); return; }
      canvas.toBlob(resolve, "image/jpeg", QUALITY);
    });
  }

  function draw(decoded) {
    var scale = Math.min(1, MAX_EDGE / Math.max(decoded.width, decoded.height));
    var canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(decoded.width * scale));
    canvas.height = Math.max(1, Math.round(decoded.height * scale));
    var ctx = canvas.getContext("2d");
    ctx.fillStyle = "#fff"; // transparent PNGs: white, like the server does
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = "high";
    ctx.drawImage(decoded.source, 0, 0, canvas.width, canvas.height);
    decoded.release();
    return canvas;
  }

  /* Resolves to the Blob to upload: a ≤1600 px JPEG, or the original when the browser
   * cannot decode it (e.g. HEIC on Android) or its JPEG would not be smaller. */
  function shrink(file) {
    return decode(file).then(function (decoded) {
      var canvas = draw(decoded);
      return canvasToJpeg(canvas).then(function (blob) {
        canvas.width = canvas.height = 0; // free the bitmap memory now
        return blob && blob.size < file.size ? blob : file;
      });
    }).catch(function () { return file; });
  }

  function uploadName(file, blob) {
    var base = (file.name || TEXT.photo).replace(/\.[^.]*$/, "") || TEXT.photo;
    return blob === file && file.name ? file.name : base + ".jpg";
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
    return { status: status, message: message, retry: retry };
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

  PhotoItem.prototype.progress = function (fraction) {
    this.bar.value = fraction;
    this.say(TEXT.uploading + " " + Math.round(fraction * 100) + "%");
  };

  PhotoItem.prototype.run = function () {
    var item = this;
    item.node.className = "photo-item is-busy";
    item.bar.removeAttribute("value"); // indeterminate while compressing
    var ready = item.blob ? Promise.resolve(item.blob) : (item.say(TEXT.shrinking), shrink(item.file));
    return ready.then(function (blob) {
      item.blob = blob;
      item.name = uploadName(item.file, blob);
      if (blob.size > item.maxBytes) {
        var mb = Math.round(item.maxBytes / 1048576);
        throw { message: TEXT.tooLargeLocal(mb), retry: false };
      }
      item.bar.value = 0;
      return sendWithRetry(item, 1);
    }).then(function (body) { item.done(body); }, function (err) { item.fail(err); });
  };

  PhotoItem.prototype.done = function (body) {
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
    item.say(err && typeof err.retry === "boolean" ? err.message : TEXT.unexpected);
    item.buttons.textContent = "";
    var retry = el("button", "photo-retry", TEXT.retry);
    retry.type = "button";
    retry.addEventListener("click", function () {
      item.buttons.textContent = "";
      enqueue(item);
    });
    var remove = el("button", "photo-remove", TEXT.remove);
    remove.type = "button";
    remove.addEventListener("click", function () {
      unsent -= 1;
      item.node.parentNode.removeChild(item.node);
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
    var inputs = (root || document).querySelectorAll('input[type="file"][data-photo-upload]');
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
