"""Load a content folder into a Catalog, collecting every problem instead of stopping at the first."""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
import sys
import zoneinfo
from dataclasses import dataclass
from pathlib import Path

from kb_builder.errors import Mark, Problem, ProblemList
from kb_builder.layout import KB_FILE, KIND_FOLDERS, MARKETS_FOLDER, SYNONYMS_FOLDER, YAML_SUFFIXES
from kb_builder.loading.cache import FileCache, context_key, note_digest, parsed_digest
from kb_builder.loading.cache import enabled as cache_enabled
from kb_builder.loading.schemas import ID
from kb_builder.loading.validate import validate
from kb_builder.loading.yamlfile import Y, not_regular, read_yaml
from kb_builder.model import (Authority, Branch, Catalog, Category, Channel, Entry, Faq, LearningPath, Market,
                              MarketScope, Module, QuizQuestion, Settings, Sop, Step, Template, Translation)
from kb_builder.runtime.parallel import can_fork, job_count, map_forked

TEMPLATE_FIELDS = ("title", "subject", "body")  # translatable, in fingerprint order
_ID_RE = re.compile(ID)
FILES_PER_WORKER = 150  # entry files to read before a second worker pays for its start


@dataclass
class LoadResult:
    """A catalog (None when kb.yaml itself is unusable) and everything wrong with the content."""

    catalog: Catalog | None
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return self.catalog is not None and not any(p.severity == "error" for p in self.problems)


