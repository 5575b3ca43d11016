"""`llms.txt` and a plain Markdown copy of each answer, beside a help center's pages.

For chatbots and AI assistants (the llmstxt.org format: an H1 with the name, a blockquote
summary, then sections of links): `OUT/public/<market>/<lang>/llms.txt` lists every question of
the help center that is written in its language, by topic, each linking to
`<category>/<entry-id>.md`, the answer as plain Markdown with the market's values filled in.
Built from `PublicContent` only, like the pages (see public_content.py), so nothing internal
can be in them; raw HTML in an answer is dropped from the Markdown copy.
"""

from __future__ import annotations

import html
import json
import os
from dataclasses import dataclass
from pathlib import Path

import nh3

from kb_builder.render.common import text_hash
from kb_builder.render.public import HelpCenterPages
from kb_builder.render.public_content import PublicContent, PublicMarket
from kb_builder.variables import substitute

LLMS_FILE = "llms.txt"


@dataclass(frozen=True)
class AnswerFile:
    """One answer's Markdown copy: its path in the help center and its text."""

    path: str  # `<category>/<entry-id>.md`
    question: str
    text: str


def plain_markdown(text: str) -> str:
    """Markdown with every HTML tag removed (script and style with their content), repeated until
    nothing changes, so even escaped tags written as entities cannot come back as tags."""
    for _ in range(50):  # each round decodes one level of entities
        cleaned = html.unescape(nh3.clean(text, tags=set(), attributes={}))
        if cleaned == text:
            break
        text = cleaned
    return text


def answer_files(content: PublicContent, market: PublicMarket, lang: str) -> list[AnswerFile]:
    """The questions of the help center written in its language, with their answers as Markdown."""
    out = []
    for faq in content.faqs_for(market):
        question, answer = faq.question.get(lang), faq.answer.get(lang)
        if not (question and answer):  # shown in the source language on the pages; not for llms.txt
            continue
        q = plain_markdown(substitute(question, market.values)).strip()
        body = plain_markdown(substitute(answer, market.values)).strip("\n")
        out.append(AnswerFile(f"{faq.category}/{faq.id}.md", q, f"# {q}\n\n{body}\n"))
    return out


def llms_txt(content: PublicContent, market: PublicMarket, lang: str, answers: list[AnswerFile]) -> str:
    """The help center's llms.txt: name, summary, a section per topic, contact channels."""
    pages = HelpCenterPages(content, market, lang)
    lines = [f"# {plain_markdown(pages.site_name())}", "",
             f"> {plain_markdown(pages.labels.get('home_intro', country=pages.country))}", ""]
    by_cat: dict[str, list[AnswerFile]] = {}
    for a in answers:
        by_cat.setdefault(a.path.split("/")[0], []).append(a)
    order = list(content.categories)
    for cat in sorted(by_cat, key=lambda c: (order.index(c) if c in order else len(order), c)):
        lines += [f"## {plain_markdown(content.category_name(cat, lang))}", ""]
        lines += [f"- [{_link_text(a.question)}]({a.path})" for a in by_cat[cat]]
        lines.append("")
    channels = pages.channels()
    if channels:
        lines += [f"## {plain_markdown(pages.labels.get('contact'))}", ""]
        for ch in channels:
            detail = ", ".join(x for x in (ch.address, ch.promise) if x)
            lines.append(f"- {ch.name}" + (f": {detail}" if detail else ""))
        lines.append("")
    return "\n".join(lines)


def _link_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def write_llms_files(content: PublicContent, market: PublicMarket, lang: str, site_dir: Path,
                     answers: list[AnswerFile] | None = None) -> list[str]:
    """Write llms.txt and the answers' Markdown copies into a built help center; remove copies of
    answers that are gone. Files are replaced, never written through: the folder may hold hard
    links to the previous build's output, which must stay as it was; a file already holding its
    text is left alone. `answers`: `answer_files(content, market, lang)` when already made.

    The help center keeps a hash of each file it wrote (`.kb-llms.json`, carried over with the
    previous output): a file whose hash is recorded there is not read again to be compared.
    Without that record every file is compared by its text, and every `*/*.md` is looked at."""
    site_dir = Path(site_dir)
    answers = answer_files(content, market, lang) if answers is None else answers
    files = {a.path: a.text for a in answers}
    files[LLMS_FILE] = llms_txt(content, market, lang, answers)
    hashes = {rel: text_hash(text) for rel, text in files.items()}
    written = _read_state(site_dir)
    olds = [old.relative_to(site_dir).as_posix() for old in site_dir.glob("*/*.md")] if written is None \
        else [rel for rel in written if rel != LLMS_FILE]  # MkDocs writes no .md files into a site
    for old in olds:
        if old not in files:
            (site_dir / old).unlink(missing_ok=True)
    for rel, text in files.items():
        path = site_dir / rel
        if written is not None and written.get(rel) == hashes[rel] and path.is_file():
            continue  # written from this text by the build this output comes from
        try:  # an unchanged copy stays as it is (a rebuild rewrites only what changed)
            if path.read_text(encoding="utf-8") == text:
                continue
        except (OSError, UnicodeDecodeError):
            pass
        _replace(path, text)
    if written != hashes:
        _replace(site_dir / LLMS_STATE, json.dumps(hashes, sort_keys=True, indent=0))
    return sorted(files)


LLMS_STATE = ".kb-llms.json"


def _read_state(site_dir: Path) -> dict[str, str] | None:
    try:
        data = json.loads((site_dir / LLMS_STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        return None
    return {str(k): v for k, v in data.items()}


def _replace(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
