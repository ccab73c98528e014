/* Result sheet: a print button (the page prints on A4 without it too). */
(function () {
  "use strict";
  var button = document.querySelector("[data-print]");
  if (!button || !window.print) { return; }
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
})();