def shown_path(path: Path) -> str:
    """The path as the author should see it: relative to the working folder when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else rel


def load(content: Path, use_cache: bool = True, later: list | None = None) -> LoadResult:
    """Read kb.yaml, markets and every entry under `content`; validate what one file can tell.

    Unchanged entry files come from a per-file cache (see loading/cache.py) unless use_cache is False.
    When `later` is a list, writing the cache is appended to it for the caller to run once its
    answer is given (see runtime/detached.py) instead of being done here.
    """
    problems = ProblemList()
    content = Path(content)
    kb_file = content / KB_FILE
    if kb_file.is_symlink() and not _inside(kb_file, content.resolve(), problems, "file"):
        return LoadResult(None, problems.items)
    if not kb_file.is_file():
        problems.error("missing-kb-yaml", f"no kb.yaml in {shown_path(content)}",
                       "create it with name, source_language and languages (see content-format.md)",
                       Mark(shown_path(kb_file)))
        return LoadResult(None, problems.items)
    settings = _settings(kb_file, problems)
    if settings is None:
        return LoadResult(None, problems.items)
    ctx = _Context(settings, problems)
    catalog = Catalog(root=str(content), settings=settings)
    for file in _files(content / MARKETS_FOLDER, problems):
        market = _market(file, ctx)
        if market:
            if market.code in catalog.markets:
                problems.error("duplicate-id", f"market {market.code} is defined twice",
                               f"remove one of {catalog.markets[market.code].file} and {market.file}",
                               market.marks.get("code"))
            else:
                catalog.markets[market.code] = market
    ctx.markets = set(catalog.markets)
    cache = FileCache(content, context_key(kb_file, ctx.markets)) if use_cache and cache_enabled() else None
    builders = {"sop": (_sop, catalog.sops), "faq": (_faq, catalog.faqs),
                "template": (_template, catalog.templates), "path": (_path, catalog.paths)}
    listed = {kind: _listed(content / KIND_FOLDERS[kind]) for kind in builders}
    built = _build_on_every_core(listed, builders, ctx, cache)
    for kind, (build, table) in builders.items():
        files, listing_problems = listed[kind]
        problems.extend(listing_problems)
        for file in files:
            make = (lambda: build(file, ctx)) if file not in built else _replay(built.pop(file), file, problems)
            if cache is None:
                entry = make()
            else:
                entry = cache.build(file, cache.shown(file, shown_path), make, problems)
            if entry is None:
                continue
            if entry.id in table:
                problems.error("duplicate-id", f"{kind} id '{entry.id}' is used twice",
                               f"rename one of {table[entry.id].file} and {entry.file}", entry.mark,
                               entry=f"{kind}:{entry.id}")
                continue
            table[entry.id] = entry
    if cache is not None:
        if later is None:
            cache.save()
        else:
            later.append(cache.save)
    for file in _files(content / SYNONYMS_FOLDER, problems):
        _synonyms(file, catalog, ctx)
    return LoadResult(catalog, problems.items)


@dataclass
class _Built:
    """One entry file read by a worker: the entry, the problems found in it, the digest of the bytes parsed."""

    entry: Entry | None
    problems: list[Problem]
    digest: bytes | None


def _listed(folder: Path) -> tuple[list[Path], list[Problem]]:
    """The files of `_files(folder)` and the problems listing them found."""
    problems = ProblemList()
    return _files(folder, problems), problems.items


def _build_on_every_core(listed: dict, builders: dict, ctx: "_Context", cache: FileCache | None) -> dict[Path, _Built]:
    """The entry files that the cache cannot give, read on every core when there are many: this
    process reads one share while forked workers read the others (one fork fewer, and one share's
    entries are not pickled back; about 0.1 s of CPU on the medium preset).

    Reading is YAML composing, schema validation and building the entry, per file and
    independent of the other files (kb.yaml and the markets are read before), so workers that
    inherit the context do exactly what the loop in `load` would do; their problems and parsed
    digests are replayed there in file order, so the result is the same as reading one by one.
    """
    todo = []
    for kind, (build, _table) in builders.items():
        for file in listed[kind][0]:
            if cache is None or not cache.fresh(file, cache.shown(file, shown_path)):
                todo.append((file, build))
    jobs = min(job_count(4), len(todo) // FILES_PER_WORKER)
    if jobs < 2 or not can_fork():
        return {}

    def read_slice(start: int) -> list[tuple[Path, _Built]]:
        out = []
        for file, build in todo[start::jobs]:  # interleaved: big and small files spread over workers
            first = len(ctx.problems.items)
            entry = build(file, ctx)
            out.append((file, _Built(entry, ctx.problems.items[first:], parsed_digest(file))))
            del ctx.problems.items[first:]
        return out

    return {file: done for part in map_forked(read_slice, range(jobs), jobs, here=True) for file, done in part}


def _replay(done: _Built, file: Path, problems: ProblemList):
    """A builder that gives what a worker built for `file`, as if it had read the file here."""

    def make():
        problems.extend(done.problems)
        if done.digest is not None:
            note_digest(file, done.digest)
        return done.entry

    return make


def _synonyms(file: Path, catalog: Catalog, ctx: _Context) -> None:
    """synonyms/<lang>.yaml: the file name is a language of kb.yaml; groups of two or more texts."""
    doc, shown = _read(file, "synonyms", ctx.problems)
    if doc is None:
        return
    lang = file.stem
    if not ctx.lang(lang, Mark(shown, 1, 1), f"the synonyms file {file.name}"):
        return
    catalog.synonyms[lang] = [[" ".join(str(w.value).split()) for w in group.value]
                              for group in doc.value["groups"].value]


def _files(folder: Path, problems: ProblemList) -> list[Path]:
    """The YAML files directly in folder that may be read: regular files inside the content folder.

    A symbolic link is followed only when it stays inside the content folder (a link to a secret
    file would print its lines in warnings, a link to a YAML file elsewhere would be published);
    a FIFO or device named x.yaml is refused before it is opened (see yamlfile.read_limited).
    """
    root = folder.parent.resolve()
    try:
        if not folder.is_dir():
            return []
        if not _inside(folder, root, problems, "folder"):
            return []
        names = sorted(folder.iterdir())
    except OSError as exc:
        problems.error("unreadable-folder", f"cannot list the folder {shown_path(folder)}: {exc.strerror}",
                       "check the folder's permissions", Mark(shown_path(folder)))
        return []
    files = []
    for f in names:
        if f.name.startswith("."):
            continue
        try:
            st = f.lstat()
            is_dir = stat.S_ISDIR(st.st_mode) or (stat.S_ISLNK(st.st_mode) and f.is_dir())
        except OSError:
            is_dir = False
        if is_dir:
            continue
        if f.suffix in YAML_SUFFIXES:
            if _inside(f, root, problems, "file"):
                try:  # refused here too, so that the cache never opens it either
                    mode = f.stat().st_mode
                except OSError:
                    mode = stat.S_IFREG  # read_yaml reports it
                if stat.S_ISREG(mode):
                    files.append(f)
                else:
                    not_regular(mode, shown_path(f), problems)
        elif f.suffix not in (".md", ".txt") and not f.name.endswith("~"):
            problems.warning("ignored-file", f"{f.name} is not a .yaml file and is ignored",
                             "rename it to .yaml or move it out of the content folder", Mark(shown_path(f)))
    return files


def _inside(path: Path, root: Path, problems: ProblemList, what: str) -> bool:
    """True when path (through any symbolic links) is inside root; otherwise an error naming it."""
    if not path.is_symlink():
        return True
    shown = shown_path(path)
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError) as exc:  # missing target, or a loop (RuntimeError before 3.13)
        reason = "its target does not exist" if isinstance(exc, FileNotFoundError) else "it cannot be followed (a loop?)"
        problems.error("broken-link", f"{shown} is a symbolic link and {reason}",
                       f"remove the link or point it at a {what} inside the content folder", Mark(shown))
        return False
    if not target.is_relative_to(root):
        problems.error("link-outside", f"{shown} is a symbolic link to {target}, outside the content folder",
                       f"copy the {what} into the content folder instead of linking to it", Mark(shown))
        return False
    return True


class _Context:
    """What per-file validation needs to know: languages, markets, categories, the problem list."""

    def __init__(self, settings: Settings, problems: ProblemList):
        self.settings = settings
        self.problems = problems
        self.markets: set[str] = set()

    def lang(self, code: str, mark: Mark | None, what: str, **kw) -> bool:
        if code in self.settings.languages:
            return True
        self.problems.error("unknown-language", f"{what} uses the language '{code}', which kb.yaml does not list",
                            "add it to kb.yaml languages, or fix the code (e.g. de, pt-BR, zh-CN)", mark, lang=code, **kw)
        return False

    def scope(self, doc: Y | None, mark: Mark | None, entry: str | None = None) -> MarketScope:
        if doc is None or doc.value == "all":
            return MarketScope()
        codes = []
        for item in doc.value:
            code = str(item.value).upper()
            if code not in self.markets:
                known = ", ".join(sorted(self.markets)) or "none yet"
                self.problems.error("unknown-market", f"unknown market '{item.value}'",
                                    f"known markets: {known}; add content/markets/{code.lower()}.yaml or fix the code",
                                    item.mark, entry=entry, market=code)
            codes.append(code)
        return MarketScope(tuple(dict.fromkeys(codes)), all=False)

    def date(self, doc: Y | None, entry: str | None = None) -> dt.date | None:
        if doc is None or not isinstance(doc.value, str):
            return None
        try:
            return dt.date.fromisoformat(doc.value)
        except ValueError:
            self.problems.error("bad-date", f"'{doc.value}' is not a real date", "write an existing date as YYYY-MM-DD",
                                doc.mark, entry=entry)
            return None


def _read(file: Path, kind: str, problems: ProblemList) -> tuple[Y | None, str]:
    shown = shown_path(file)
    doc = read_yaml(file, shown, problems)
    if doc is None:
        return None, shown
    if not validate(kind, doc, problems):
        return None, shown
    return doc, shown


def _text(doc: Y, key: str) -> str:
    v = doc.get(key)
    return "" if v is None or v.value is None else str(v.value)


def _flag(doc: Y, key: str) -> bool:
    v = doc.get(key)
    return v is not None and v.value is True


def _list(doc: Y | None, key: str) -> list:
    v = doc.get(key) if doc is not None else None
    return [i.value for i in v.value] if v is not None and isinstance(v.value, list) else []


def _settings(file: Path, problems: ProblemList) -> Settings | None:
    doc, shown = _read(file, "kb", problems)
    if doc is None:
        return None
    languages = _list(doc, "languages")
    source = _text(doc, "source_language")
    s = Settings(name=_text(doc, "name"), source_language=source, languages=languages, file=shown,
                 review_every_days=doc.get("review_every_days").value if doc.get("review_every_days") else 180,
                 site_url=_text(doc, "site_url"), feedback_url=_text(doc, "feedback_url"),
                 semantic_search=_flag(doc, "semantic_search"),
                 marks={"source_language": doc.get("source_language").mark, "languages": doc.get("languages").mark})
    if source not in languages:
        problems.error("unknown-language", f"the source language '{source}' is not in languages",
                       f"add {source} to languages", doc.get("source_language").mark)
    for lang in {l for l in languages if languages.count(l) > 1}:
        problems.error("duplicate-language", f"language '{lang}' is listed twice", "list each language once",
                       doc.get("languages").mark)
    ctx = _Context(s, problems)
    cats = doc.get("categories")
    for key, names in (cats.value.items() if cats else []):
        for lang, name in names.value.items():
            ctx.lang(lang, name.key_mark, f"category '{key}'")
        s.categories[key] = Category(key, {lang: n.value for lang, n in names.value.items()})
        s.marks[f"categories.{key}"] = names.key_mark
    labels = doc.get("labels")
    for lang, table in (labels.value.items() if labels else []):
        ctx.lang(lang, table.key_mark, "labels")
        s.labels[lang] = {k: v.value for k, v in table.value.items()}
    export = doc.get("export")
    if export is not None and isinstance(export.value, dict):  # read by kb_builder/export
        s.marks["export"] = export.key_mark or export.mark
        for target, block in export.value.items():
            s.export[target] = block.plain() if isinstance(block.value, dict) else {}
            s.marks[f"export.{target}"] = block.key_mark or block.mark
            for key, sub in (block.value.items() if isinstance(block.value, dict) else ()):
                s.marks[f"export.{target}.{key}"] = sub.key_mark or sub.mark
    return s


def _check_id(doc: Y, file: Path, shown: str, kind: str, problems: ProblemList) -> str | None:
    stem = file.stem
    given = doc.get("id")
    if given is not None and given.value != stem:
        problems.error("id-mismatch", f"id '{given.value}' differs from the file name '{file.name}'",
                       f"rename the file to {given.value}{file.suffix} or set id: {stem}", given.mark,
                       entry=f"{kind}:{given.value}")
        return None
    if not _ID_RE.fullmatch(stem):
        problems.error("bad-id", f"the file name '{file.name}' is not a valid id",
                       "use lowercase letters, digits and '-' (at most 64), e.g. damaged-item.yaml", Mark(shown, 1, 1),
                       entry=f"{kind}:{stem}")
        return None
    return stem


def _market(file: Path, ctx: _Context) -> Market | None:
    problems = ctx.problems
    doc, shown = _read(file, "market", problems)
    if doc is None:
        return None
    code = _text(doc, "code")
    if code.lower() != file.stem:
        problems.error("id-mismatch", f"market code '{code}' does not match the file name '{file.name}'",
                       f"name the file {code.lower()}.yaml, or set code: {file.stem.upper()}", doc.get("code").mark)
        return None
    langs = _list(doc, "languages")
    for i, lang in enumerate(langs):
        ctx.lang(lang, doc.get("languages").value[i].mark, f"market {code}", market=code)
    tz = _text(doc, "timezone")
    try:
        zoneinfo.ZoneInfo(tz)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a file name
        shown_tz = tz if len(tz) <= 60 else tz[:60] + "…"
        problems.error("bad-timezone", f"'{shown_tz}' is not a known IANA time zone",
                       "use a name like Europe/Berlin or Asia/Tokyo", doc.get("timezone").mark, market=code)
    channels = []
    seen_types: set[str] = set()
    for ch in (doc.get("channels").value if doc.get("channels") else []):
        t = _text(ch, "type")
        if t in seen_types:
            problems.error("duplicate-channel", f"market {code} lists the channel '{t}' twice",
                           "merge them into one entry", ch.mark, market=code)
        seen_types.add(t)
        frh = ch.get("first_response_hours")
        mc = ch.get("max_chars")
        channels.append(Channel(t, _text(ch, "address") or _text(ch, "url"), frh.value if frh else None, ch.mark,
                                number=_text(ch, "number"), url=_text(ch, "url"), max_chars=mc.value if mc else None))
    vars_ = {k: _var_text(v.value) for k, v in (doc.get("vars").value.items() if doc.get("vars") else [])}
    marks = {k: v.mark for k, v in doc.value.items()}
    for k, v in (doc.get("vars").value.items() if doc.get("vars") else []):
        marks[f"vars.{k}"] = v.mark
    return Market(code=code, name=_text(doc, "name"), languages=langs, currency=_text(doc, "currency"), timezone=tz,
                  support_hours=_text(doc, "support_hours"), channels=channels, vars=vars_,
                  notes=_text(doc, "notes"), file=shown, marks=marks)


def _var_text(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _common(doc: Y, file: Path, shown: str, kind: str, ctx: _Context, default_audience: str) -> dict | None:
    ident = _check_id(doc, file, shown, kind, ctx.problems)
    if ident is None:
        return None
    ref = f"{kind}:{ident}"
    return dict(id=ident, file=shown, audience=_text(doc, "audience") or default_audience,
                markets=ctx.scope(doc.get("markets"), doc.get("markets").mark if doc.get("markets") else None, ref),
                reviewed=ctx.date(doc.get("reviewed"), ref),
                review_every_days=doc.get("review_every_days").value if doc.get("review_every_days") else None,
                owner=_text(doc, "owner"), tags=_list(doc, "tags"), mark=Mark(shown, 1, 1),
                draft=_flag(doc, "draft"),
                marks={k: doc.get(k).mark for k in ("reviewed", "markets", "owner", "draft") if doc.get(k) is not None})


def _translations(doc: Y, entry: Entry, flatten, ctx: _Context) -> None:
    """Read `translations:`; `flatten(block)` yields (field path, text, mark) for one language."""
    block = doc.get("translations")
    if block is None:
        return
    for lang, tr in block.value.items():
        if not ctx.lang(lang, tr.key_mark, f"{entry.ref} translation", entry=entry.ref):
            continue
        if lang == ctx.settings.source_language:
            ctx.problems.error("translation-of-source", f"{entry.ref} has a translation into the source language '{lang}'",
                               "edit the source text instead and remove this translation", tr.key_mark,
                               entry=entry.ref, lang=lang)
            continue
        fields: dict[str, str] = {}
        for path, text, mark in flatten(tr):
            if path not in entry.source:
                ctx.problems.error("translation-unknown-field",
                                   f"the {lang} translation has '{path}', which the source text does not have",
                                   "remove it or add the field to the source", mark, entry=entry.ref, lang=lang)
                continue
            fields[path] = text
            entry.marks[sys.intern(f"translations.{lang}.{path}")] = mark
        frm = tr.get("from")
        rev_days = tr.get("review_every_days")
        entry.translations[lang] = Translation(
            lang=lang, fields=fields, source_fingerprint=frm.value if frm else None,
            reviewed=ctx.date(tr.get("reviewed"), entry.ref), review_every_days=rev_days.value if rev_days else None,
            mark=tr.mark, from_mark=frm.mark if frm else None)
        entry.marks[sys.intern(f"translations.{lang}")] = tr.key_mark or tr.mark
        if tr.get("reviewed") is not None:
            entry.marks[sys.intern(f"translations.{lang}.reviewed")] = tr.get("reviewed").mark


def _flat_simple(keys: tuple[str, ...]):
    def flatten(tr: Y):
        for key in keys:
            v = tr.get(key)
            if v is not None and v.value:
                yield key, v.value, v.mark
    return flatten


def _faq(file: Path, ctx: _Context) -> Faq | None:
    doc, shown = _read(file, "faq", ctx.problems)
    if doc is None:
        return None
    common = _common(doc, file, shown, "faq", ctx, "public")
    if common is None:
        return None
    src = doc.get("source")
    source = {k: src.get(k).value for k in ("question", "answer")}
    faq = Faq(**common, source=source, category=_text(doc, "category"), internal_note=_text(doc, "internal_note"),
              related=_list(doc, "related"))
    faq.marks.update({k: src.get(k).mark for k in source})
    faq.marks["category"] = doc.get("category").mark
    _ref_marks(doc, faq, ("related",))
    cat = faq.category
    if cat not in ctx.settings.categories:
        known = ", ".join(sorted(ctx.settings.categories)) or "none defined"
        ctx.problems.error("unknown-category", f"unknown category '{cat}'",
                           f"use one of: {known}; or add it to kb.yaml categories", doc.get("category").mark,
                           entry=faq.ref)
    _translations(doc, faq, _flat_simple(("question", "answer")), ctx)
    return faq


def _template(file: Path, ctx: _Context) -> Template | None:
    doc, shown = _read(file, "template", ctx.problems)
    if doc is None:
        return None
    common = _common(doc, file, shown, "template", ctx, "internal")
    if common is None:
        return None
    src = doc.get("source")
    source = {k: src.get(k).value for k in TEMPLATE_FIELDS if src.get(k) is not None and src.get(k).value}
    t = Template(**common, source=source, channel=_text(doc, "channel"), scenario=_text(doc, "scenario") or None,
                 tone=_text(doc, "tone"), placeholders=_list(doc, "placeholders"))
    t.marks.update({k: src.get(k).mark for k in source})
    for key in ("scenario", "placeholders", "channel"):
        if doc.get(key) is not None:
            t.marks[key] = doc.get(key).mark
    _translations(doc, t, _flat_simple(TEMPLATE_FIELDS), ctx)
    return t


def _ref_marks(doc: Y, entry, keys: tuple[str, ...]) -> None:
    for key in keys:
        v = doc.get(key)
        if v is not None:
            for i, item in enumerate(v.value):
                entry.marks[f"{key}.{i}"] = item.mark


def _sop(file: Path, ctx: _Context) -> Sop | None:
    doc, shown = _read(file, "sop", ctx.problems)
    if doc is None:
        return None
    common = _common(doc, file, shown, "sop", ctx, "internal")
    if common is None:
        return None
    ref = f"sop:{common['id']}"
    source: dict[str, str] = {}
    marks: dict[str, Mark] = {}
    for key in ("title", "summary", "trigger"):
        v = doc.get(key)
        if v is not None and v.value:
            source[key], marks[key] = v.value, v.mark
    steps: list[Step] = []
    for s in doc.get("steps").value:
        sid = s.get("id").value
        if any(st.id == sid for st in steps):
            ctx.problems.error("duplicate-step", f"step id '{sid}' is used twice in this SOP",
                               "give every step its own id", s.get("id").mark, entry=ref)
            continue
        source[f"steps.{sid}.do"] = s.get("do").value
        marks[f"steps.{sid}.do"] = s.get("do").mark
        branches = []
        for i, b in enumerate(s.get("branches").value if s.get("branches") else []):
            for key in ("if", "then"):
                source[f"steps.{sid}.branches.{i}.{key}"] = b.get(key).value
                marks[f"steps.{sid}.branches.{i}.{key}"] = b.get(key).mark
            nxt = b.get("next")
            branches.append(Branch(next=nxt.value if nxt else None, mark=nxt.mark if nxt else b.mark))
        step = Step(id=sid, markets=ctx.scope(s.get("markets"), None, ref), templates=_list(s, "templates"),
                    faq=_list(s, "faq"), branches=branches, mark=s.mark)
        for key in ("templates", "faq"):
            for i, item in enumerate(s.get(key).value if s.get(key) else []):
                marks[f"steps.{sid}.{key}.{i}"] = item.mark
        steps.append(step)
    authority = []
    for i, a in enumerate(doc.get("authority").value if doc.get("authority") else []):
        source[f"authority.{i}.may"] = a.get("may").value
        marks[f"authority.{i}.may"] = a.get("may").mark
        authority.append(Authority(role=a.get("role").value, mark=a.mark))
    escalate = _list(doc, "escalate_when")
    for i, item in enumerate(doc.get("escalate_when").value if doc.get("escalate_when") else []):
        source[f"escalate_when.{i}"] = item.value
        marks[f"escalate_when.{i}"] = item.mark
    fr = doc.get("first_response_hours")
    sop = Sop(**common, source=source, severity=_text(doc, "severity") or "medium",
              first_response_hours=fr.value if fr else None, steps=steps, authority=authority,
              escalate_when_count=len(escalate), related=_list(doc, "related"), faq=_list(doc, "faq"))
    sop.marks.update(marks)
    _ref_marks(doc, sop, ("related", "faq"))

    def flatten(tr: Y):
        for key in ("title", "summary", "trigger"):
            v = tr.get(key)
            if v is not None and v.value:
                yield key, v.value, v.mark
        for sid, st in (tr.get("steps").value.items() if tr.get("steps") else []):
            if sop.step(sid) is None:
                ctx.problems.error("translation-unknown-step", f"the translation names step '{sid}', which this SOP does not have",
                                   "use the step ids of the source steps", st.key_mark, entry=ref)
                continue
            if isinstance(st.value, str):
                yield f"steps.{sid}.do", st.value, st.mark
                continue
            if st.get("do") is not None:
                yield f"steps.{sid}.do", st.get("do").value, st.get("do").mark
            for i, b in enumerate(st.get("branches").value if st.get("branches") else []):
                for key in ("if", "then"):
                    if b.get(key) is not None and b.get(key).value:
                        yield f"steps.{sid}.branches.{i}.{key}", b.get(key).value, b.get(key).mark
        for i, a in enumerate(tr.get("authority").value if tr.get("authority") else []):
            text = a.value if isinstance(a.value, str) else a.get("may").value
            yield f"authority.{i}.may", text, a.mark
        for i, item in enumerate(tr.get("escalate_when").value if tr.get("escalate_when") else []):
            yield f"escalate_when.{i}", item.value, item.mark

    _translations(doc, sop, flatten, ctx)
    return sop


def _path(file: Path, ctx: _Context) -> LearningPath | None:
    doc, shown = _read(file, "path", ctx.problems)
    if doc is None:
        return None
    ident = _check_id(doc, file, shown, "path", ctx.problems)
    if ident is None:
        return None
    ref = f"path:{ident}"
    modules = []
    for m in doc.get("modules").value:
        quiz = [QuizQuestion(question=q.get("question").value, choices=[str(c.value) for c in q.get("choices").value],
                             answer=q.get("answer").value, mark=q.get("answer").mark)
                for q in (m.get("quiz").value if m.get("quiz") else [])]
        read = m.get("read").value if m.get("read") else []
        modules.append(Module(title=m.get("title").value, read=[r.value for r in read], exercise=_text(m, "exercise"),
                              quiz=quiz, mark=m.mark, read_marks=[r.mark for r in read]))
    return LearningPath(id=ident, file=shown, title=_text(doc, "title"), audience=_text(doc, "audience") or "internal",
                        for_roles=_list(doc, "for_roles"),
                        markets=ctx.scope(doc.get("markets"), None, ref), modules=modules,
                        summary=_text(doc, "summary"), mark=Mark(shown, 1, 1), draft=_flag(doc, "draft"),
                        marks={k: v.mark for k, v in doc.value.items()})
