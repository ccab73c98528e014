/*
 * Fangxin camera scanner: reads a placard's QR code in the browser and opens its page.
 *
 * Load after the vendored decoder, both with `defer` (no inline scripts):
 *
 *   <script src="/static/vendor/jsqr/jsQR.js" defer></script>
 *   <script src="/static/js/scanner.js" defer></script>
 *
 * Expected markup (ids are fixed; data-* attributes on the root are optional):
 *
 *   <section id="scanner" data-q-base="/q/" data-public-base="https://fangxin.example.cn">
 *     <div class="scanner-viewport">
 *       <video id="scanner-video" playsinline muted></video>
 *     </div>
 *     <canvas id="scanner-canvas" hidden></canvas>
 *     <p id="scanner-status" role="status" aria-live="polite"></p>
 *     <form id="short-code-form" action="/lookup" method="get">
 *       <label for="short-code-input">输入公示牌上的查询码</label>
 *       <input id="short-code-input" name="code" autocomplete="off"
 *              autocapitalize="characters" spellcheck="false" maxlength="16">
 *       <button type="submit">查询</button>
 *     </form>
 *   </section>
 *
 * - data-q-base: local path prefix of the public QR page (default "/q/"); a decoded token
 *   is opened at data-q-base + token.
 * - data-public-base: the public base URL printed in the QRs (FANGXIN_PUBLIC_BASE_URL), if it
 *   differs from this page's origin (e.g. the app is reached on an intranet address). QRs under
 *   that base are opened here, by token; the scanner never navigates to another origin.
 * - The short-code form must work without JavaScript; the scanner only reads its `action`.
 *   A QR that holds a bare 8-character short code is opened as `action?code=XXXXXXXX`.
 * - The root gets the class "scanner--active" while the camera runs and "scanner--no-camera"
 *   when it cannot run; #scanner-status gets "is-error" for problems.
 */
