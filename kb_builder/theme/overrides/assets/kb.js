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
  // Public help centers: a language link already points at the same page in the other language.
  // Stop Material's alternate-site handler (on body) from redirecting to that language's home
  // page, and carry the question anchor (#faq-...) over.
  document.addEventListener("click", function (ev) {
    var a = ev.target && ev.target.closest ? ev.target.closest("a.kb-alt-link") : null;
    if (!a) return;
    ev.stopPropagation();
    if (location.hash && a.getAttribute("href").indexOf("#") < 0) a.setAttribute("href", a.getAttribute("href") + location.hash);
  }, true);
  // Material's search dialog has no accessible name; give it the search field's own label.
  function nameSearchDialog() {
    var dialog = document.querySelector(".md-search[role=dialog]:not([aria-label])");
    var input = document.querySelector(".md-search__input");
    if (dialog && input) dialog.setAttribute("aria-label", input.getAttribute("aria-label") || input.placeholder || "Search");
  }
  nameSearchDialog();
  if (window.document$ && window.document$.subscribe) { window.document$.subscribe(setupSince); }
  else { document.addEventListener("DOMContentLoaded", setupSince); }
})();
