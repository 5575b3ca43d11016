"""Text analysis per language: text -> index terms, the same way at index time and at query time.

Each language gets one `Analyzer` with a single fast `terms()` method. The indexer passes the
resulting term lists straight to Whoosh (which accepts pre-analysed lists), and the query
builder analyses the query with the analyzer of the language asked for, so Whoosh's own
token-filter chains (one generator per filter per token) never run on the hot paths.

- Languages Whoosh can stem (snowball: da de en es fi fr hu it nl no pt ro ru sv): words,
  stop words removed, stemmed, and accents folded after stemming (so `remboursé`, `rembourse`
  and `remboursement` meet).
- Arabic: Whoosh's ISRI root stemmer (fixed in whoosh-reloaded 2.7.5; 2.7.4 crashed with
  `bad escape \\u`), with its own stop words, after removing tatweel and short-vowel marks.
- Chinese: segmented by jieba's dictionary in "search" mode (overlapping words, good recall),
  through rjieba (the Rust port, ~35x faster, no pkg_resources, no cache file) when it is
  installed, else jieba itself; both give the same segmentation.
- Japanese, Korean, Thai and any other language: an n-gram analyzer. Runs of kanji, katakana,
  hangul or Thai become overlapping bigrams (a single character stays a unigram, so the kanji
  stem of a verb like 届かない still matches 届きました); words in space-separated scripts
  are lower-cased and folded. At query time hiragana-only bigrams are dropped when the query
  also has kanji or katakana: they are particles and inflections, and only add noise.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

ANALYSIS_VERSION = "5"  # bump when terms change: indexes built with another version are rebuilt

_WORD = re.compile(r"[^\W_]+")
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005\u3006"
_KATA = "\u30a1-\u30fa\u30fc\u31f0-\u31ff"
_HIRA = "\u3041-\u3096"
_HANGUL = "\uac00-\ud7a3"
_THAI = "\u0e00-\u0e7f\u0e80-\u0eff\u1000-\u109f\u1780-\u17ff"  # Thai, Lao, Myanmar, Khmer
# A word of a space-separated script stops where a CJK, hangul or Thai run starts, so a
# code-switched "paypalで払えますか" is analysed per script (paypal / で / 払 / えますか).
_RUNS = re.compile(rf"(?P<han>[{_HAN}]+)|(?P<kata>[{_KATA}]+)|(?P<hira>[{_HIRA}]+)|(?P<hangul>[{_HANGUL}]+)"
                   rf"|(?P<thai>[{_THAI}]+)|(?P<word>(?:(?![{_HAN}{_KATA}{_HIRA}{_HANGUL}{_THAI}])[^\W_])+)")
_HAN_RUN = re.compile(rf"[{_HAN}]+")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_ARABIC_MARKS = re.compile(r"[\u0640\u064b-\u065f\u0670]")  # tatweel and harakat
# Letters people write either way: final alef maksura for ya (مجانى/مجاني; ISRI folds hamzas and
# ta marbuta itself, not this), Persian keheh and farsi yeh on Arabic keyboards set to Persian.
_ARABIC_LETTERS = str.maketrans({"\u0649": "\u064a", "\u06a9": "\u0643", "\u06cc": "\u064a"})

STEMMED = ("da", "de", "en", "es", "fi", "fr", "hu", "it", "nl", "no", "pt", "ro", "ru", "sv")  # snowball
_NOT_FOLDED = ("ru",)  # folding would merge distinct Cyrillic letters (и/й)
_MISSING = object()

# Question words and negations stay searchable: "where is my order" and "cancel my order"
# differ by one word, and so do "not received" and "received", "can't be returned" and "return".
KEPT_WORDS = {
    "en": {"where", "when", "how", "why", "what", "which", "who", "not", "no", "nor"},
    "de": {"wo", "wann", "wie", "warum", "was", "welche", "wer", "nicht", "kein", "keine", "nichts", "ohne"},
    "fr": {"où", "quand", "comment", "pourquoi", "quoi", "quel", "quelle", "qui", "pas"},
    "es": {"dónde", "cuándo", "cómo", "qué", "quién"},
    "it": {"dove", "quando", "come", "perché", "chi"},
    "nl": {"waar", "wanneer", "hoe", "waarom", "wat", "wie"},
    "pt": {"onde", "quando", "como", "porque", "quem"},
}
# Arabic question words and negations (لا "not", لم/لن "did/will not", ليس "is not", غير "non-",
# and the spoken ما/مش/مو "not"): "which items can't be returned" (التي لا يمكن إرجاعها) must not
# rank like "return an item", and "ما وصل" ("has not arrived") must not match every وصل.
ARABIC_KEPT = frozenset({"أين", "اين", "متى", "كيف", "لماذا", "لا", "لم", "لن", "ليس", "وليس", "غير", "بدون",
                         "ما", "مش", "مو"})
# English contractions, with or without the apostrophe people skip when typing fast.
_EN_NEGATION = re.compile(r"\b(ca|do|does|did|is|are|was|were|wo|have|has|had|could|should|would)(?:n['’]?t|nnot)\b")

_JA_NEGATION = frozenset({"ない"})  # 届いていない "has not arrived": kept when other kana bigrams are dropped
_ZH_STOP = frozenset("的 了 和 与 及 或 是 在 我 我的 你 您 您的 他 她 它 吗 呢 吧 啊 呀 么 嘛 哦 个 这 那 这个 那个 "
                     "请问 请 可以 能 能否 一下 一个 有 要 会 就 都 也 还 把 被 给 让 对 从 到 为 之 其 该 以 及其 "
                     "中 上 下 后 前 时".split())  # question words (哪里, 怎么, 什么...) stay searchable


def base_language(lang: str) -> str:
    """`pt-BR` -> `pt`, `zh-CN` -> `zh`."""
    return lang.split("-")[0].split("_")[0].lower()


def fold(text: str) -> str:
    """Lower-case and strip accents, keeping one character per character (so offsets still match)."""
    return text.lower().translate(_FOLD)


class _FoldTable(dict):
    """str.translate table that learns lazily, one code point at a time, what a letter folds to."""

    def __missing__(self, code: int) -> str | int:
        ch = chr(code)
        if code < 128 or not _LATIN.match(ch):
            result: str | int = code
        else:
            base = unicodedata.normalize("NFKD", ch)[0]
            result = base if len(base) == 1 and base.isalpha() else code
        self[code] = result
        return result


_FOLD = _FoldTable()


class Analyzer:
    """Turns text of one language into terms; `query=True` applies query-only rules."""

    name = "base"
    density = 1.0  # terms per word, relative to a language written with spaces

    def __init__(self, lang: str):
        self.lang = lang

    def terms(self, text: str, query: bool = False) -> list[str]:
        """The index terms of text, in order (duplicates kept: frequencies matter)."""
        raise NotImplementedError

    def weight(self, term: str) -> float:
        """How much a query term counts (1.0 unless a language says otherwise)."""
        return 1.0

    def core_terms(self, text: str) -> list[str]:
        """The query terms that stand for the words typed (what a good answer must contain), without
        helper terms an analyzer adds only to find more (Chinese: bigrams around lone hanzi)."""
        return list(dict.fromkeys(self.terms(text, query=True)))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.lang!r})"


class StemmingAnalyzer(Analyzer):
    """Words, stop words removed, stemmed (cached), accents folded: the European languages."""

    name = "stem"

    def __init__(self, lang: str):
        super().__init__(lang)
        from whoosh.lang import NoStopWords, stemmer_for_language, stopwords_for_language

        base = base_language(lang)
        self._stem = stemmer_for_language(base)
        self._fold = base not in _NOT_FOLDED
        self._english = base == "en"
        try:
            stop = set(stopwords_for_language(base))
        except NoStopWords:  # Romanian has a stemmer but no stop list
            stop = set()
        keep = {fold(w) for w in KEPT_WORDS.get(base, ())}
        stop = {w for w in stop if fold(w) not in keep}
        self.stopwords = frozenset(stop) | (frozenset(fold(w) for w in stop) if self._fold else frozenset())
        self._cache: dict[str, str] = {}
        self._lock = threading.Lock()  # some stemmers keep state on the instance

    def word(self, word: str) -> str | None:
        """Stem and fold one lower-case word (cached); None for a stop word or a single letter."""
        term = self._cache.get(word, _MISSING)
        if term is not _MISSING:
            return term
        folded = fold(word) if self._fold else word
        if len(word) < 2 or word in self.stopwords or folded in self.stopwords:
            term = None
        else:
            with self._lock:
                term = self._stem(word)
            if self._fold:
                term = fold(term)
        if len(self._cache) < 200_000:
            self._cache[word] = term
        return term

    def terms(self, text: str, query: bool = False) -> list[str]:
        cache, word = self._cache, self.word
        out = []
        text = text.lower()
        if self._english and "n" in text:
            text = _EN_NEGATION.sub(lambda m: {"ca": "can", "wo": "will"}.get(m[1], m[1]) + " not", text)
        for w in _WORD.findall(text):
            term = cache.get(w, _MISSING)
            if term is _MISSING:
                term = word(w)
            if term:
                out.append(term)
        return out


class ArabicAnalyzer(StemmingAnalyzer):
    """Arabic: tatweel and short vowels removed, then Whoosh's ISRI root stemmer."""

    name = "arabic"

    def __init__(self, lang: str):
        Analyzer.__init__(self, lang)
        from whoosh.lang.isri import ISRIStemmer

        stemmer = ISRIStemmer()
        self._stem = stemmer.stem
        self.stopwords = frozenset(stemmer.stop_words) | frozenset(
            "في من على إلى الى عن أن ان هل ما ماذا لم لن لا هذا هذه ذلك التي الذي مع أو او قد كان "
            "يمكن يمكنني أريد اريد لي لك هو هي نحن أنا انا".split()) - ARABIC_KEPT
        self.stopwords |= frozenset(w.translate(_ARABIC_LETTERS) for w in self.stopwords)  # على -> علي too
        self._fold = False
        self._english = False
        self._cache = {}
        self._lock = threading.Lock()

    def terms(self, text: str, query: bool = False) -> list[str]:
        return super().terms(_ARABIC_MARKS.sub("", text).translate(_ARABIC_LETTERS), query)


