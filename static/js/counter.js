/* The claims counter form: Enter and Alt+S keys, code completion (was inline in counter_form.html). */
(function () {
  var form = document.getElementById('counter-form');
  if (!form) return;
  // Enter in the header moves to the next field instead of adding a line.
  form.querySelectorAll('.counter-header input').forEach(function (el) {
    el.addEventListener('keydown', function (ev) {
      if (ev.key !== 'Enter') return;
      ev.preventDefault();
      var fields = Array.prototype.slice.call(form.querySelectorAll('input:not([type=hidden]), select, textarea'));
      var next = fields[fields.indexOf(el) + 1];
      if (next) { next.focus(); }
    });
  });
  // Alt+S saves, whatever the browser does with accesskey.
  if (!window.counterKeys) {
    window.counterKeys = true;
    document.addEventListener('keydown', function (ev) {
      if (ev.altKey && (ev.key === 's' || ev.key === 'S')) {
        var save = document.querySelector('#counter-form button[value=save]');
        if (save) { ev.preventDefault(); save.click(); }
      }
    });
  }
  // Code completion: after a short pause, the codes and names matching what is typed (the last answer wins).
  var timer = null;
  form.querySelectorAll('input[list=codes]').forEach(function (el) {
    el.addEventListener('input', function () {
      clearTimeout(timer);
      var q = el.value.trim();
      if (!q) return;
      timer = setTimeout(function () {
        fetch(form.dataset.codesUrl + '?q=' + encodeURIComponent(q), {credentials: 'same-origin'})
          .then(function (r) { return r.text(); })
          .then(function (html) { if (el.value.trim() === q) { document.getElementById('codes').innerHTML = html; } });
      }, 150);
    });
  });
})();
