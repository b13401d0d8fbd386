// Progressive enhancement only: every page works without JavaScript.
(function () {
  "use strict";
  // Show "what is the complaint about?" only when the case is a complaint.
  var complaintOnly = ["complaint_ground", "related_reference"].map(function (id) {
    var el = document.getElementById(id); return el && el.closest(".field");
  }).filter(Boolean);
  var radios = document.querySelectorAll("input[name=kind]");
  if (complaintOnly.length && radios.length) {
    var update = function () {
      var checked = document.querySelector("input[name=kind]:checked");
      var isComplaint = checked && checked.value === "complaint";
      complaintOnly.forEach(function (wrapper) {
        wrapper.hidden = !isComplaint && !wrapper.classList.contains("field-error");
      });
    };
    radios.forEach(function (r) { r.addEventListener("change", update); });
    update();
  }
  // Canned responses: insert the chosen text into the reply box.
  var canned = document.getElementById("canned-pick");
  if (canned) {
    canned.addEventListener("change", function () {
      var target = document.getElementById(canned.getAttribute("data-target"));
      if (target && canned.value) {
        target.value = target.value ? target.value + "\n\n" + canned.value : canned.value;
        target.focus();
      }
      canned.value = "";
    });
  }
  // After a failed submit, move focus to the error summary so screen readers announce it.
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
    // A link of the summary moves focus to its field, its label or question in view (a fragment link alone
    // only scrolls, and would hide the label above the field), as GOV.UK's summary does.
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var field = link && document.getElementById(link.hash.slice(1));
      if (!field) { return; }
      event.preventDefault();
      (field.closest(".field") || field).scrollIntoView();
      field.focus({ preventScroll: true });
    });
  }
})();
