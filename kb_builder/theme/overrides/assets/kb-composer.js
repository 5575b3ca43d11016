/* kb_builder: the reply composer on template and SOP pages of the internal site. Language and
   market are remembered between pages; `?lang=de&market=DE&order_id=123` fills it in. No
   external script; without this file the page keeps its tabs with every market's text. */
(function () {
  "use strict";
  // The same rule as kb_builder/reply_length.py (tests/reply_length_cases.json tests both).
  var GSM_BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
  var GSM_EXT = "\f^{}\\[~]|€";

  function smsLength(text) {
    var units = 0, gsm = true;
    for (var ch of text) {
      if (GSM_EXT.indexOf(ch) >= 0) units += 2;
      else if (GSM_BASIC.indexOf(ch) >= 0) units += 1;
      else { gsm = false; break; }
    }
    var single = 160, part = 153, encoding = "GSM-7";
    if (!gsm) { units = text.length; single = 70; part = 67; encoding = "UCS-2"; } // UTF-16 code units
    if (units <= single) return { encoding: encoding, units: units, segments: units ? 1 : 0, per_segment: single };
    return { encoding: encoding, units: units, segments: Math.ceil(units / part), per_segment: part };
  }
  window.kbReplyLength = { sms: smsLength, chars: function (t) { return Array.from(t).length; } };

  // The three tokens of kb_builder/variables.py: {{, }} and {name} / {market.NAME}.
  var TOKEN = /\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?)\}/g;

  function fill(text, values, fields) {
    var parts = [], last = 0, m;
    TOKEN.lastIndex = 0;
    while ((m = TOKEN.exec(text))) {
      if (m.index > last) parts.push({ text: text.slice(last, m.index) });
      last = TOKEN.lastIndex;
      var tok = m[0], name = m[1];
      if (tok === "{{") parts.push({ text: "{" });
      else if (tok === "}}") parts.push({ text: "}" });
      else if (name.indexOf("market.") === 0) {
        var key = name.slice(7);
        parts.push(values && Object.prototype.hasOwnProperty.call(values, key) ? { text: String(values[key]), value: key }
          : { text: tok, missing: key });
      } else if (name.indexOf(".") < 0) {
        var v = fields[name];
        parts.push(v ? { text: v, filled: name } : { text: tok, empty: name });
      } else parts.push({ text: tok });
    }
    if (last < text.length) parts.push({ text: text.slice(last) });
    return parts;
  }

  var store = {
    get: function (k) { try { return localStorage.getItem(k); } catch (e) { return null; } },
    set: function (k, v) { try { localStorage.setItem(k, v); } catch (e) { /* private mode: not remembered */ } }
  };
  var LANG_KEY = "kb.reply.lang", MARKET_KEY = "kb.market";

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") e.textContent = attrs[k]; else e.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) e.appendChild(c); });
    return e;
  }

  function copyText(text) {
    if (navigator.clipboard && navigator.clipboard.writeText) return navigator.clipboard.writeText(text);
    var ta = el("textarea", { "aria-hidden": "true" });
    ta.value = text; ta.style.position = "fixed"; ta.style.opacity = "0";
    document.body.appendChild(ta); ta.select();
    try { document.execCommand("copy"); } finally { ta.remove(); }
    return Promise.resolve();
  }

  var composers = [];

  function Composer(root, data) {
    this.root = root; this.data = data; this.fields = {};
    var params = new URLSearchParams(location.search), self = this;
    var codes = data.languages.map(function (l) { return l.code; });
    var markets = data.markets.map(function (m) { return m.code; });
    var wantLang = params.get("lang"), wantMarket = (params.get("market") || "").toUpperCase();
    if (wantLang && codes.indexOf(wantLang) >= 0) store.set(LANG_KEY, wantLang);
    if (wantMarket && markets.indexOf(wantMarket) >= 0) store.set(MARKET_KEY, wantMarket);
    data.placeholders.forEach(function (p) { self.fields[p.name] = params.get(p.name) || ""; });
    this.build();
    this.choose(store.get(LANG_KEY), store.get(MARKET_KEY));
  }

  Composer.prototype.build = function () {
    var d = this.data, self = this, id = "kb-composer-" + d.id;
    this.langSelect = el("select", { id: id + "-lang", "class": "kb-composer-lang" },
      d.languages.map(function (l) { return el("option", { value: l.code, lang: l.code, text: l.name }); }));
    this.marketSelect = el("select", { id: id + "-market", "class": "kb-composer-market" },
      d.markets.map(function (m) { return el("option", { value: m.code, text: m.code + " · " + m.name }); }));
    var choices = el("div", { "class": "kb-composer-choices" }, [
      el("label", { "for": id + "-lang", text: "Customer's language" }), this.langSelect,
      el("label", { "for": id + "-market", text: "Market" }), this.marketSelect]);
    this.inputs = {};
    this.fieldLabels = {};
    var fields = el("div", { "class": "kb-composer-fields" }, d.placeholders.map(function (p) {
      var input = el("input", { type: "text", id: id + "-ph-" + p.name, "data-ph": p.name, autocomplete: "off" });
      input.value = self.fields[p.name];
      input.addEventListener("input", function () { self.fields[p.name] = input.value; self.render(); });
      self.inputs[p.name] = input;
      var label = el("label", { "for": input.id });
      self.fieldLabels[p.name] = label;
      return el("div", { "class": "kb-composer-field" }, [label, input]);
    }));
    this.out = el("div", { "class": "kb-composer-out" });
    var hasSubject = d.languages.some(function (l) { return l.subject; });
    this.subjectView = hasSubject ? el("div", { "class": "kb-composer-text kb-composer-subject", id: id + "-subject" }) : null;
    this.bodyView = el("div", { "class": "kb-composer-text kb-composer-body", id: id + "-body" });
    this.status = el("p", { "class": "kb-composer-status", role: "status" });
    this.count = el("p", { "class": "kb-composer-count", "aria-live": "polite", lang: "en", dir: "ltr" });
    var bodyName = d.channel === "email" ? "body" : "message";
    if (this.subjectView) {
      this.out.appendChild(el("p", { "class": "kb-composer-part", text: "Subject" }));
      this.out.appendChild(this.subjectView);
      this.out.appendChild(this.copyButton("Copy subject", "subject", "Subject copied"));
    }
    this.out.appendChild(el("p", { "class": "kb-composer-part", text: bodyName === "body" ? "Body" : "Message" }));
    this.out.appendChild(this.bodyView);
    this.out.appendChild(this.copyButton("Copy " + bodyName, "body", (bodyName === "body" ? "Body" : "Message") + " copied"));
    this.out.appendChild(this.count);
    var box = el("section", { "class": "kb-composer-box", "aria-label": "Reply composer" }, [
      el("p", { "class": "kb-composer-title", text: "Compose the reply" }), choices, fields, this.out, this.status]);
    this.root.appendChild(box);
    this.langSelect.addEventListener("change", function () { self.pick(self.langSelect.value, null); });
    this.marketSelect.addEventListener("change", function () { self.pick(null, self.marketSelect.value); });
  };

  Composer.prototype.copyButton = function (label, part, done) {
    var self = this, b = el("button", { type: "button", "class": "md-button md-button--primary kb-composer-copy",
      "data-part": part, text: label });
    b.addEventListener("click", function () {
      copyText(self.text(part)).then(function () { self.status.textContent = done; },
        function () { self.status.textContent = "Copying failed: select the text and copy it by hand"; });
    });
    return b;
  };

  // A choice made here is remembered and shown by every composer (and the SOP market picker).
  Composer.prototype.pick = function (lang, market) {
    if (lang) store.set(LANG_KEY, lang);
    if (market) store.set(MARKET_KEY, market);
    composers.forEach(function (c) { c.choose(store.get(LANG_KEY), store.get(MARKET_KEY)); });
    document.dispatchEvent(new CustomEvent("kb:market", { detail: { market: store.get(MARKET_KEY) || "" } }));
  };

  Composer.prototype.choose = function (lang, market) {
    var d = this.data;
    var L = d.languages.filter(function (l) { return l.code === lang; })[0] || d.languages[0];
    var M = d.markets.filter(function (m) { return m.code === market; })[0] ||
      d.markets.filter(function (m) { return m.languages.indexOf(L.code) >= 0; })[0] || d.markets[0] || null;
    this.lang = L; this.market = M;
    this.langSelect.value = L.code;
    if (M) this.marketSelect.value = M.code;
    this.out.setAttribute("lang", L.code);
    this.out.setAttribute("dir", L.dir);
    var self = this;
    d.placeholders.forEach(function (p) {
      self.fieldLabels[p.name].textContent = p.labels[L.code] || p.name;
      self.fieldLabels[p.name].setAttribute("lang", L.code);
      self.inputs[p.name].setAttribute("dir", "auto");
    });
    this.render();
  };

  Composer.prototype.parts = function (part) {
    var src = part === "subject" ? this.lang.subject : this.lang.body;
    return fill(src || "", this.market ? this.market.values : null, this.fields);
  };

  Composer.prototype.text = function (part) {
    return this.parts(part).map(function (p) { return p.text; }).join("");
  };

  function show(view, parts) {
    view.textContent = "";
    parts.forEach(function (p) {
      if (p.empty) view.appendChild(el("mark", { "class": "kb-ph kb-ph-empty", title: "fill in: " + p.empty, text: p.text }));
      else if (p.filled) view.appendChild(el("span", { "class": "kb-ph-filled", text: p.text }));
      else if (p.missing) view.appendChild(el("span", { "class": "kb-var", title: "no value in this market", text: p.text }));
      else view.appendChild(document.createTextNode(p.text));
    });
  }

  Composer.prototype.render = function () {
    if (this.subjectView) show(this.subjectView, this.parts("subject"));
    show(this.bodyView, this.parts("body"));
    var self = this, empty = 0;
    Object.keys(this.inputs).forEach(function (n) {
      var used = (self.lang.subject + self.lang.body).indexOf("{" + n + "}") >= 0;
      var isEmpty = used && !self.fields[n];
      if (isEmpty) empty++;
      self.inputs[n].classList.toggle("kb-empty", isEmpty);
    });
    var body = this.text("body"), limit = this.market ? this.market.max_chars : this.data.default_max_chars;
    var over = false, msg;
    if (this.data.sms) {
      var s = smsLength(body);
      over = s.segments > 1 || (limit && window.kbReplyLength.chars(body) > limit);
      msg = s.units + " / " + s.per_segment + " (" + s.encoding + ") · " + s.segments + " SMS part" + (s.segments === 1 ? "" : "s");
    } else {
      var n = window.kbReplyLength.chars(body);
      over = !!limit && n > limit;
      msg = n + (limit ? " / " + limit : "") + " characters";
    }
    if (over) msg += " · over the channel's limit";
    if (empty) msg += " · " + empty + " field" + (empty === 1 ? "" : "s") + " still to fill in";
    this.count.textContent = msg;
    this.count.classList.toggle("kb-over", over);
  };

  function setup() {
    document.querySelectorAll("[data-kb-composer]").forEach(function (root) {
      if (root.dataset.kbReady) return;
      root.dataset.kbReady = "1";
      var data = JSON.parse(root.querySelector("script.kb-composer-data").textContent);
      composers.push(new Composer(root, data));
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();

/* kb_builder: the SOP page's market picker ("All markets" or one, remembered with the composer's
   market): fills that market's values into steps, branches, authority, escalation and the
   flowchart, and hides steps for other markets. Without a market, a value reads as its label and
   shows every market's value when hovered, tapped or focused. */
(function () {
  "use strict";
  var KEY = "kb.market";
  function get() { try { return localStorage.getItem(KEY) || ""; } catch (e) { return ""; } }
  function set(v) { try { localStorage.setItem(KEY, v); } catch (e) { /* not remembered */ } }

  function apply(picker, values, market) {
    if (market && !values[market]) market = "";
    picker.querySelector("select").value = market;
    var vals = market ? values[market] : null;
    document.querySelectorAll(".kb-var[data-var]").forEach(function (v) {
      var has = vals && Object.prototype.hasOwnProperty.call(vals, v.dataset.var);
      v.textContent = has ? vals[v.dataset.var] : v.dataset.label;
      v.classList.toggle("kb-var-filled", !!has);
      v.removeAttribute("data-open");
    });
    document.querySelectorAll("li.kb-step[data-markets]").forEach(function (li) {
      li.hidden = !!market && li.dataset.markets.split(" ").indexOf(market) < 0;
    });
    var charts = document.querySelectorAll("figure.kb-flowchart[data-market]");
    var own = market && document.querySelector('figure.kb-flowchart[data-market="' + market + '"]');
    charts.forEach(function (f) { f.hidden = own ? f !== own : f.dataset.market !== "all"; });
  }

  function setup() {
    var picker = document.querySelector("[data-kb-market-picker]");
    // a value's label shows every market's value when tapped or focused (hover shows its title)
    document.addEventListener("click", function (ev) {
      var v = ev.target.closest && ev.target.closest(".kb-var[data-var]:not(.kb-var-filled)");
      if (v) { if (v.hasAttribute("data-open")) v.removeAttribute("data-open"); else v.setAttribute("data-open", ""); }
    });
    document.addEventListener("keydown", function (ev) {
      var v = ev.target.closest && ev.target.closest(".kb-var[data-var]");
      if (v && (ev.key === "Enter" || ev.key === " ")) { ev.preventDefault(); v.click(); }
    });
    if (!picker) return;
    var values = JSON.parse(picker.querySelector("script").textContent);
    var select = picker.querySelector("select");
    apply(picker, values, get());
    select.addEventListener("change", function () {
      set(select.value);
      apply(picker, values, select.value);
      if (select.value) {
        // the page's composers follow (they need a market; "All markets" leaves theirs as it is)
        document.querySelectorAll("[data-kb-composer] select.kb-composer-market").forEach(function (s) {
          if ([].some.call(s.options, function (o) { return o.value === select.value; }) && s.value !== select.value) {
            s.value = select.value; s.dispatchEvent(new Event("change"));
          }
        });
      }
    });
    document.addEventListener("kb:market", function (ev) { apply(picker, values, ev.detail.market); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
