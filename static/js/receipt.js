/* The receipt's "Print" button (static, not inline, for the CSP). */
(function () {
  "use strict";
  document.addEventListener("click", function (ev) {
    if (ev.target instanceof Element && ev.target.closest("[data-print]")) { ev.preventDefault(); window.print(); }
  });
})();
