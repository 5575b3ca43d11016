"""The check registry and what every check receives: the catalog, today, and shared lookups."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from kb_builder.checks.codes import severity
from kb_builder.checks.fields import TextIndex, index_texts
from kb_builder.errors import Mark, Problem
from kb_builder.layout import KIND_FOLDERS
from kb_builder.model import Catalog, Entry, MarketScope


@dataclass
class CheckContext:
    """The catalog under check plus lookups several checks share, each computed once."""

    catalog: Catalog
    today: dt.date
    _fingerprints: dict[str, str] = field(default_factory=dict)
    _markets: dict[MarketScope, tuple[str, ...]] = field(default_factory=dict)
    _speaking: dict[tuple[MarketScope, str], tuple[str, ...]] = field(default_factory=dict)
    _unloaded: set[str] | None = None
    _texts: TextIndex | None = None
    _shared: dict[str, object] = field(default_factory=dict)

    def shared(self, key: str, compute: Callable[["CheckContext"], object]):
        """A value several checks need, computed by the first that asks for it."""
        if key not in self._shared:
            self._shared[key] = compute(self)
        return self._shared[key]

    @property
    def texts(self) -> TextIndex:
        """The entry texts checks look into (built on first use)."""
        if self._texts is None:
            self._texts = index_texts(self.catalog)
        return self._texts

    def fingerprint(self, entry: Entry) -> str:
        """The entry's current source fingerprint."""
        fp = self._fingerprints.get(entry.ref)
        if fp is None:
            fp = self._fingerprints[entry.ref] = entry.fingerprint()
        return fp

    def market_codes(self, scope: MarketScope) -> tuple[str, ...]:
        """Codes of the defined markets a scope covers, sorted."""
        codes = self._markets.get(scope)
        if codes is None:
            codes = self._markets[scope] = tuple(m.code for m in self.catalog.markets_of(scope))
        return codes

    def languages_needed(self, scope: MarketScope) -> list[str]:
        """Every language of every market in scope, in kb.yaml order."""
        return self.shared(f"languages:{scope}", lambda ctx: ctx.catalog.languages_needed(scope))

    def markets_speaking(self, scope: MarketScope, lang: str) -> tuple[str, ...]:
        """Codes of the markets in scope whose languages include `lang`."""
        key = (scope, lang)
        codes = self._speaking.get(key)
        if codes is None:
            markets = self.catalog.markets
            codes = self._speaking[key] = tuple(c for c in self.market_codes(scope) if lang in markets[c].languages)
        return codes

    def unloaded(self, ref: str) -> bool:
        """True when the entry's file exists but could not be loaded (the loader reported why)."""
        if self._unloaded is None:
            self._unloaded = set()
            root = Path(self.catalog.root)
            for kind, folder in KIND_FOLDERS.items():
                d = root / folder
                if d.is_dir():
                    self._unloaded.update(f"{kind}:{f.stem}" for f in d.iterdir() if f.suffix in (".yaml", ".yml"))
        return ref in self._unloaded and self.catalog.lookup(ref) is None


def finding(code: str, message: str, hint: str, mark: Mark | None, *, entry: str | None = None,
            lang: str | None = None, markets: Iterable[str] = ()) -> Problem:
    """A Problem with the documented severity of `code`; `market` is set when exactly one market is concerned."""
    codes = tuple(markets)
    return Problem(severity(code), code, message, hint, mark, entry=entry, lang=lang,
                   market=codes[0] if len(codes) == 1 else None, markets=codes)


CheckFunction = Callable[[CheckContext], Iterable[Problem]]


@dataclass(frozen=True)
class Check:
    """A registered check: its family (the module it lives in), name and function."""

    family: str
    name: str
    run: CheckFunction


REGISTRY: list[Check] = []


def check(family: str) -> Callable[[CheckFunction], CheckFunction]:
    """Decorator: register a function as a check of a family."""

    def register(fn: CheckFunction) -> CheckFunction:
        REGISTRY.append(Check(family, fn.__name__, fn))
        return fn

    return register