class ChineseAnalyzer(Analyzer):
    """Chinese: jieba's dictionary segmentation in search mode; Latin words stemmed as English."""

    name = "jieba"
    density = 2.5  # words and characters

    def weight(self, term: str) -> float:
        """A lone hanzi is usually a piece of the word meant (货 of 退货): it counts half."""
        return 0.5 if len(term) == 1 and not term.isascii() else 1.0

    def __init__(self, lang: str):
        super().__init__(lang)
        self._tokenize = _jieba_tokenizer()
        self._english = analyzer_for("en")

    def core_terms(self, text: str) -> list[str]:
        return list(dict.fromkeys(self._words(unicodedata.normalize("NFKC", text).lower())[0]))

    def terms(self, text: str, query: bool = False) -> list[str]:
        text = unicodedata.normalize("NFKC", text).lower()
        out, lone = self._words(text)
        # Documents also index every hanzi on its own, and a query adds the bigrams around a
        # character the segmenter left alone. Together they recover words that the dictionary
        # segments differently in a short query than in a text (退货运费 -> 退 / 货运 / 运费: the
        # bigram 退货 still finds documents with the word 退货), and colloquial one-character
        # words (坏了 "broken" finds 损坏 "damaged").
        seen = set(out)
        for m in _HAN_RUN.finditer(text):
            run, base = m.group(), m.start()
            if not query:
                out.extend(ch for ch in run if ch not in seen and ch not in _ZH_STOP)
                continue
            for i in range(len(run) - 1):
                gram = run[i:i + 2]
                if gram not in seen and gram not in _ZH_STOP and (base + i in lone or base + i + 1 in lone):
                    out.append(gram)
        return out

    def _words(self, text: str) -> tuple[list[str], set[int]]:
        """The segmenter's words (stop words out, Latin words stemmed as English) and the offsets
        of hanzi it left on their own."""
        out = []
        english = self._english.word
        lone = set()  # offsets of hanzi the segmenter left on their own
        for word, start, end in self._tokenize(text):
            if end - start == 1:
                lone.add(start)
            word = word.strip()
            if not word or word in _ZH_STOP or not _WORD.search(word):
                continue
            if word.isascii():
                word = english(word) if len(word) > 1 else None
                if not word:
                    continue
            out.append(word)
        return out, lone


