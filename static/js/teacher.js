// Teacher pages: progressive enhancement only; every page works without this file.
// Copy buttons for the join code and links ([data-copy]) where the Clipboard API exists.
(function () {
  "use strict";
  if (!navigator.clipboard) { return; }
  document.querySelectorAll("code.join-code").forEach(function (code) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-secondary btn-small";
    button.textContent = "Copy code";
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(code.textContent.trim()).then(function () {
        button.textContent = "Copied";
      });
    });
    code.insertAdjacentElement("afterend", button);
  });
})();
