"""Text analysis per language: text -> index terms, the same way at index time and at query time.

Each language gets one `Analyzer` with a single fast `terms()` method. The indexer passes the
resulting term lists straight to Whoosh (which accepts pre-analysed lists), and the query
builder analyses the query with the analyzer of the language asked for, so Whoosh's own
token-filter chains (one generator per filter per token) never run on the hot paths.

- Languages Whoosh can stem (snowball: da de en es fi fr hu it nl no pt ro ru sv tr): words,
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

ANALYSIS_VERSION = "1"  # bump when terms change: indexes built with another version are rebuilt

_WORD = re.compile(r"[^\W_]+")
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005\u3006"
_KATA = "\u30a1-\u30fa\u30fc\u31f0-\u31ff"
_HIRA = "\u3041-\u3096"
_HANGUL = "\uac00-\ud7a3"
_THAI = "\u0e00-\u0e7f\u0e80-\u0eff\u1000-\u109f\u1780-\u17ff"  # Thai, Lao, Myanmar, Khmer
_RUNS = re.compile(rf"(?P<han>[{_HAN}]+)|(?P<kata>[{_KATA}]+)|(?P<hira>[{_HIRA}]+)|(?P<hangul>[{_HANGUL}]+)"
                   rf"|(?P<thai>[{_THAI}]+)|(?P<word>[^\W_]+)")
_HAN_RUN = re.compile(rf"[{_HAN}]{{2,}}")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_ARABIC_MARKS = re.compile(r"[\u0640\u064b-\u065f\u0670]")  # tatweel and harakat

STEMMED = ("da", "de", "en", "es", "fi", "fr", "hu", "it", "nl", "no", "pt", "ro", "ru", "sv", "tr")
_NOT_FOLDED = ("ru",)  # folding would merge distinct Cyrillic letters (и/й)

_ZH_STOP = frozenset("的 了 和 与 及 或 是 在 我 我的 你 您 您的 他 她 它 吗 呢 吧 啊 呀 么 嘛 哦 个 这 那 这个 那个 "
                     "怎么 怎样 如何 什么 为什么 哪里 哪儿 请问 请 可以 能 能否 一下 一个 吗？ 有 要 会 就 都 也 还 "
                     "把 被 给 让 对 从 到 为".split())


def base_language(lang: str) -> str:
    """`pt-BR` -> `pt`, `zh-CN` -> `zh`."""
    return lang.split("-")[0].split("_")[0].lower()


def fold(text: str) -> str:
    """Lower-case and strip accents, keeping one character per character (so offsets still match)."""
    return text.lower().translate(_FoldTable())


class _FoldTable(dict):
    """str.translate table that strips accents lazily, one code point at a time."""

    _cache: dict[int, str] = {}

    def __missing__(self, code: int) -> str | int:
        cached = _FoldTable._cache.get(code)
        if cached is not None:
            return cached
        ch = chr(code)
        if code < 128 or not _LATIN.match(ch):
            result: str | int = code
        else:
            base = unicodedata.normalize("NFKD", ch)[0]
            result = base if len(base) == 1 and base.isalpha() else code
        _FoldTable._cache[code] = result  # type: ignore[assignment]
        return result


class Analyzer:
    """Turns text of one language into terms; `query=True` applies query-only rules."""

    name = "base"

    def __init__(self, lang: str):
        self.lang = lang

    def terms(self, text: str, query: bool = False) -> list[str]:
        """The index terms of text, in order (duplicates kept: frequencies matter)."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.lang!r})"


class StemmingAnalyzer(Analyzer):
    """Words, stop words removed, stemmed (cached), accents folded: the European languages."""

    name = "stem"

    def __init__(self, lang: str):
        super().__init__(lang)
        from whoosh.lang import stemmer_for_language, stopwords_for_language

        base = base_language(lang)
        self._stem = stemmer_for_language(base)
        self._fold = base not in _NOT_FOLDED
        stop = stopwords_for_language(base)
        self.stopwords = frozenset(stop) | (frozenset(fold(w) for w in stop) if self._fold else frozenset())
        self._cache: dict[str, str] = {}
        self._lock = threading.Lock()  # some stemmers keep state on the instance

    def word(self, word: str) -> str | None:
        """Stem and fold one lower-case word (cached); None for a stop word."""
        try:
            return self._cache[word]
        except KeyError:
            pass
        folded = fold(word) if self._fold else word
        if word in self.stopwords or folded in self.stopwords:
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
        word = self.word
        out = []
        for w in _WORD.findall(text.lower()):
            if len(w) > 1:
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
            "في من على إلى الى عن أن ان هل ما ماذا كيف متى أين اين لم لن لا هذا هذه ذلك التي الذي مع أو او قد كان "
            "يمكن يمكنني أريد اريد لي لك هو هي نحن أنا انا".split())
        self._fold = False
        self._cache = {}
        self._lock = threading.Lock()

    def terms(self, text: str, query: bool = False) -> list[str]:
        return super().terms(_ARABIC_MARKS.sub("", text), query)


class ChineseAnalyzer(Analyzer):
    """Chinese: jieba's dictionary segmentation in search mode; Latin words stemmed as English."""

    name = "jieba"

    def __init__(self, lang: str):
        super().__init__(lang)
        self._tokenize = _jieba_tokenizer()
        self._english = analyzer_for("en")

    def terms(self, text: str, query: bool = False) -> list[str]:
        text = unicodedata.normalize("NFKC", text).lower()
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
        # Bigrams of hanzi as well: they recover words that the dictionary segments differently
        # in a short query than in a document (退货运费 -> 退 / 货运 / 运费, so 退货 is lost).
        # Documents index every bigram; a query adds only those around a lone character.
        seen = set(out)
        for m in _HAN_RUN.finditer(text):
            run, base = m.group(), m.start()
            for i in range(len(run) - 1):
                gram = run[i:i + 2]
                if gram in seen or gram in _ZH_STOP:
                    continue
                if not query or base + i in lone or base + i + 1 in lone:
                    out.append(gram)
        return out


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
        if query and (hira and not strong):
            out.extend(hira)
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