@lru_cache(maxsize=1)
def _jieba_tokenizer():
    """The segmenter: rjieba (jieba-rs) when installed, else jieba; both use jieba's dictionary."""
    try:
        import rjieba

        return lambda text: rjieba.tokenize(text, mode="search")
    except ImportError:  # pragma: no cover - depends on the environment
        import logging

        import jieba

        jieba.setLogLevel(logging.WARNING)
        tokenizer = jieba.Tokenizer()
        return lambda text: list(tokenizer.tokenize(text, mode="search"))


class NgramAnalyzer(Analyzer):
    """Bigrams for scripts written without spaces (kanji, kana, hangul, Thai); words otherwise."""

    name = "ngram"
    density = 2.0  # bigrams

    def terms(self, text: str, query: bool = False) -> list[str]:
        text = unicodedata.normalize("NFKC", text).lower()
        out: list[str] = []
        hira: list[str] = []
        strong = False
        for m in _RUNS.finditer(text):
            run, kind = m.group(), m.lastgroup
            if kind == "word":
                if len(run) > 1 or run.isdigit():
                    out.append(fold(run))
                continue
            if kind == "hira":
                if len(run) > 1:
                    grams = [run[i:i + 2] for i in range(len(run) - 1)]
                    (hira if query else out).extend(grams)
                continue
            strong = True
            if len(run) == 1:
                out.append(run)
            else:
                out.extend(run[i:i + 2] for i in range(len(run) - 1))
        if query and hira:
            out.extend(hira if not strong else [g for g in hira if g in _JA_NEGATION])
        return out


