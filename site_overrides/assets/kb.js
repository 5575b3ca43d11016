/* kb_builder: small progressive enhancements; the pages work without them. */
(function () {
  // Open quiz answers and collapsed sections for printing, so the printed path is complete.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details").forEach(function (d) { d.dataset.kbWasOpen = d.open; d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    document.querySelectorAll("details").forEach(function (d) { d.open = d.dataset.kbWasOpen === "true"; });
  });
  function setupSince() {
    var input = document.getElementById("kb-since-date");
    var table = document.getElementById("kb-changes");
    if (!input || !table) return;
    var count = document.getElementById("kb-since-count");
    input.addEventListener("input", function () {
      var shown = 0;
      table.querySelectorAll("tbody tr").forEach(function (tr) {
        var keep = !input.value || tr.dataset.date >= input.value;
        tr.hidden = !keep; if (keep) shown++;
      });
      count.textContent = input.value ? shown + " entries changed since " + input.value : "";
    });
  }
  if (window.document$ && window.document$.subscribe) { window.document$.subscribe(setupSince); }
  else { document.addEventListener("DOMContentLoaded", setupSince); }
})();
