
/* kb_builder: better query terms for public help centers (appended to Material's search worker
   by kb_builder/sites/public.py). Material adds a trailing wildcard to every query term (search
   as you type), and Lunr then skips its pipeline, so:
   1. Stemming: "Rücksendungen" could never find "Rücksendung" in an index of stems. A trailing-
      wildcard term is stemmed first and the stem used as the prefix ("rucksend*"). Terms the
      pipeline drops (stop words) are left as typed.
   2. Japanese: the index is cut into words by TinySegmenter, but a typed term like
      "お問い合わせ" is not. When the segmenter is loaded, such a term is cut the same way and
      each word (single kana particles aside) becomes a required prefix term.
   The rewrite happens in Lunr's query parser, which both the search and Material's analysis
   of matched terms use, so results and "missing term" hints agree. */
(function (lunr) {
  if (!lunr || !lunr.QueryParser || lunr.QueryParser.prototype.kbQueryTerms) return;
  var JAPANESE = /[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]/;
  var PARTICLE = /^[\u3040-\u309f\u30fc]$/;
  var pipeline = null;  // the index's search pipeline, kept when the index is built

  var build = lunr.Builder.prototype.build;
  lunr.Builder.prototype.build = function () {
    var index = build.call(this);
    pipeline = index.pipeline;
    return index;
  };

  function rewrite(clauses) {
    var out = [];
    for (var i = 0; i < clauses.length; i++) {
      var c = clauses[i], term = c.term || "";
      if (term.indexOf("*") !== term.length - 1 || term.length < 2) { out.push(c); continue; }
      var word = term.slice(0, -1);
      if (lunr.segmenter && JAPANESE.test(word)) {
        var words = lunr.segmenter.segment(word).filter(function (w) { return w && !PARTICLE.test(w); });
        if (words.length > 1) {
          for (var k = 0; k < words.length; k++)
            out.push(Object.assign({}, c, { term: words[k] + "*", presence: lunr.Query.presence.REQUIRED }));
          continue;
        }
      }
      if (pipeline) {
        var stems = pipeline.runString(word, { fields: c.fields });
        if (stems.length === 1 && stems[0]) c.term = stems[0] + "*";
      }
      out.push(c);
    }
    return out;
  }

  var parse = lunr.QueryParser.prototype.parse;
  lunr.QueryParser.prototype.kbQueryTerms = true;
  lunr.QueryParser.prototype.parse = function () {
    var query = parse.call(this);
    query.clauses = rewrite(query.clauses);
    return query;
  };
})(self.lunr);
