// The rapid-test entry page: "再加一行" copies the last row, emptied, with a new client UUID.
(function () {
  "use strict";
  var rows = document.querySelector("[data-rows]");
  var add = document.querySelector("[data-add-row]");
  var count = document.querySelector("[data-row-count]");
  if (!rows || !add || !count) return;
  var MAX = 60;

  function newUuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return [h.slice(0, 8), h.slice(8, 12), h.slice(12, 16), h.slice(16, 20), h.slice(20)].join("-");
  }

  function renumber(node, from, to) {
    node.querySelectorAll("[name],[id],[for]").forEach(function (el) {
      ["name", "id", "for"].forEach(function (attr) {
        var v = el.getAttribute(attr);
        if (v) el.setAttribute(attr, v.replace("rows-" + from + "-", "rows-" + to + "-").replace("r" + from + "-", "r" + to + "-"));
      });
    });
  }

  add.hidden = false;
  add.addEventListener("click", function () {
    var all = rows.querySelectorAll("[data-row]");
    var n = all.length;
    if (n >= MAX) return;
    var copy = all[n - 1].cloneNode(true);
    renumber(copy, n - 1, n);
    copy.querySelector("legend").textContent = copy.querySelector("legend").textContent.replace(/\d+/, String(n + 1));
    copy.querySelectorAll("input").forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") el.checked = false;
      else if (el.type === "hidden") el.value = newUuid();
      else el.value = "";
    });
    copy.querySelectorAll("select").forEach(function (el) { el.selectedIndex = 0; });
    rows.appendChild(copy);
    count.value = String(n + 1);
    copy.querySelector("input:not([type=hidden])").focus();
  });
})();
