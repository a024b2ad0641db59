// Step-by-step display of the screening form. Without JavaScript every step is shown at once.
// The step tabs follow the WAI-ARIA tabs pattern: one tab in the Tab order (the selected one), Left/Right/Home/End
// move between the tabs and open their step; Enter, Space or a click opens the step and moves into it.
(function () {
  "use strict";
  var form = document.getElementById("screening-form");
  if (!form) return;
  var steps = Array.prototype.slice.call(form.querySelectorAll("section.step"));
  var tabs = Array.prototype.slice.call(form.querySelectorAll(".stepper [role=tab]"));
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
      t.tabIndex = selected ? 0 : -1;
      t.classList.toggle("current", selected);
    });
    form.querySelector("[data-nav=prev]").hidden = current === 1;
    form.querySelector("[data-nav=next]").hidden = current === steps.length;
    if (focus === "title") {
      var title = document.getElementById("step-title-" + current);
      if (title) title.focus();
    } else if (focus === "tab") {
      tabs[current - 1].focus();
    }
  }

  function showStepOf(element) {
    var section = element && element.closest("section.step");
    if (section) show(parseInt(section.dataset.step, 10), null);
  }

  form.classList.add("js-steps");
  tabs.forEach(function (t) {
    t.addEventListener("click", function () { show(parseInt(t.dataset.step, 10), "title"); });
    t.addEventListener("keydown", function (event) {
      var target = {ArrowRight: current + 1, ArrowLeft: current - 1, Home: 1, End: steps.length}[event.key];
      if (target === undefined) return;
      event.preventDefault();
      if (target > steps.length) target = 1; // the arrows wrap around, as in the tabs pattern
      if (target < 1) target = steps.length;
      show(target, "tab");
    });
  });
  form.querySelector("[data-nav=prev]").addEventListener("click", function () { show(current - 1, "title"); });
  form.querySelector("[data-nav=next]").addEventListener("click", function () { show(current + 1, "title"); });
  form.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.tagName === "INPUT" && event.target.type !== "submit") {
      event.preventDefault(); // Enter moves on instead of saving half a screening
      show(current + 1, "title");
    }
  });

  // A link to a field (the result panel's list of what to correct) opens the step that holds it.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href^='#id_']");
    if (!link) return;
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (!field || !form.contains(field)) return;
    event.preventDefault();
    showStepOf(field);
    field.focus();
  });

  // The "changed" marks follow the result panel, which the server sends with what differs from the last screening.
  function syncChangedMarks() {
    var panel = document.getElementById("result-panel");
    if (!panel || !panel.hasAttribute("data-changed")) return;
    var fields = panel.getAttribute("data-changed").split(" ");
    var changedSteps = panel.getAttribute("data-changed-steps").split(" ");
    form.querySelectorAll("[data-changed-for]").forEach(function (mark) {
      mark.hidden = fields.indexOf(mark.getAttribute("data-changed-for")) === -1;
    });
    form.querySelectorAll("[data-changed-step]").forEach(function (mark) {
      mark.hidden = changedSteps.indexOf(mark.getAttribute("data-changed-step")) === -1;
    });
  }
  document.body.addEventListener("htmx:afterSettle", syncChangedMarks);

  show(current, null);
})();
