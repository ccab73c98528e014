/* Finger signature on a canvas, posted as a PNG data URL in the hidden "signature" field.
   Without JavaScript the pad stays hidden and the typed name of the representative suffices. */
(function () {
  "use strict";
  var canvas = document.getElementById("signature-pad");
  var input = document.getElementById("signature");
  if (!canvas || !input || !canvas.getContext) { return; }
  var pad = canvas.closest(".sig-pad");
  pad.hidden = false;
  var ctx = canvas.getContext("2d");
  var drawing = false, drew = false;

  function style() {
    ctx.lineWidth = 4;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.strokeStyle = "#111";
  }

  function point(event) {
    var box = canvas.getBoundingClientRect();
    return {
      x: (event.clientX - box.left) * (canvas.width / box.width),
      y: (event.clientY - box.top) * (canvas.height / box.height)
    };
  }

  function finish() {
    if (!drawing) { return; }
    drawing = false;
    if (!drew) { return; }
    input.value = canvas.toDataURL("image/png");
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }

  canvas.addEventListener("pointerdown", function (event) {
    event.preventDefault();
    if (canvas.setPointerCapture) { canvas.setPointerCapture(event.pointerId); }
    drawing = true;
    style();
    var p = point(event);
    ctx.beginPath();
    ctx.moveTo(p.x, p.y);
    ctx.lineTo(p.x + 0.1, p.y + 0.1);
    ctx.stroke();
  });
  canvas.addEventListener("pointermove", function (event) {
    if (!drawing) { return; }
    event.preventDefault();
    var p = point(event);
    ctx.lineTo(p.x, p.y);
    ctx.stroke();
    drew = true;
  });
  canvas.addEventListener("pointerup", finish);
  canvas.addEventListener("pointercancel", finish);
  canvas.addEventListener("pointerleave", finish);

  var clear = document.getElementById("signature-clear");
  if (clear) {
    clear.addEventListener("click", function () {
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      drew = false;
      input.value = "";
    });
  }
})();
