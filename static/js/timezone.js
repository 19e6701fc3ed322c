// Pre-fill a time-zone select with the browser's own zone (progressive enhancement:
// without JavaScript the select keeps the server's value, UTC for a new account).
// Only selects marked data-timezone-prefill are touched, and only while they still show
// the default UTC, so a zone the user chose is never overwritten.
(function () {
  "use strict";
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (e) {
    return;
  }
  if (!zone) return;
  var selects = document.querySelectorAll("select[data-timezone-prefill]");
  Array.prototype.forEach.call(selects, function (select) {
    if (select.value !== "UTC") return;
    var option = Array.prototype.find.call(select.options, function (o) {
      return o.value === zone;
    });
    if (!option) return;
    select.value = zone;
    var note = document.createElement("span");
    note.className = "hint";
    note.setAttribute("data-timezone-note", "");
    note.textContent = "Filled in from this device's clock.";
    select.insertAdjacentElement("afterend", note);
  });
})();
