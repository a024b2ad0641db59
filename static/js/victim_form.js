// The duplicate check on the "Add a person" form: a 429 (too many checks) carries a message to show in place of the
// list, so htmx swaps it in instead of dropping it as an error. A file of its own: the Content-Security-Policy allows
// no inline script (and htmx's hx-on attributes would need eval).
(function () {
  "use strict";
  var form = document.querySelector("form[data-swap-too-many]");
  if (!form) {
    return;
  }
  form.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr.status === 429) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
