/* The claims counter, for the keyboard (static, not inline, for the CSP).

   - Enter in the card number goes to the first line's code (the filing date is today's, the first
     line's date of care the filing date: nothing to type there); Enter elsewhere in the header moves on.
   - A code is a combobox: what is typed is searched among the codes and labels (the server's
     <li> options, fetched with htmx); the arrows walk the list, Enter picks the option lit (the first
     one: the exact code when there is one), sets the line's kind from it and goes to the amount paid.
     Enter pressed before the answer came waits for it, so typing fast picks the same option.
   - Enter in the amount adds a line (the form's first submit button), Alt+S saves.
   - Changing the filing date moves the first line's date of care with it while it was the same.

   The form is swapped by htmx after each "add"; this file runs again then, so everything is bound
   once, on the document, by delegation. */
(function () {
  "use strict";
  if (window.counterKeys) return;
  window.counterKeys = true;

  var DELAY = 120; // ms of quiet typing before a search: one request per pause, not per key
  var timer = null;
  var pending = null; // the search under way (a Promise), Enter waits for it
  var owner = null; // the code input the list belongs to
  var lit = -1;

  function form() { return document.getElementById("counter-form"); }
  function box() { return document.getElementById("code-options"); }
  function options() { return Array.prototype.slice.call(box().querySelectorAll("li[data-code]")); }
  function isCode(el) { return el instanceof HTMLInputElement && el.dataset.complete === "codes" && !!el.closest("#counter-form"); }

  function close() {
    var b = box();
    if (!b) return;
    b.hidden = true;
    lit = -1;
    if (owner) { owner.setAttribute("aria-expanded", "false"); owner.removeAttribute("aria-activedescendant"); }
  }

  function light(i) {
    var opts = options();
    opts.forEach(function (o, j) { o.classList.toggle("active", j === i); o.setAttribute("aria-selected", j === i ? "true" : "false"); });
    lit = opts.length ? Math.max(0, Math.min(i, opts.length - 1)) : -1;
    if (owner && lit >= 0) { owner.setAttribute("aria-activedescendant", opts[lit].id); opts[lit].scrollIntoView({block: "nearest"}); }
  }

  function place(input) {
    // Under the field, aligned on its start edge (right in Arabic); positions set through the CSSOM.
    var b = box(), r = input.getBoundingClientRect(), rtl = document.documentElement.dir === "rtl";
    b.style.top = (window.scrollY + r.bottom) + "px";
    if (rtl) { b.style.right = (document.documentElement.clientWidth - r.right) + "px"; b.style.left = "auto"; }
    else { b.style.left = (window.scrollX + r.left) + "px"; b.style.right = "auto"; }
  }

  function search(input) {
    clearTimeout(timer);
    timer = null;
    var q = input.value.trim();
    if (!q) { close(); pending = null; return Promise.resolve(); }
    var url = form().dataset.codesUrl + "?q=" + encodeURIComponent(q);
    var p = htmx.ajax("GET", url, {target: "#code-options", swap: "innerHTML"}).then(function () {
      if (input.value.trim() !== q || document.activeElement !== input) return;
      owner = input;
      place(input);
      box().hidden = false;
      input.setAttribute("aria-expanded", "true");
      light(0);
    }).catch(function () { close(); }); // no answer: the code stays as typed
    pending = p;
    return p;
  }

  function setKind(input, kind) {
    var row = input.closest("tr.line");
    var select = row && row.querySelector("select[name$='-kind']");
    if (select && kind && select.value !== kind) {
      select.value = kind;
      select.dispatchEvent(new Event("change", {bubbles: true}));
    }
  }

  function pick(input, opt) {
    input.value = opt.dataset.code;
    setKind(input, opt.dataset.kind);
    var label = document.getElementById("code-label-" + input.closest("tr.line").dataset.line);
    if (label) { label.textContent = opt.dataset.label; }
    close();
    input.dispatchEvent(new Event("change", {bubbles: true})); // the live amounts
  }

  function same(a, b) {
    var clean = function (s) { return s.trim().toUpperCase().replace(/[\s.\-]/g, ""); };
    return clean(a) === clean(b);
  }

  function exact(input) {
    return options().filter(function (o) { return same(o.dataset.code, input.value); })[0] || null;
  }

  function chosen(input) {
    // The option lit while the list is open for this field, else the one spelling what was typed.
    var opts = options();
    if (owner === input && !box().hidden && lit >= 0 && opts[lit]) return opts[lit];
    return exact(input);
  }

  function settle(input) {
    // A search waiting for its pause or its answer first, so that Enter acts on the answer.
    if (timer !== null) return search(input);
    return pending || Promise.resolve();
  }

  document.addEventListener("input", function (ev) {
    var el = ev.target;
    if (!isCode(el)) return;
    owner = el;
    clearTimeout(timer);
    timer = setTimeout(function () { search(el); }, DELAY);
  });

  document.addEventListener("keydown", function (ev) {
    var el = ev.target;
    if (ev.altKey && (ev.key === "s" || ev.key === "S")) {
      var save = document.querySelector("#counter-form button[value=save]");
      if (save) { ev.preventDefault(); save.click(); }
      return;
    }
    if (!(el instanceof HTMLElement) || !el.closest("#counter-form")) return;
    if (ev.key === "Enter" && el.closest(".counter-header") && el.tagName === "INPUT") {
      ev.preventDefault();
      var f = form();
      if (el.name === "card_number") {
        var first = f.querySelector("input[data-complete=codes]");
        if (first) { first.focus(); return; }
      }
      var fields = Array.prototype.slice.call(f.querySelectorAll("input:not([type=hidden]), select, textarea"));
      var next = fields[fields.indexOf(el) + 1];
      if (next) next.focus();
      return;
    }
    if (!isCode(el)) return;
    var open = owner === el && !box().hidden;
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      ev.preventDefault();
      var step = ev.key === "ArrowDown" ? 1 : -1;
      // After the search still waiting for its pause or its answer, as Enter: an arrow pressed
      // while the answer is on its way moves in that answer, not in the list it replaces.
      settle(el).then(function () {
        if (owner === el && !box().hidden) light(lit + step); else search(el);
      });
    } else if (ev.key === "Escape") {
      if (open) { ev.preventDefault(); close(); }
    } else if (ev.key === "Enter") {
      ev.preventDefault(); // not the form's "add a line": that is Enter in the amount
      settle(el).then(function () {
        var opt = chosen(el);
        if (opt) pick(el, opt); else close();
        var paid = el.closest("tr.line").querySelector("input[name$='-paid']");
        if (paid) paid.focus();
      });
    } else if (ev.key === "Tab") {
      var opt = exact(el); // leaving a code typed in full still sets the kind from it
      if (opt) pick(el, opt); else close();
    }
  });

  document.addEventListener("click", function (ev) {
    var t = ev.target instanceof Element ? ev.target.closest("#code-options li[data-code]") : null;
    if (t && owner) { pick(owner, t); owner.focus(); return; }
    if (!(ev.target instanceof Element && ev.target.closest("#code-options"))) close();
  });

  document.addEventListener("focusin", function (ev) {
    if (owner && ev.target !== owner && !(ev.target instanceof Element && ev.target.closest("#code-options"))) close();
  });

  // The first line's date of care follows the filing date while the agent left it as it was.
  var filed = null;
  document.addEventListener("focusin", function (ev) {
    if (ev.target instanceof HTMLInputElement && ev.target.name === "filed_on") filed = ev.target.value;
  });
  document.addEventListener("change", function (ev) {
    var el = ev.target;
    if (!(el instanceof HTMLInputElement) || el.name !== "filed_on" || !el.closest("#counter-form")) return;
    var care = form().querySelector("input[name='lines-0-care_date']");
    if (care && (care.value === "" || care.value === filed)) care.value = el.value;
    filed = el.value;
  });

  // htmx swaps the form after "add": the list of the removed field goes.
  document.addEventListener("htmx:beforeSwap", function (ev) {
    if (ev.detail && ev.detail.target && ev.detail.target.id === "counter") close();
  });
})();