@lru_cache(maxsize=None)
def analyzer_for(lang: str) -> Analyzer:
    """The analyzer for a language code (cached: one instance per language per process)."""
    base = base_language(lang)
    if base == "ar":
        return ArabicAnalyzer(lang)
    if base == "zh":
        return ChineseAnalyzer(lang)
    if base in STEMMED:
        return StemmingAnalyzer(lang)
    return NgramAnalyzer(lang)


def scripts(text: str) -> set[str]:
    """The scripts of the letters in a query: `latin`, `cjk`, `kana`, `arabic`, `cyrillic`, ...
    Used to skip indexes a query cannot match when no language is given."""
    found = set()
    for ch in set(text):
        if ch.isalpha():
            found.add(_script_of(ch))
    return found


@lru_cache(maxsize=4096)
def _script_of(ch: str) -> str:
    name = unicodedata.name(ch, "")
    first = name.split(" ")[0].lower()
    if first in ("hiragana", "katakana") or ch == "\u30fc":
        return "kana"
    if first == "cjk" or ch in "\u3005\u3006":
        return "cjk"
    return first or "other"


_LANG_SCRIPTS = {
    "ja": {"cjk", "kana"}, "zh": {"cjk"}, "ko": {"hangul"}, "th": {"thai"}, "el": {"greek"}, "he": {"hebrew"},
    "ar": {"arabic"}, "fa": {"arabic"}, "ur": {"arabic"}, "hi": {"devanagari"}, "mr": {"devanagari"},
    "ne": {"devanagari"}, "bn": {"bengali"}, "ta": {"tamil"}, "ka": {"georgian"}, "hy": {"armenian"},
    **{code: {"cyrillic"} for code in ("ru", "uk", "bg", "be", "mk", "sr", "kk", "mn")},
}


def language_scripts(lang: str) -> set[str]:
    """The scripts a language is written in (Latin unless known otherwise)."""
    return _LANG_SCRIPTS.get(base_language(lang), {"latin"})
