// Quiz pages: a countdown for timed attempts. Progressive enhancement only: the server
// renders the time left and enforces the limit; without JS nothing is lost.
(function () {
  "use strict";
  var timer = document.getElementById("quiz-timer");
  if (!timer) { return; }
  var value = timer.querySelector(".timer-value");
  var left = parseInt(timer.getAttribute("data-seconds-left"), 10);
  if (!value || isNaN(left)) { return; }
  var endsAt = Date.now() + left * 1000;
  var announced = false;

  function format(seconds) {
    var m = Math.floor(seconds / 60);
    var s = seconds % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }

  function tick() {
    var remaining = Math.max(0, Math.round((endsAt - Date.now()) / 1000));
    value.textContent = format(remaining);
    if (remaining <= 60 && !announced) {
      // One polite announcement for screen readers, not one per second.
      announced = true;
      value.setAttribute("aria-live", "polite");
      timer.classList.add("timer-low");
    }
    if (remaining === 0) {
      clearInterval(handle);
      // Submit what is on the page while the server's grace period still accepts it:
      // straight to grading (a question page skips the review page), and "timeup" so
      // the results page says why the quiz ended.
      var form = document.getElementById("answer-form");
      var finish = document.getElementById("finish-button");
      if (!form || !finish) {  // the review page: nothing to save, only to submit
        form = document.getElementById("submit-form");
        finish = document.getElementById("submit-button");
      }
      if (form && finish && typeof form.requestSubmit === "function") {
        finish.value = "timeup";
        form.requestSubmit(finish);
      }
    }
  }

  var handle = setInterval(tick, 1000);
  tick();
})();

// Answers save themselves as they change (debounced), with a visible state and a
// clear message when saving fails; leaving with unsaved input asks first. Without
// JavaScript every button of the form saves, so nothing here is needed.
(function () {
  "use strict";
  var form = document.getElementById("answer-form");
  var status = document.getElementById("save-status");
  if (!form || !status || !window.fetch || !window.FormData) { return; }
  var url = form.getAttribute("data-autosave");
  var DELAY = 800;
  var timer = null;
  var dirty = false;      // input not yet saved (typed, or the last save failed)
  var inFlight = false;
  var again = false;
  var leaving = false;

  function show(text, state) {
    status.textContent = text;
    status.setAttribute("data-state", state);
  }

  function save() {
    timer = null;
    if (inFlight) { again = true; return; }
    inFlight = true;
    show("Saving…", "saving");
    var data = new FormData(form);
    data.delete("action");
    fetch(url, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "Accept": "application/json", "X-Requested-With": "fetch" }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        return { ok: response.ok, status: response.status, body: body };
      });
    }).then(function (result) {
      var problems = (result.body && result.body.problems) || [];
      if (result.ok) {
        dirty = again;
        show(problems.length ? "Saved. " + problems[0].message : "Saved", "saved");
      } else if (result.status === 409 && result.body.results) {
        dirty = false;
        show(result.body.message, "error");
      } else {
        dirty = true;
        var why = problems.length ? problems[0].message
          : (result.body && result.body.message) || "The server did not accept it.";
        show("Not saved: " + why + " Your answer is still on this page.", "error");
      }
    }).catch(function () {
      dirty = true;
      show("Not saved: the connection failed. Your answer is still on this page;" +
           " it saves again when you change it or press a button.", "error");
    }).then(function () {
      inFlight = false;
      if (again) { again = false; schedule(); }
    });
  }

  function schedule() {
    dirty = true;
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(save, DELAY);
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  form.addEventListener("submit", function () {
    // The form's own POST saves everything on the page.
    leaving = true;
    if (timer) { clearTimeout(timer); timer = null; }
  });
  window.addEventListener("beforeunload", function (event) {
    if (!dirty || leaving) { return; }
    event.preventDefault();
    event.returnValue = "";
  });
})();

// Ordering and matching: picking the same item twice is pointed out at once (the
// server says so too when the page is saved).
(function () {
  "use strict";
  var groups = document.querySelectorAll("fieldset[data-picks='one-each']");
  Array.prototype.forEach.call(groups, function (group) {
    var selects = group.querySelectorAll("select");
    var warning = group.querySelector(".pick-warning");
    if (!warning) { return; }
    function check() {
      var seen = {};
      var twice = null;
      Array.prototype.forEach.call(selects, function (select) {
        var value = select.value;
        var repeated = value && seen[value];
        if (repeated && !twice) { twice = value; }
        seen[value] = true;
      });
      Array.prototype.forEach.call(selects, function (select) {
        select.setAttribute("aria-invalid", twice && select.value === twice ? "true" : "false");
      });
      warning.textContent = twice ? "“" + twice + "” is picked more than once. Each item belongs in one place only." : "";
    }
    group.addEventListener("change", check);
    check();
  });
})();