(function () {
  "use strict";

  var FRAME_INTERVAL_MS = 150; // about 6-7 decodes a second: enough, and kind to cheap phones
  var MAX_FRAME_SIDE = 640; // frames are downscaled before decoding
  var TOKEN_RE = /^[A-Za-z0-9_-]{22,64}$/;
  var SHORT_CODE_RE = /^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$/;
  var MESSAGES = {
    insecure: "摄像头只能在安全连接（HTTPS）下使用。请直接输入公示牌上的查询码。",
    unsupported: "此浏览器无法调用摄像头。请直接输入公示牌上的查询码。",
    denied: "未获得摄像头权限。请在浏览器设置中允许使用摄像头，或直接输入公示牌上的查询码。",
    missing: "未找到可用的摄像头。请直接输入公示牌上的查询码。",
    busy: "摄像头正被其他应用占用。请关闭其他应用后重试，或直接输入公示牌上的查询码。",
    failed: "无法打开摄像头。请直接输入公示牌上的查询码。",
    noDecoder: "扫码组件未能加载。请直接输入公示牌上的查询码。",
    scanning: "请将公示牌上的二维码对准取景框",
    notOurs: "这不是放心码。请扫描食品安全信息公示牌上的二维码。",
    opening: "已识别，正在打开……",
  };

  // The page carries these texts in the user's language (app.i18n.js_messages).
  (function translate() {
    var node = document.getElementById("js-messages");
    var given;
    try { given = node ? JSON.parse(node.textContent).scanner : null; } catch (e) { given = null; }
    if (given) Object.keys(given).forEach(function (key) { MESSAGES[key] = given[key]; });
  })();

  var root = document.getElementById("scanner");
  var video = document.getElementById("scanner-video");
  var canvas = document.getElementById("scanner-canvas");
  var statusBox = document.getElementById("scanner-status");
  var form = document.getElementById("short-code-form");
  var input = document.getElementById("short-code-input");
  if (!video || !canvas) return;

  var stream = null;
  var running = false;
  var lastFrame = 0;
  var context = canvas.getContext("2d", { willReadFrequently: true });

  function setStatus(text, isError) {
    if (!statusBox) return;
    statusBox.textContent = text;
    statusBox.classList.toggle("is-error", Boolean(isError));
  }

  function fallBackToForm(message) {
    stop();
    if (root) root.classList.add("scanner--no-camera");
    setStatus(message, true);
    if (input) input.focus();
  }

  function errorMessage(error) {
    var name = error && error.name;
    if (name === "NotAllowedError" || name === "SecurityError") return MESSAGES.denied;
    if (name === "NotFoundError" || name === "OverconstrainedError") return MESSAGES.missing;
    if (name === "NotReadableError" || name === "AbortError") return MESSAGES.busy;
    return MESSAGES.failed;
  }

  function dataAttribute(name, fallback) {
    return (root && root.getAttribute(name)) || fallback;
  }

  function normaliseShortCode(text) {
    var normalised = text.normalize ? text.normalize("NFKC") : text;
    return normalised.toUpperCase().replace(/[\s\-_.·‐‑‒–—―−]+/g, "");
  }

  /* The local URL a decoded text should open, or null if it is not a Fangxin code. */
  function targetFor(text) {
    var code = normaliseShortCode(text);
    if (SHORT_CODE_RE.test(code) && form) {
      var lookup = new URL(form.getAttribute("action") || "", window.location.href);
      lookup.searchParams.set(input ? input.name : "code", code);
      return lookup.origin === window.location.origin ? lookup.pathname + lookup.search : null;
    }
    var url;
    try {
      url = new URL(text.trim());
    } catch (e) {
      return null;
    }
    var token = tokenFrom(url);
    return token ? dataAttribute("data-q-base", "/q/") + encodeURIComponent(token) : null;
  }

  function tokenFrom(url) {
    var publicBase = dataAttribute("data-public-base", "");
    var ours = url.origin === window.location.origin;
    if (!ours && publicBase) {
      try {
        ours = url.origin === new URL(publicBase).origin;
      } catch (e) {
        ours = false;
      }
    }
    var match = /\/q\/([^/]+)\/?$/.exec(url.pathname);
    return ours && match && TOKEN_RE.test(match[1]) ? match[1] : null;
  }

  function grabFrame() {
    var scale = Math.min(1, MAX_FRAME_SIDE / Math.max(video.videoWidth, video.videoHeight));
    var width = Math.max(1, Math.round(video.videoWidth * scale));
    var height = Math.max(1, Math.round(video.videoHeight * scale));
    if (canvas.width !== width) canvas.width = width;
    if (canvas.height !== height) canvas.height = height;
    context.drawImage(video, 0, 0, width, height);
    return context.getImageData(0, 0, width, height);
  }

  function tick(now) {
    if (!running) return;
    window.requestAnimationFrame(tick);
    if (now - lastFrame < FRAME_INTERVAL_MS) return;
    if (video.readyState < video.HAVE_CURRENT_DATA || !video.videoWidth) return;
    lastFrame = now;
    var frame = grabFrame();
    var found = window.jsQR(frame.data, frame.width, frame.height, {
      inversionAttempts: "dontInvert",
    });
    if (found && found.data) handle(found.data);
  }

  function handle(text) {
    var target = targetFor(text);
    if (!target) {
      setStatus(MESSAGES.notOurs, true);
      return;
    }
    setStatus(MESSAGES.opening, false);
    stop();
    window.location.assign(target);
  }

  function start() {
    if (running) return;
    if (typeof window.jsQR !== "function") return fallBackToForm(MESSAGES.noDecoder);
    if (!window.isSecureContext) return fallBackToForm(MESSAGES.insecure);
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      return fallBackToForm(MESSAGES.unsupported);
    }
    running = true;
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (media) {
        if (!running) return stopTracks(media);
        stream = media;
        video.srcObject = media;
        video.setAttribute("playsinline", "");
        video.muted = true;
        if (root) root.classList.add("scanner--active");
        setStatus(MESSAGES.scanning, false);
        return video.play().then(function () {
          window.requestAnimationFrame(tick);
        });
      })
      .catch(function (error) {
        fallBackToForm(errorMessage(error));
      });
  }

  function stopTracks(media) {
    media.getTracks().forEach(function (track) {
      track.stop();
    });
  }

  function stop() {
    running = false;
    if (stream) stopTracks(stream);
    stream = null;
    video.srcObject = null;
    if (root) root.classList.remove("scanner--active");
  }

  window.addEventListener("pagehide", stop);
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) start(); // back from the bfcache: the camera was released on pagehide
  });
  start();
})();
