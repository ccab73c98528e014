/*
 * Fangxin resumable photo uploads (no framework, no inline script). Protocol and
 * contract: app/photos/uploads.py and app/web/media/uploads.py.
 *
 *   FangxinUploads.prepare(file) -> Promise<{blob, filename, exif}>
 *     the photo downscaled to ≤1600 px JPEG (the original when the browser cannot decode
 *     it, e.g. HEIC on Android, or when that is smaller), and the taken-at time and GPS
 *     position read from the original's EXIF before the re-encode drops them.
 *   FangxinUploads.send(blob, meta, onProgress) -> Promise<{upload, finished, photo_id?, …}>
 *     meta = {upload?: uuid (the same one resumes), filename?, exif?, inspection_id?, item_id?}
 *     onProgress(fraction, info): info.phase is "uploading", "waiting" (info.seconds until
 *     the next try) or "offline". Sends 256 KB chunks at the server's offset; after a
 *     dropped connection it asks the server how far it got and goes on from there. Tries
 *     again with backoff (1 s … 30 s, about 5 minutes without any progress) and waits,
 *     without counting, while the browser says it is offline.
 *     Rejects with {message, status, permanent, code}: permanent = never worth a retry
 *     (too big, not an image, disk full, another user's upload).
 *   FangxinUploads.readExif(blob) -> Promise<{taken_at?, latitude?, longitude?}>
 */
