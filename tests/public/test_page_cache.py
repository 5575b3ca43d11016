"""The help centers' page cache (render/public_cache.py): after every edit of a sequence on
hostile content, a rebuild that takes unchanged pages from the cache writes exactly the bytes of a
clean build (whole OUT/public tree), leaves the previous output as it was, and renders only the
pages that show what changed."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from dataclasses import replace
from pathlib import Path

import pytest

from kb_builder.model import MarketScope
from kb_builder.render.public_content import PublicChannel, PublicContent, PublicFaq, PublicMarket
from kb_builder.sites.public import build_centers
from tests.public.test_answer_shell import BUILD_DATE, HOSTILE


def tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def markets(ae_days: str = "14 <days> & \"more\"") -> list[PublicMarket]:
    return [PublicMarket(code="AE", name="Emirates <UAE>", languages=("en", "ar"), timezone="Asia/Dubai",
                         support_hours="Mon-Fri 09:00-17:00",
                         channels=(PublicChannel("email", "help@example.ae", 24, "", ""),
                                   PublicChannel("whatsapp", "", 1, "+971 50 123", "")),
                         values={"return_days": ae_days}),
            PublicMarket(code="DE", name="Deutschland", languages=("de",), timezone="Europe/Berlin",
                         support_hours="Mo-Fr 08:00-18:00", channels=(PublicChannel("phone", "+49 30 1234", 2),),
                         values={"return_days": "30 Tage"})]


def entry(i: int, question: str, answer: str, category: str = "orders", ar: bool = True, de: bool = False,
          tags: tuple[str, ...] = (), related: tuple[str, ...] = (), only: str | None = None) -> PublicFaq:
    q, a = {"en": f"{question} {i}?"}, {"en": f"{answer} Returns within {{market.return_days}}."}
    if ar:
        q["ar"], a["ar"] = f"سؤال {question} {i}", f"جواب {answer} {{market.return_days}}"
    if de:
        q["de"], a["de"] = f"Frage {question} {i}", f"Antwort {answer}"
    return PublicFaq(id=f"entry-{i}", category=category, markets=MarketScope((only,), all=False) if only else MarketScope(),
                     question=q, answer=a, updated={"en": dt.date(2026, 1, 2 + i)}, tags=tags, related=related)


def content(faqs: list[PublicFaq], labels: dict | None = None, ae_days: str | None = None) -> PublicContent:
    return PublicContent(name="Help & <Support>", source_language="en", languages=["en", "ar", "de"],
                         categories={"orders": {"en": "Orders & <more>", "ar": "الطلبات", "de": "Bestellungen"},
                                     "returns": {"en": "Returns \"refunds\""}},
                         labels=labels or {}, markets=markets(*([ae_days] if ae_days else [])), faqs=faqs,
                         site_url="https://help.example.com/", feedback_url="https://help.example.com/api/feedback")


def edit(faqs: list[PublicFaq], entry_id: str, **change) -> list[PublicFaq]:
    return [replace(f, **change) if f.id == entry_id else f for f in faqs]


def rendered(res) -> dict[str, int]:
    return {c.path: c.rendered for c in res.help_centers}


def test_a_sequence_of_edits_rebuilt_from_the_cache_equals_clean_builds(tmp_path, monkeypatch):
    monkeypatch.setenv("KB_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "content"  # the content folder the cache belongs to (never read)
    root.mkdir()
    faqs = [entry(i, HOSTILE[(3 * i) % len(HOSTILE)], HOSTILE[(3 * i + 1) % len(HOSTILE)],
                  "orders" if i < 4 else "returns", ar=i % 3 != 2, de=i % 2 == 0,
                  tags=("t",) if i % 2 else ("u",), related=("entry-5",) if i == 0 else ())
            for i in range(7)]
    state = {"faqs": faqs, "labels": None, "ae_days": None}
    long_answer = "Answer. " + "More words. " * 40 + "Edited ending </script>."

    def step(**change):
        def apply():
            state.update({k: v(state[k]) if callable(v) else v for k, v in change.items()})
        return apply

    steps = [
        ("first", step()),
        ("answer", step(faqs=lambda fs: edit(fs, "entry-1", answer={**_answer(fs, "entry-1"), "en": long_answer}))),
        ("market value", step(ae_days="21 {{days}} <b>")),
        ("label", step(labels={"ar": {"help_center": "<b>مساعدة</b> & \"x\""}})),
        ("added", step(faqs=lambda fs: [*fs, entry(9, "New {{ config }}", "Brand new </div>", "orders", tags=("t",))])),
        ("deleted", step(faqs=lambda fs: [f for f in fs if f.id != "entry-5"])),
        ("translation", step(faqs=lambda fs: edit(fs, "entry-3", question={**_question(fs, "entry-3"),
                                                                            "ar": "سؤال جديد <i>"}))),
        ("question", step(faqs=lambda fs: edit(fs, "entry-2", question={**_question(fs, "entry-2"),
                                                                         "en": "Renamed & <b>?"}))),
        ("moved", step(faqs=lambda fs: edit(fs, "entry-3", category="returns"))),
        ("one market", step(faqs=lambda fs: edit(fs, "entry-6", markets=MarketScope(("DE",), all=False)))),
        ("nothing", step()),
    ]
    previous = None
    for n, (name, apply) in enumerate(steps):
        apply()
        pub = content(state["faqs"], state["labels"], state["ae_days"])
        out = tmp_path / f"out{n}"
        before = tree(previous) if previous else None
        stored = _cache_files(tmp_path / "cache")
        res = build_centers(pub, out, root, jobs=1, previous=previous, build_date=BUILD_DATE)
        rewritten = {name_[-len("ae-en.pickle"):-len(".pickle")] for name_, stamp in _cache_files(tmp_path / "cache").items()
                     if stored.get(name_) != stamp}
        clean = tmp_path / f"clean{n}"
        build_centers(pub, clean, None, jobs=1, build_date=BUILD_DATE)
        assert tree(out) == tree(clean), name
        if previous is not None:
            assert tree(previous) == before, f"{name}: the previous output was modified"
        done = rendered(res)
        if name == "first":
            assert done == {c.path: c.pages for c in res.help_centers}
        if name == "answer":  # its page and its topic page (the excerpt), where the English text shows
            assert done == {"ae/en": 2, "ae/ar": 0, "de/de": 2}
        if name == "market value":
            assert done["de/de"] == 0 and done["ae/en"] == res.help_centers[0].pages
        if name == "label":
            assert done == {"ae/en": 0, "ae/ar": res.help_centers[1].pages, "de/de": 0}
            assert rewritten == {"ae-ar"}  # a help center that took everything from its cache keeps the file
        if name == "translation":  # the Arabic question: its page, topic page, home, answers listing it
            assert done["ae/en"] == 0 and done["de/de"] == 0 and 3 <= done["ae/ar"] < res.help_centers[1].pages
        if name == "nothing":
            assert done == {"ae/en": 0, "ae/ar": 0, "de/de": 0}
            assert all(c.built.startswith("no page changed") for c in res.help_centers)
            assert rewritten == set()
        if name == "answer":
            assert rewritten == {"ae-en", "de-de"}
        previous = out


def _cache_files(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.rglob("public-*.pickle")}


def _answer(fs, entry_id):
    return dict(next(f for f in fs if f.id == entry_id).answer)


def _question(fs, entry_id):
    return dict(next(f for f in fs if f.id == entry_id).question)


def test_a_changed_cache_entry_is_not_used_when_the_code_changes(tmp_path, monkeypatch):
    """The package's digest is part of every key: another version of the code renders every page."""
    monkeypatch.setenv("KB_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "content"
    root.mkdir()
    pub = content([entry(i, f"Q{i}", f"A{i}") for i in range(3)])
    first = build_centers(pub, tmp_path / "a", root, jobs=1, build_date=BUILD_DATE)
    import kb_builder.runtime.build_record as record

    monkeypatch.setattr(record, "package_digest", lambda root: "another version")
    again = build_centers(pub, tmp_path / "b", root, jobs=1, previous=tmp_path / "a", build_date=BUILD_DATE)
    assert rendered(again) == {c.path: c.pages for c in first.help_centers}
