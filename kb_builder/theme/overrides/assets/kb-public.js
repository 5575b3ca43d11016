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

/* "Was this helpful?" on answer pages. The widget is in the page only when kb.yaml names a
   feedback_url; without it this does nothing and nothing leaves the page. Yes is sent at once;
   No opens an optional reason, sent on Send (or, if the visitor leaves first, with the page's
   last request: fetch keepalive). Only {market, lang, entry, helpful, reason} is sent, without
   cookies. The JSON goes as text/plain: a cross-origin application/json request needs a preflight,
   and Chromium drops a keepalive request that needs one while the page unloads. */
(function () {
  "use strict";
  var box = document.querySelector(".kb-pub-feedback[data-kb-feedback]");
  if (!box || !window.fetch) return;
  var form = box.querySelector(".kb-pub-feedback-form");
  var choice = box.querySelector(".kb-pub-feedback-choice");
  var status = box.querySelector(".kb-pub-feedback-status");
  var no = box.querySelector("[data-helpful=false]");
  var sent = false, saidNo = false;
  box.hidden = false;

  function reason() {
    var picked = form.querySelector("input[name=kb-feedback-reason]:checked");
    var details = form.querySelector("textarea").value.replace(/\s+/g, " ").trim();
    var text = picked ? picked.value + (details ? ": " + details : "") : details;
    return text.slice(0, 500);
  }

  function send(helpful, why) {
    if (sent) return;
    sent = true;
    var body = JSON.stringify({ market: box.dataset.market, lang: box.dataset.lang, entry: box.dataset.entry,
                                helpful: helpful, reason: why });
    // the pressed button disappears: keep keyboard focus in the widget, on its heading
    var heading = box.querySelector("h2");
    heading.setAttribute("tabindex", "-1");
    heading.focus();
    choice.hidden = true;
    form.hidden = true;
    function say(key) { status.textContent = status.getAttribute(key); }
    fetch(box.dataset.kbFeedback, { method: "POST", body: body, keepalive: true, credentials: "omit",
                                    mode: "cors", cache: "no-store", referrerPolicy: "no-referrer",
                                    headers: { "Content-Type": "text/plain;charset=UTF-8" } })
      .then(function (r) { say(r.ok ? "data-thanks" : "data-failed"); })
      .catch(function () { say("data-failed"); });
  }

  box.querySelector("[data-helpful=true]").addEventListener("click", function () { send(true, ""); });
  no.addEventListener("click", function () {
    saidNo = true;
    no.setAttribute("aria-expanded", "true");
    form.hidden = false;
    form.querySelector("input, textarea").focus();
  });
  form.addEventListener("submit", function (e) { e.preventDefault(); send(false, reason()); });
  // a No whose reason was never sent still counts when the visitor leaves the page
  window.addEventListener("pagehide", function () { if (saidNo && !sent) send(false, reason()); });
})();
