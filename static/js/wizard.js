// Step-by-step display of the screening form. Without JavaScript every step is shown at once.
(function () {
  "use strict";
  var form = document.getElementById("screening-form");
  if (!form) return;
  var steps = Array.prototype.slice.call(form.querySelectorAll("section.step"));
  var tabs = Array.prototype.slice.call(form.querySelectorAll(".stepper [data-step]"));
  var current = 1;
  var firstError = form.querySelector(".has-error, .errorlist");
  if (firstError) {
    var section = firstError.closest("section.step");
    if (section) current = parseInt(section.dataset.step, 10);
  }

  function show(step, focus) {
    current = Math.max(1, Math.min(steps.length, step));
    steps.forEach(function (s) { s.hidden = parseInt(s.dataset.step, 10) !== current; });
    tabs.forEach(function (t) {
      var selected = parseInt(t.dataset.step, 10) === current;
      t.setAttribute("aria-selected", selected ? "true" : "false");
      t.classList.toggle("current", selected);
    });
    form.querySelector("[data-nav=prev]").hidden = current === 1;
    form.querySelector("[data-nav=next]").hidden = current === steps.length;
    if (focus) {
      var title = document.getElementById("step-title-" + current);
      if (title) title.focus();
    }
  }

  form.classList.add("js-steps");
  tabs.forEach(function (t) {
    t.addEventListener("click", function () { show(parseInt(t.dataset.step, 10), true); });
  });
  form.querySelector("[data-nav=prev]").addEventListener("click", function () { show(current - 1, true); });
  form.querySelector("[data-nav=next]").addEventListener("click", function () { show(current + 1, true); });
  form.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.tagName === "INPUT" && event.target.type !== "submit") {
      event.preventDefault(); // Enter moves on instead of saving half a screening
      show(current + 1, true);
    }
  });
  show(current, false);
})();
