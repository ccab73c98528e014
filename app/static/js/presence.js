/* Proof of presence: the phone's position and time when a checklist starts and is submitted.
   FangxinPresence.capture() resolves to {status, lat, lng, accuracy, at} and never rejects:
   status "denied" or "unavailable" when the inspector refuses or the phone has no fix, so a
   refusal never blocks anything. Forms marked data-presence="start|submit" get the fix in
   hidden inputs presence.<moment>.<part>; the offline app calls fill(draft, moment).
   Without JavaScript nothing is recorded and the pages work as before. */
(function () {
  "use strict";

  var WAIT_MS = 8000;  // longest a tap waits for a fix (the permission prompt included)
  var PARTS = ["status", "lat", "lng", "accuracy", "at"];

  function now() { return new Date().toISOString(); }

  function capture() {
    return new Promise(function (resolve) {
      var done = false;
      function finish(fix) { if (!done) { done = true; resolve(fix); } }
      if (!navigator.geolocation) { finish({ status: "unavailable", at: now() }); return; }
      setTimeout(function () { finish({ status: "unavailable", at: now() }); }, WAIT_MS);
      navigator.geolocation.getCurrentPosition(function (pos) {
        finish({
          status: "ok", lat: pos.coords.latitude, lng: pos.coords.longitude,
          accuracy: Math.round(pos.coords.accuracy), at: new Date(pos.timestamp || Date.now()).toISOString()
        });
      }, function (err) {
        finish({ status: err && err.code === 1 ? "denied" : "unavailable", at: now() });
      }, { enableHighAccuracy: true, timeout: WAIT_MS - 500, maximumAge: 60000 });
    });
  }

  function fill(draft, moment) {
    return capture().then(function (fix) {
      draft.presence = draft.presence || { start: null, submit: null };
      if (!draft.presence[moment]) { draft.presence[moment] = fix; }
      return fix;
    });
  }

  function put(form, moment, fix) {
    PARTS.forEach(function (part) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = "presence." + moment + "." + part;
      input.value = fix[part] === undefined || fix[part] === null ? "" : String(fix[part]);
      form.appendChild(input);
    });
  }

  function keepSubmitter(form, submitter) {
    if (!submitter || !submitter.name) { return; }
    var input = document.createElement("input");
    input.type = "hidden"; input.name = submitter.name; input.value = submitter.value;
    form.appendChild(input);
  }

  document.querySelectorAll("form[data-presence]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (event.defaultPrevented || form.dataset.presenceDone) { return; }
      event.preventDefault();
      form.dataset.presenceDone = "1";
      form.setAttribute("aria-busy", "true");
      var submitter = event.submitter;
      capture().then(function (fix) {
        put(form, form.dataset.presence, fix);
        keepSubmitter(form, submitter);
        form.submit();
      });
    });
  });

  window.FangxinPresence = { capture: capture, fill: fill };
})();
