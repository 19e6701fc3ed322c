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

// Ordering and matching: tap-to-place, drag and keyboard over the dropdowns.
//
// Progressive enhancement only. The server renders one <select> per position (or per
// left-hand item); they stay the form's fields and the no-JavaScript fallback. Here
// they are hidden and driven: every move sets their values and dispatches "change",
// so the autosave and the "picked twice" check above see it as if chosen by hand.
//
// Tap (or click) an item, then tap a place; drag with a mouse or pen; or with the
// keyboard: Enter or Space picks an item up, the arrow keys move between places,
// Enter or Space puts it down, Escape cancels. Each step is announced in a polite
// live region ("Item 'X' placed in position 2.").
(function () {
  "use strict";
  var widgets = document.querySelectorAll("fieldset[data-placer]");
  if (!widgets.length || !document.addEventListener) { return; }

  function make(tag, className, text) {
    var el = document.createElement(tag);
    if (className) { el.className = className; }
    if (text !== undefined) { el.textContent = text; }
    return el;
  }

  function quote(text) { return "‘" + text + "’"; }

  Array.prototype.forEach.call(widgets, function (fieldset, widgetIndex) {
    var kind = fieldset.getAttribute("data-placer");
    var rows = Array.prototype.slice.call(fieldset.querySelectorAll(".field[data-slot-name]"));
    var selects = rows.map(function (row) { return row.querySelector("select"); });
    if (!rows.length || selects.indexOf(null) !== -1) { return; }
    var values = Array.prototype.filter.call(selects[0].options, function (option) {
      return option.value !== "";
    }).map(function (option) { return option.value; });
    var hint = fieldset.querySelector(".hint");
    var warning = fieldset.querySelector(".pick-warning");
    var prefix = "placer-" + widgetIndex;

    // held: the item being moved: {value, from} (from: a slot index, or -1 for the pool)
    var held = null;

    // --- Markup -----------------------------------------------------------------
    // The server sends the widget (templates/quiz/questions/_placer.html), its space
    // kept but invisible until "placer-on": adopted here, so nothing moves. Built here
    // only if it is missing.
    fieldset.classList.add("placer-on");
    if (hint && !hint.querySelector(".hint-js")) {
      hint.textContent = kind === "ordering"
        ? "Put the items in order: tap an item, then tap its position. Or drag it."
        : "Match each item: tap an answer, then tap the item it belongs to. Or drag it."
          + " Some answers match nothing.";
    }
    var firstRow = rows[0];
    var container = kind === "ordering" ? firstRow.parentNode : firstRow;
    var keys = fieldset.querySelector(".placer-keys");
    if (!keys) {
      keys = make("p", "hint placer-keys",
        "With a keyboard: Enter picks an item up, the arrow keys choose a place, Enter puts it"
        + " down, Escape cancels.");
      keys.id = prefix + "-keys";
      container.parentNode.insertBefore(keys, container);
    }
    var live = make("p", "visually-hidden placer-live");
    live.setAttribute("aria-live", "polite");
    live.id = prefix + "-live";
    fieldset.appendChild(live);

    var pool = fieldset.querySelector(".placer-pool");
    if (!pool) {
      pool = make("div", "placer-pool");
      pool.setAttribute("role", "group");
      var poolHeading = make("p", "placer-pool-title",
        kind === "ordering" ? "Items to place" : "Answers to place");
      poolHeading.id = prefix + "-pool";
      pool.setAttribute("aria-labelledby", poolHeading.id);
      pool.appendChild(poolHeading);
      pool.appendChild(make("ul", "placer-items"));
      pool.appendChild(make("p", "placer-empty small", "Every item is placed."));
      container.parentNode.insertBefore(pool, container);
    }
    var poolList = pool.querySelector(".placer-items");
    var poolEmpty = pool.querySelector(".placer-empty");

    var slotButtons = rows.map(function (row, index) {
      var select = selects[index];
      var label = row.querySelector("label");
      select.classList.add("placer-select");
      select.tabIndex = -1;
      select.setAttribute("aria-hidden", "true");
      if (label) { label.id = label.id || prefix + "-label-" + index; }
      var box = row.querySelector(".placer-slot-box");
      if (!box) {
        box = make("div", "placer-slot-box");
        var made = make("button", "placer-slot");
        made.type = "button";
        made.setAttribute("data-slot", String(index));
        var clear = make("button", "placer-clear btn-small btn-secondary btn", "Remove");
        clear.type = "button";
        clear.setAttribute("data-clear", String(index));
        box.appendChild(made);
        box.appendChild(clear);
        row.appendChild(box);
      }
      var slot = box.querySelector(".placer-slot");
      if (label) {
        // The label names the select for the no-JS form; here, the slot is the control.
        label.removeAttribute("for");
        label.addEventListener("click", function () { slot.focus(); });
      }
      return slot;
    });
    var clearButtons = rows.map(function (row) { return row.querySelector(".placer-clear"); });

    function slotName(index) { return rows[index].getAttribute("data-slot-name"); }

    function announce(text) {
      // Cleared first, so the same words twice are still read out.
      live.textContent = "";
      window.setTimeout(function () { live.textContent = text; }, 50);
    }

    function placedPhrase(value, index) {
      return kind === "ordering"
        ? "Item " + quote(value) + " placed in " + slotName(index) + "."
        : "Item " + quote(value) + " matched with " + quote(slotName(index)) + ".";
    }

    // --- State lives in the selects ---------------------------------------------
    function current() { return selects.map(function (s) { return s.value; }); }

    function setValue(index, value) {
      var select = selects[index];
      if (select.value === value) { return; }
      select.value = value;
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function twiceValues(state) {
      var seen = {};
      var twice = {};
      state.forEach(function (v) {
        if (v && seen[v]) { twice[v] = true; }
        seen[v] = true;
      });
      return twice;
    }

    // --- Rendering ---------------------------------------------------------------
    function render() {
      var state = current();
      var twice = twiceValues(state);
      poolList.textContent = "";
      values.forEach(function (value) {
        if (state.indexOf(value) !== -1) { return; }
        var li = make("li");
        var button = make("button", "placer-item", value);
        button.type = "button";
        button.setAttribute("data-value", value);
        var isHeld = held && held.from === -1 && held.value === value;
        button.setAttribute("aria-pressed", isHeld ? "true" : "false");
        li.appendChild(button);
        poolList.appendChild(li);
      });
      poolEmpty.hidden = poolList.children.length > 0;
      slotButtons.forEach(function (slot, index) {
        var value = state[index];
        var isHeld = held && held.from === index;
        slot.textContent = "";
        slot.classList.toggle("placer-filled", !!value);
        slot.classList.toggle("placer-held", !!isHeld);
        slot.classList.toggle("placer-twice", !!(value && twice[value]));
        slot.classList.toggle("placer-target", !!held && !isHeld);
        if (value) {
          slot.appendChild(make("span", "placer-slot-text", value));
          if (twice[value]) { slot.appendChild(make("span", "placer-slot-note", "Picked twice")); }
        } else {
          slot.appendChild(make("span", "placer-slot-empty",
            held ? "Put it here" : "Empty"));
        }
        // The accessible name says the place, then what is in it.
        var name = kind === "ordering" ? slotName(index).replace(/^p/, "P") : slotName(index);
        var what = value ? value + (twice[value] ? " (picked twice)" : "") : "empty";
        var action = held ? (isHeld ? ", picked up" : ", press to put " + quote(held.value) + " here") : "";
        slot.setAttribute("aria-label", name + ": " + what + action);
        slot.setAttribute("aria-describedby", keys.id);
        clearButtons[index].hidden = !value;
        clearButtons[index].setAttribute("aria-label",
          value ? "Remove " + quote(value) + " from " + (kind === "ordering" ? slotName(index) : quote(slotName(index))) : "Remove");
      });
      fieldset.classList.toggle("placer-holding", !!held);
    }

    // --- Moves --------------------------------------------------------------------
    function pickUp(value, from) {
      held = { value: value, from: from };
      render();
      announce("Picked up " + quote(value) + ". Choose a place with the arrow keys or a tap.");
    }

    function cancel(quietly) {
      if (!held) { return; }
      var value = held.value;
      held = null;
      render();
      if (!quietly) { announce(quote(value) + " put down where it was."); }
    }

    function place(index) {
      if (!held) { return; }
      var value = held.value;
      var from = held.from;
      held = null;
      if (from !== index) {
        var displaced = selects[index].value;
        if (from >= 0) { setValue(from, displaced); }  // a swap between two places
        setValue(index, value);
      }
      render();
      var twice = twiceValues(current());
      announce(placedPhrase(value, index) + (twice[value] ? " It is also in another place." : ""));
    }

    function remove(index) {
      var value = selects[index].value;
      if (!value) { return; }
      held = null;
      setValue(index, "");
      render();
      announce("Item " + quote(value) + " removed from " +
        (kind === "ordering" ? slotName(index) : quote(slotName(index))) + ".");
      var back = poolList.querySelector("[data-value='" + CSS.escape(value) + "']");
      if (back) { back.focus(); }
    }

    function focusSlot(index) {
      var n = slotButtons.length;
      slotButtons[(index + n) % n].focus();
    }

    // --- Taps, clicks and keys ----------------------------------------------------
    var suppressClick = false;

    fieldset.addEventListener("click", function (event) {
      if (suppressClick) { suppressClick = false; return; }
      var target = event.target.closest("button");
      if (!target || !fieldset.contains(target)) { return; }
      if (target.classList.contains("placer-item")) {
        var value = target.getAttribute("data-value");
        if (held && held.from === -1 && held.value === value) { cancel(false); target.focus(); return; }
        pickUp(value, -1);
        // From the keyboard (a click with no pointer), focus goes on to the places: the
        // first empty one. A tap leaves the page where it is.
        if (event.detail === 0) {
          var empty = current().indexOf("");
          focusSlot(empty === -1 ? 0 : empty);
        }
      } else if (target.classList.contains("placer-slot")) {
        var index = parseInt(target.getAttribute("data-slot"), 10);
        if (held) {
          if (held.from === index) { cancel(false); } else { place(index); }
          target.focus();
        } else if (selects[index].value) {
          pickUp(selects[index].value, index);
          target.focus();
        }
      } else if (target.classList.contains("placer-clear")) {
        remove(parseInt(target.getAttribute("data-clear"), 10));
      }
    });

    fieldset.addEventListener("keydown", function (event) {
      var target = event.target;
      if (event.key === "Escape" && held) {
        var from = held.from;
        var value = held.value;
        cancel(false);
        if (from >= 0) { focusSlot(from); } else {
          var item = poolList.querySelector("[data-value='" + CSS.escape(value) + "']");
          if (item) { item.focus(); }
        }
        event.preventDefault();
        return;
      }
      var step = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 }[event.key];
      if (!step) { return; }
      if (target.classList.contains("placer-slot")) {
        focusSlot(parseInt(target.getAttribute("data-slot"), 10) + step);
        event.preventDefault();
      } else if (target.classList.contains("placer-item")) {
        var items = Array.prototype.slice.call(poolList.querySelectorAll(".placer-item"));
        var at = items.indexOf(target) + step;
        if (at >= 0 && at < items.length) { items[at].focus(); }
        event.preventDefault();
      }
    });

    // --- Drag with a mouse or pen (touch taps instead, so the page still scrolls) --
    var drag = null;

    function dropTarget(x, y) {
      var el = document.elementFromPoint(x, y);
      if (!el || !fieldset.contains(el)) { return null; }
      var slot = el.closest(".placer-slot-box");
      if (slot) { return { slot: parseInt(slot.querySelector(".placer-slot").getAttribute("data-slot"), 10) }; }
      if (el.closest(".placer-pool")) { return { pool: true }; }
      return null;
    }

    fieldset.addEventListener("pointerdown", function (event) {
      if (event.pointerType === "touch" || event.button !== 0) { return; }
      var target = event.target.closest(".placer-item, .placer-slot.placer-filled");
      if (!target) { return; }
      var from = target.classList.contains("placer-item") ? -1
        : parseInt(target.getAttribute("data-slot"), 10);
      var value = from === -1 ? target.getAttribute("data-value") : selects[from].value;
      drag = { value: value, from: from, x: event.clientX, y: event.clientY, ghost: null,
               source: target, id: event.pointerId, over: null };
    });

    document.addEventListener("pointermove", function (event) {
      if (!drag || event.pointerId !== drag.id) { return; }
      if (!drag.ghost) {
        if (Math.abs(event.clientX - drag.x) + Math.abs(event.clientY - drag.y) < 6) { return; }
        held = { value: drag.value, from: drag.from };
        render();
        drag.ghost = make("div", "placer-ghost", drag.value);
        document.body.appendChild(drag.ghost);
      }
      // Near the top or bottom of the window the page scrolls, to reach far places.
      var edge = 48;
      if (event.clientY < edge) { window.scrollBy(0, -24); }
      if (event.clientY > window.innerHeight - edge) { window.scrollBy(0, 24); }
      drag.ghost.style.left = event.clientX + 8 + "px";
      drag.ghost.style.top = event.clientY + 8 + "px";
      var over = dropTarget(event.clientX, event.clientY);
      var box = over && over.slot !== undefined ? slotButtons[over.slot] : null;
      if (drag.over && drag.over !== box) { drag.over.classList.remove("placer-over"); }
      if (box) { box.classList.add("placer-over"); }
      drag.over = box;
      event.preventDefault();
    });

    document.addEventListener("pointerup", function (event) {
      if (!drag || event.pointerId !== drag.id) { return; }
      var finished = drag;
      drag = null;
      if (!finished.ghost) { return; }  // a click: handled as a tap
      finished.ghost.remove();
      if (finished.over) { finished.over.classList.remove("placer-over"); }
      suppressClick = true;
      window.setTimeout(function () { suppressClick = false; }, 0);
      var over = dropTarget(event.clientX, event.clientY);
      if (over && over.slot !== undefined) {
        place(over.slot);
        slotButtons[over.slot].focus();
      } else if (over && over.pool && finished.from >= 0) {
        held = null;
        remove(finished.from);
      } else {
        cancel(false);
      }
    });

    // A select changed some other way (the browser restoring a form): show it.
    fieldset.addEventListener("change", function () { if (!drag) { render(); } });
    window.addEventListener("pageshow", function () { render(); });

    render();
  });
})();
