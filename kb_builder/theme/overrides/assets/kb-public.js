/* Help centers only. Material's search runs on key-up (and focus) only, so a query that is
   pasted, dictated or finished in an input method (Japanese, Chinese) would sit in the box with
   no results until the visitor typed a key. Every input, and the end of a composition, is passed
   on to it as a key-up. Nothing leaves the page. */
(function () {
  "use strict";
  var input = document.querySelector("[data-md-component=search-query]");
  if (!input) return;
  function nudge() { input.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true })); }
  input.addEventListener("input", function (e) { if (!e.isComposing) nudge(); });
  input.addEventListener("compositionend", nudge);
})();
