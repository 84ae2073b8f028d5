/* The member's online claim (static, not inline, for the CSP): "Which one" searches the acts or
   medicines of the kind chosen on its line, by name; the arrows walk the list, Enter or a click
   picks, and the line keeps the chosen code in a hidden field. Lines added by htmx are handled too:
   everything is bound once, on the document. */
(function () {
  "use strict";
  var DELAY = 200;
  var timer = null;
  var lit = -1;

  function formEl() { return document.getElementById("portal-claim"); }
  function isItem(el) { return el instanceof HTMLInputElement && el.dataset.search === "what" && !!el.closest("#portal-claim"); }
  function listOf(input) { return document.getElementById(input.id + "-options"); }
  function field(input, suffix) { return document.querySelector("[name='" + input.name.replace(/-item$/, "-" + suffix) + "']"); }
  function options(input) { return Array.prototype.slice.call(listOf(input).querySelectorAll("li[data-code]")); }

  function close(input) {
    var list = listOf(input);
    if (list) list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    lit = -1;
  }

  function light(input, i) {
    var opts = options(input);
    lit = opts.length ? Math.max(0, Math.min(i, opts.length - 1)) : -1;
    opts.forEach(function (o, j) { o.classList.toggle("active", j === lit); o.setAttribute("aria-selected", j === lit ? "true" : "false"); });
    if (lit >= 0) input.setAttribute("aria-activedescendant", opts[lit].id);
  }

  function search(input) {
    var q = input.value.trim();
    var what = field(input, "what");
    if (q.length < 2) { close(input); return; }
    var url = formEl().dataset.codesUrl + "?q=" + encodeURIComponent(q) + "&what=" + encodeURIComponent(what ? what.value : "");
    htmx.ajax("GET", url, {target: "#" + listOf(input).id, swap: "innerHTML"}).then(function () {
      if (input.value.trim() !== q) return;
      listOf(input).hidden = false;
      input.setAttribute("aria-expanded", "true");
      light(input, 0);
    }).catch(function () { close(input); });
  }

  function pick(input, opt) {
    input.value = opt.dataset.label;
    var code = field(input, "code");
    if (code) code.value = opt.dataset.code;
    close(input);
  }

  document.addEventListener("input", function (ev) {
    var el = ev.target;
    if (!isItem(el)) return;
    var code = field(el, "code");
    if (code) code.value = ""; // typed again: the choice is to be made again
    clearTimeout(timer);
    timer = setTimeout(function () { search(el); }, DELAY);
  });

  document.addEventListener("change", function (ev) {
    var el = ev.target;
    if (!(el instanceof HTMLSelectElement) || !/-what$/.test(el.name) || !el.closest("#portal-claim")) return;
    var item = document.querySelector("[name='" + el.name.replace(/-what$/, "-item") + "']");
    var code = document.querySelector("[name='" + el.name.replace(/-what$/, "-code") + "']");
    if (code && code.value) { code.value = ""; if (item) item.value = ""; } // another kind: another choice
  });

  document.addEventListener("keydown", function (ev) {
    var el = ev.target;
    if (!isItem(el)) return;
    var open = !listOf(el).hidden;
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      ev.preventDefault();
      if (!open) { search(el); return; }
      light(el, lit + (ev.key === "ArrowDown" ? 1 : -1));
    } else if (ev.key === "Enter" && open) {
      ev.preventDefault(); // picks; it does not send the claim
      var opts = options(el);
      if (lit >= 0 && opts[lit]) pick(el, opts[lit]);
    } else if (ev.key === "Escape" && open) {
      ev.preventDefault();
      close(el);
    }
  });

  document.addEventListener("click", function (ev) {
    var opt = ev.target instanceof Element ? ev.target.closest("#portal-claim li[data-code]") : null;
    if (!opt) return;
    var list = opt.closest("ul");
    var input = document.getElementById(list.id.replace(/-options$/, ""));
    if (input) { pick(input, opt); input.focus(); }
  });
})();
