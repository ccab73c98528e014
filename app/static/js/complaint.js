/* Public complaint: refuse an oversized photo before it is sent, so the text goes through. */
(function () {
  "use strict";
  var input = document.getElementById("photo");
  var note = document.getElementById("photo-size-error");
  if (!input || !note) { return; }
  var maxBytes = parseInt(input.getAttribute("data-max-bytes"), 10) || 0;
  input.addEventListener("change", function () {
    var file = input.files && input.files[0];
    var tooLarge = !!(file && maxBytes && file.size > maxBytes);
    note.hidden = !tooLarge;
    input.closest(".field").classList.toggle("has-error", tooLarge);
    if (tooLarge) { input.value = ""; }
  });
})();
