// Flashcard review: keyboard shortcuts and no page reload between cards.
// Progressive enhancement only: every action is an ordinary form that works without
// this script. Here the same requests go out with fetch and an X-Requested-With
// header; the server answers with the study region alone, which replaces the old
// one inside the same aria-live element, so screen readers announce the new card.
(function () {
  "use strict";
  var region = document.getElementById("study");
  if (!region || !window.fetch || !window.FormData) { return; }
  var busy = false;

  function focusPrimary() {
    var target = region.querySelector("[data-primary]");
    if (target) { target.focus({ preventScroll: false }); }
  }

  function swap(url, options) {
    if (busy) { return; }
    busy = true;
    options.headers = { "X-Requested-With": "fetch" };
    options.credentials = "same-origin";
    fetch(url, options).then(function (response) {
      // Anything but our fragment (a login page, an error page): load it for real.
      if (response.headers.get("X-Fragment") !== "study") {
        window.location.assign(response.url || url);
        return null;
      }
      return response.text();
    }).then(function (html) {
      if (html === null) { return; }
      region.innerHTML = html;
      focusPrimary();
    }).catch(function () {
      // Offline or the server went away: fall back to a normal page load.
      window.location.assign(url);
    }).then(function () { busy = false; });
  }

  region.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter || null;
    event.preventDefault();
    var data = new FormData(form);
    if (submitter && submitter.name) { data.append(submitter.name, submitter.value); }
    if ((form.getAttribute("method") || "get").toLowerCase() === "get") {
      var query = new URLSearchParams(data).toString();
      swap(form.action + (query ? "?" + query : ""), { method: "GET" });
    } else {
      swap(form.action, { method: "POST", body: data });
    }
  });

  function press(selector) {
    var button = region.querySelector(selector);
    if (!button || !button.form) { return false; }
    if (button.form.requestSubmit) {
      button.form.requestSubmit(button);
    } else {
      button.click();
    }
    return true;
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.isComposing) { return; }
    var tag = event.target && event.target.tagName;
    if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA" || tag === "SUMMARY") { return; }
    var onControl = tag === "BUTTON" || tag === "A";
    var key = event.key;
    var handled = false;
    if ((key === " " || key === "Enter") && !onControl) {
      handled = press("[data-action=reveal]");
    } else if (key >= "1" && key <= "4" && key.length === 1) {
      handled = press("button[name=rating][value='" + key + "']");
    } else if (key === "u" || key === "U") {
      handled = press("[data-action=undo]");
    }
    if (handled) { event.preventDefault(); }
  });
}());
