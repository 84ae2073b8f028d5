/* Behaviour the pages used to carry inline, kept here so the CSP can forbid inline scripts. */
(function () {
  "use strict";
  // A select marked data-autosubmit (the language menu) submits its form when changed.
  document.addEventListener("change", function (ev) {
    var el = ev.target;
    if (el instanceof HTMLSelectElement && el.hasAttribute("data-autosubmit") && el.form) {
      el.form.submit();
    }
  });
})();
