// The case list on a phone: the filters start folded, so that the cases come first; "Filters and sorting" opens them.
// Runs right after the form is parsed, before the first paint; without JavaScript the filters stay open.
(function () {
  "use strict";
  var fold = document.querySelector("details[data-fold-on-phone]");
  if (fold && window.matchMedia("(max-width: 700px)").matches) {
    fold.open = false;
  }
})();