(function () {
  "use strict";
  if (window.FangxinUploads) { return; } // loaded by the page and by photo_assets()

  var BASE = "/media/uploads";
  var DELAYS_S = [1, 2, 4, 8, 15, 30, 30, 30, 30, 30, 30, 30, 30, 30]; // ≈ 5 min, no progress
  var REQUEST_TIMEOUT_MS = 60000; // one chunk of 256 KB: 6 s at 40 KB/s
  var MAX_EDGE = 1600;
  var QUALITY = 0.8;
  var EXIF_HEAD = 256 * 1024;

  var TEXT = {
    network: "网络不稳定，照片未能上传，请稍后点“重试”",
    timeout: "上传超时（网络太慢），请稍后点“重试”",
    server: "服务器暂时出错，照片未能上传，请稍后点“重试”",
    expired: "登录已过期或页面已失效，请刷新页面后重新上传",
    tooLarge: "照片太大，服务器拒绝接收，请压缩后重试",
    badAnswer: "服务器返回了无法识别的结果，请点“重试”",
    failed: "上传失败（错误 {0}）",
    photo: "照片"
  };
  (function translate() {
    var node = document.getElementById("js-messages");
    var given;
    try { given = node ? JSON.parse(node.textContent).uploads : null; } catch (e) { given = null; }
    if (given) { Object.keys(given).forEach(function (key) { TEXT[key] = given[key]; }); }
  })();

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") || "" : "";
  }

  function uuid4() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); });
    return [h.slice(0, 4), h.slice(4, 6), h.slice(6, 8), h.slice(8, 10), h.slice(10)]
      .map(function (part) { return part.join(""); }).join("-");
  }

  function wait(ms) {
    return new Promise(function (resolve) { setTimeout(resolve, ms); });
  }

  function online() {
    if (navigator.onLine !== false) { return Promise.resolve(); }
    return new Promise(function (resolve) {
      window.addEventListener("online", function ready() {
        window.removeEventListener("online", ready);
        resolve();
      });
    });
  }

  /* ---- one request: resolves {status, body} (status 0: no answer) ----------------- */

  function request(method, url, body, headers, onUpload) {
    return new Promise(function (resolve) {
      var xhr = new XMLHttpRequest();
      xhr.open(method, url, true);
      xhr.timeout = REQUEST_TIMEOUT_MS;
      xhr.setRequestHeader("X-CSRFToken", csrfToken());
      xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      xhr.setRequestHeader("Accept", "application/json");
      Object.keys(headers || {}).forEach(function (k) { xhr.setRequestHeader(k, headers[k]); });
      if (onUpload && xhr.upload) {
        xhr.upload.onprogress = function (e) { if (e.lengthComputable) { onUpload(e.loaded); } };
      }
      xhr.onload = function () {
        var parsed = null;
        try { parsed = JSON.parse(xhr.responseText); } catch (e) { parsed = null; }
        resolve({ status: xhr.status, body: parsed });
      };
      xhr.onerror = function () { resolve({ status: 0, body: null }); };
      xhr.ontimeout = function () { resolve({ status: 0, body: null, timeout: true }); };
      xhr.send(body);
    });
  }

  function jsonRequest(method, url, data) {
    return request(method, url, data ? JSON.stringify(data) : null,
      { "Content-Type": "application/json" });
  }

  function transient(status) {
    return status === 0 || status === 408 || status === 429 || (status >= 500 && status !== 507);
  }

  function refusal(answer) {
    var status = answer.status, body = answer.body || {};
    var message = typeof body.error === "string" && body.error ? body.error : null;
    if (!message) {
      if (answer.timeout) { message = TEXT.timeout; }
      else if (status === 0) { message = TEXT.network; }
      else if (status === 413) { message = TEXT.tooLarge; }
      else if (status === 401 || status === 403) { message = TEXT.expired; }
      else if (status >= 500) { message = TEXT.server; }
      else { message = TEXT.failed.replace("{0}", status); }
    }
    var permanent = typeof body.permanent === "boolean" ? body.permanent
      : [400, 403, 404, 409, 413, 415, 507].indexOf(status) >= 0;
    return { status: status, message: message, permanent: permanent && !transient(status),
      transient: transient(status), code: body.code };
  }

  /* ---- the upload itself --------------------------------------------------------- */

  function Sender(blob, meta, onProgress) {
    this.blob = blob;
    this.meta = meta || {};
    this.token = this.meta.upload || uuid4();
    this.url = BASE + "/" + encodeURIComponent(this.token);
    this.offset = 0;
    this.chunk = 256 * 1024;
    this.created = false;
    this.tries = 0;
    this.notify = onProgress || function () {};
  }

  Sender.prototype.progress = function (extra) {
    var size = this.blob.size || 1;
    this.notify(Math.min(1, (this.offset + (extra || 0)) / size), { phase: "uploading" });
  };

  Sender.prototype.create = function () {
    var s = this, exif = s.meta.exif || {};
    var body = { upload: s.token, length: s.blob.size, filename: s.meta.filename || "" };
    ["taken_at", "latitude", "longitude"].forEach(function (k) {
      if (exif[k] !== undefined && exif[k] !== null) { body[k] = exif[k]; }
    });
    return jsonRequest("POST", BASE, body).then(function (answer) {
      var got = s.accept(answer);
      s.created = true;
      s.offset = got.offset || 0;
      s.chunk = got.chunk_size || s.chunk;
    });
  };

  Sender.prototype.resync = function () {
    var s = this;
    return jsonRequest("GET", s.url).then(function (answer) { s.offset = s.accept(answer).offset; });
  };

  Sender.prototype.sendChunk = function () {
    var s = this, start = s.offset, piece = s.blob.slice(start, start + s.chunk);
    var headers = { "Upload-Offset": String(start),
      "Content-Type": "application/offset+octet-stream" };
    return request("PATCH", s.url, piece, headers, function (loaded) {
      s.progress(loaded);
    }).then(function (answer) {
      if (answer.status === 409 && answer.body && typeof answer.body.offset === "number") {
        s.offset = answer.body.offset; // the server knows better: go on from there
        return;
      }
      var got = s.accept(answer);
      if (got.offset > start) { s.tries = 0; } // progress: a new run of tries
      s.offset = got.offset;
      s.progress(0);
    });
  };

  Sender.prototype.finish = function () {
    var body = {};
    if (this.meta.inspection_id !== undefined && this.meta.item_id !== undefined) {
      body = { inspection_id: this.meta.inspection_id, item_id: this.meta.item_id };
    }
    var s = this;
    return jsonRequest("POST", s.url + "/finish", body).then(function (answer) {
      return s.accept(answer);
    });
  };

  Sender.prototype.accept = function (answer) {
    if (answer.status >= 200 && answer.status < 300 && answer.body) { return answer.body; }
    if (answer.status >= 200 && answer.status < 300) {
      throw { status: answer.status, message: TEXT.badAnswer, permanent: false, transient: true };
    }
    throw refusal(answer);
  };

  Sender.prototype.step = function () {
    var s = this;
    if (!s.created) { return s.create().then(function () { return s.step(); }); }
    if (s.offset < s.blob.size) { return s.sendChunk().then(function () { return s.step(); }); }
    return s.finish();
  };

  Sender.prototype.run = function () {
    var s = this;
    return s.step().catch(function (err) {
      if (!err || !err.transient || s.tries >= DELAYS_S.length) { throw err; }
      var seconds = DELAYS_S[s.tries];
      s.tries += 1;
      if (navigator.onLine === false) {
        s.notify(s.offset / (s.blob.size || 1), { phase: "offline" });
        s.tries -= 1; // waiting for the signal is not a failed try
      } else {
        s.notify(s.offset / (s.blob.size || 1), { phase: "waiting", seconds: seconds });
      }
      return wait(navigator.onLine === false ? 0 : seconds * 1000).then(online).then(function () {
        return s.created ? s.resync() : null;
      }).then(function () { return s.run(); }, function (again) {
        if (again && again.transient) { return s.run(); }
        throw again;
      });
    });
  };

  function send(blob, meta, onProgress) {
    return new Sender(blob, meta, onProgress).run();
  }

  /* ---- EXIF from a JPEG, before the canvas re-encode drops it --------------------- */

  function readBytes(blob) {
    var head = blob.slice(0, EXIF_HEAD);
    if (head.arrayBuffer) { return head.arrayBuffer(); }
    return new Promise(function (resolve, reject) {
      var reader = new FileReader();
      reader.onload = function () { resolve(reader.result); };
      reader.onerror = reject;
      reader.readAsArrayBuffer(head);
    });
  }

  function tiffStart(view) {
    if (view.byteLength < 4 || view.getUint16(0) !== 0xffd8) { return -1; }
    for (var pos = 2; pos + 4 <= view.byteLength;) {
      var marker = view.getUint16(pos);
      if ((marker & 0xff00) !== 0xff00 || marker === 0xffda) { return -1; }
      if (marker === 0xffe1 && pos + 10 <= view.byteLength &&
          view.getUint32(pos + 4) === 0x45786966 && view.getUint16(pos + 8) === 0) {
        return pos + 10;
      }
      pos += 2 + view.getUint16(pos + 2);
    }
    return -1;
  }

  function Ifd(view, tiff) {
    this.view = view;
    this.tiff = tiff;
    this.little = view.getUint16(tiff) === 0x4949;
  }

  Ifd.prototype.u16 = function (at) { return this.view.getUint16(at, this.little); };
  Ifd.prototype.u32 = function (at) { return this.view.getUint32(at, this.little); };

  Ifd.prototype.entries = function (offset) {
    var out = {}, at = this.tiff + offset, count = this.u16(at);
    for (var i = 0; i < count; i++) {
      var e = at + 2 + i * 12;
      out[this.u16(e)] = { type: this.u16(e + 2), count: this.u32(e + 4), at: e + 8 };
    }
    return out;
  };

  Ifd.prototype.where = function (entry, size) {
    return entry.count * size <= 4 ? entry.at : this.tiff + this.u32(entry.at);
  };

  Ifd.prototype.ascii = function (entry) {
    if (!entry || entry.type !== 2) { return ""; }
    var at = this.where(entry, 1), text = "";
    for (var i = 0; i < entry.count; i++) {
      var c = this.view.getUint8(at + i);
      if (!c) { break; }
      text += String.fromCharCode(c);
    }
    return text.trim();
  };

  Ifd.prototype.degrees = function (entry, ref) {
    if (!entry || entry.type !== 5 || entry.count < 3) { return null; }
    var at = this.where(entry, 8), total = 0;
    for (var i = 0; i < 3; i++) {
      var den = this.u32(at + i * 8 + 4);
      total += den ? this.u32(at + i * 8) / den / Math.pow(60, i) : 0;
    }
    return /^[SW]/i.test(ref) ? -total : total;
  };

  function takenAt(ifd, exifIfd) {
    var raw = ifd.ascii(exifIfd[0x9003]) || ifd.ascii(exifIfd[0x9004]);
    var m = /^(\d{4}):(\d\d):(\d\d) (\d\d):(\d\d):(\d\d)/.exec(raw);
    if (!m) { return null; }
    var zone = ifd.ascii(exifIfd[0x9011]);
    var iso = m[1] + "-" + m[2] + "-" + m[3] + "T" + m[4] + ":" + m[5] + ":" + m[6];
    return /^[+-]\d\d:\d\d$/.test(zone) ? iso + zone : iso; // no zone: China time, says the server
  }

  function parseExif(buffer) {
    var view = new DataView(buffer), tiff = tiffStart(view), out = {};
    if (tiff < 0) { return out; }
    var ifd = new Ifd(view, tiff), zero = ifd.entries(ifd.u32(tiff + 4));
    if (zero[0x8769]) {
      var when = takenAt(ifd, ifd.entries(ifd.u32(zero[0x8769].at)));
      if (when) { out.taken_at = when; }
    }
    if (zero[0x8825]) {
      var gps = ifd.entries(ifd.u32(zero[0x8825].at));
      var lat = ifd.degrees(gps[2], ifd.ascii(gps[1])), lon = ifd.degrees(gps[4], ifd.ascii(gps[3]));
      if (lat !== null && lon !== null && isFinite(lat) && isFinite(lon) && (lat || lon)) {
        out.latitude = lat;
        out.longitude = lon;
      }
    }
    return out;
  }

  function readExif(blob) {
    return readBytes(blob).then(parseExif).catch(function () { return {}; });
  }

  /* ---- downscaling in the browser ------------------------------------------------ */

  function decodeWithBitmap(file) {
    return new Promise(function (resolve) {
      resolve(createImageBitmap(file, { imageOrientation: "from-image" }));
    }).then(function (bitmap) {
      return { source: bitmap, width: bitmap.width, height: bitmap.height,
        release: function () { if (bitmap.close) { bitmap.close(); } } };
    });
  }

  function decodeWithImage(file) {
    // <img> applies EXIF orientation only where CSS image-orientation exists; elsewhere
    // the original goes up and the server rotates it.
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

  function shrink(file) {
    return decode(file).then(function (decoded) {
      var canvas = draw(decoded);
      return new Promise(function (resolve) {
        if (!canvas.toBlob) { resolve(null); return; }
        canvas.toBlob(resolve, "image/jpeg", QUALITY);
      }).then(function (blob) {
        canvas.width = canvas.height = 0; // free the bitmap memory now
        return blob && blob.size < file.size ? blob : file;
      });
    }).catch(function () { return file; });
  }

  function uploadName(file, blob) {
    var base = (file.name || TEXT.photo).replace(/\.[^.]*$/, "") || TEXT.photo;
    return blob === file && file.name ? file.name : base + ".jpg";
  }

  function prepare(file) {
    return Promise.all([readExif(file), shrink(file)]).then(function (got) {
      return { blob: got[1], filename: uploadName(file, got[1]), exif: got[0] };
    });
  }

  window.FangxinUploads = { send: send, prepare: prepare, readExif: readExif, shrink: shrink,
    uploadName: uploadName, newId: uuid4, base: BASE };
})();
