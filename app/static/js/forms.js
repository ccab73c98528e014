/* Form helpers for every page: one tap per submit, and a submit that waits for the signal.
   Pages work without this file; it only spares a double tap or the browser's offline page. */
(function () {
  "use strict";

  // A submit button marked data-once is disabled after the first tap (double taps).
  document.querySelectorAll("form").forEach(function (f) {
    f.addEventListener("submit", function () {
      var once = f.querySelector("[data-once]");
      if (once) { setTimeout(function () { once.disabled = true; }, 0); }
    });
  });
  // Back from a failed submit (the browser's own offline page), the button works again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("[data-once]").forEach(function (b) { b.disabled = false; });
  });

  // With no signal a form marked data-wait-online shows its note and submits itself, once,
  // when the signal is back; the page keeps everything typed meanwhile.
  document.querySelectorAll("form[data-wait-online]").forEach(function (f) {
    f.addEventListener("submit", function (event) {
      if (navigator.onLine !== false) { return; }
      event.preventDefault();
      var note = f.querySelector("[data-offline-note]");
      if (note) { note.hidden = false; }
      window.addEventListener("online", function () { f.submit(); }, { once: true });
    });
  });
})();
