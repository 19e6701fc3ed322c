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
