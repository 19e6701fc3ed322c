// The bank editor: a live preview, as progressive enhancement (the Preview button does
// the same without JavaScript). When typing pauses, the form is posted as a preview
// and the page's preview section is replaced by the server's; nothing is saved.
(function () {
  "use strict";
  var form = document.querySelector("form.editor-form");
  if (!form || !window.fetch || !window.FormData || !window.DOMParser) { return; }
  var timer = null;
  var latest = 0;

  function refresh() {
    var data = new FormData(form);
    data.set("action", "preview");
    var mine = ++latest;
    // Not form.action: the buttons named "action" shadow that property.
    var url = form.getAttribute("action") || window.location.href;
    fetch(url, { method: "POST", body: data, credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        if (mine !== latest) { return; }  // a newer preview is on its way
        var fresh = new DOMParser().parseFromString(html, "text/html")
          .getElementById("preview");
        if (!fresh) { return; }
        fresh = document.importNode(fresh, true);
        var current = document.getElementById("preview");
        if (current) {
          current.replaceWith(fresh);
        } else {
          form.insertAdjacentElement("beforebegin", fresh);
        }
      })
      .catch(function () { /* the Preview button still works */ });
  }

  form.addEventListener("input", function (event) {
    if (!event.target.matches("textarea, input[type=text]")) { return; }
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 700);
  });
})();
