"""llms.txt and the answers' Markdown copies in each help center (the leak scan in test_leaks.py
reads every file of the output, these included)."""

from __future__ import annotations

import os

from conftest import write_project  # tests/conftest.py

from kb_builder.pipeline import build

from .markers import FILES, INTERNAL_MARKERS


def test_every_help_center_has_llms_txt_and_the_scan_sees_it(public_out):
    assert sorted(str(p.relative_to(public_out)) for p in public_out.glob("*/*/llms.txt")) == [
        "ae/ar/llms.txt", "ae/en/llms.txt", "de/de/llms.txt", "de/en/llms.txt", "jp/ja/llms.txt"]
    assert sorted(str(p.relative_to(public_out)) for p in public_out.glob("de/de/*/*.md")) == [
        "de/de/returns/hostile.md", "de/de/shipping/where-is-my-order.md"]


def test_llms_txt_lists_the_questions_written_in_its_language(public_out):
    assert (public_out / "de" / "de" / "llms.txt").read_text(encoding="utf-8") == (
        "# Marker Support · Deutschland\n\n"
        "> Antworten auf häufige Fragen für Kundinnen und Kunden in Deutschland.\n\n"
        "## Versand\n\n"
        "- [Wo ist meine Bestellung?](shipping/where-is-my-order.md)\n\n"
        "## Rücksendungen\n\n"
        "- [Ist das sicher?](returns/hostile.md)\n\n"
        "## Kontaktieren Sie uns\n\n"
        "- E-Mail: hilfe@example.de, Wir antworten innerhalb von 24 Stunden.\n"
        "- Live-Chat: Wir antworten innerhalb von 3 Minuten.\n")
    english = (public_out / "de" / "en" / "llms.txt").read_text(encoding="utf-8")
    assert "- [Can I return a gift?](returns/return-a-gift.md)" in english  # untranslated: only in en
    assert "Okinawa" not in english and "沖縄" not in (public_out / "ae" / "ar" / "llms.txt").read_text("utf-8")


def test_an_answer_copy_is_plain_markdown_with_market_values(public_out):
    assert (public_out / "de" / "de" / "shipping" / "where-is-my-order.md").read_text(encoding="utf-8") == (
        "# Wo ist meine Bestellung?\n\n"
        "Verfolgen Sie sie über den Link in der Versand-E-Mail.\n"
        "Rücksendungen nehmen wir innerhalb von 30 Tagen an.\n")
    hostile = (public_out / "de" / "en" / "returns" / "hostile.md").read_text(encoding="utf-8")
    assert hostile == ("# Is this safe? {: onclick=alert(1) }\n\nBefore  after.\n\n and bad link.\n\n"
                       "A hover and .\n\nLiteral template text: { x } and {% y %} and { 7*7 }.\n")  # no tag left


def test_a_removed_answer_leaves_no_copy_and_the_previous_output_is_never_written_through(tmp_path):
    content = write_project(tmp_path, FILES, base=False)
    out = tmp_path / "out"
    build(content, out, audience="public", progress=False)
    old = out / "public" / "de" / "en" / "returns" / "return-a-gift.md"
    assert old.is_file()
    kept = os.open(out / "public" / "de" / "en" / "llms.txt", os.O_RDONLY)  # the file of the first build
    try:
        before = os.read(kept, 100000)
        (content / "faq" / "return-a-gift.yaml").unlink()
        build(content, out, audience="public", progress=False)
        os.lseek(kept, 0, 0)
        assert os.read(kept, 100000) == before  # replaced, not rewritten in place
    finally:
        os.close(kept)
    assert not (out / "public" / "de" / "en" / "returns" / "return-a-gift.md").exists()
    assert "return-a-gift" not in (out / "public" / "de" / "en" / "llms.txt").read_text(encoding="utf-8")
    for marker in INTERNAL_MARKERS.values():
        assert all(marker not in p.read_text(encoding="utf-8") for p in (out / "public").rglob("*.md"))


def test_plain_markdown_leaves_no_tag_even_from_escaped_entities():
    from kb_builder.render.public_llms import plain_markdown

    assert plain_markdown("a < b & **c** <b>d</b>") == "a < b & **c** d"
    assert plain_markdown("&lt;script&gt;x()&lt;/script&gt;ok") == "ok"
    assert plain_markdown("&amp;lt;img src=x onerror=y&amp;gt;ok") == "ok"
    assert plain_markdown("<scr<script>ipt>alert(1)</script>") == "ipt>alert(1)"


def _files(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_answer_copies_written_on_top_of_a_previous_output_equal_a_clean_write(tmp_path, monkeypatch):
    """With the hashes the previous output recorded (`.kb-llms.json`) or without them, a help
    center's copies after a sequence of edits equal those written into an empty folder."""
    import shutil

    from kb_builder.render import public_llms
    from kb_builder.render.public_llms import LLMS_STATE, AnswerFile, write_llms_files

    monkeypatch.setattr(public_llms, "llms_txt", lambda content, market, lang, answers:
                        "# Help\n" + "".join(f"- {a.path}\n" for a in answers))
    steps = [[AnswerFile("orders/a.md", "A", "# A\n\nfirst\n"), AnswerFile("orders/b.md", "B", "# B\n\n</x> & ü\n")],
             [AnswerFile("orders/a.md", "A", "# A\n\nedited\n"), AnswerFile("returns/c.md", "C", "# C\n")],
             [AnswerFile("returns/c.md", "C", "# C\n"), AnswerFile("orders/b.md", "B", "# B\n\nback\n")]]
    for keep_state in (True, False):
        previous = tmp_path / f"prev-{keep_state}"
        previous.mkdir()
        for i, answers in enumerate(steps):
            site = tmp_path / f"site-{keep_state}-{i}"
            shutil.copytree(previous, site, copy_function=os.link)  # as the staged previous output
            (site / "orders").mkdir(exist_ok=True)
            (site / "orders" / "index.html").write_text("<p>a page, not a copy</p>", encoding="utf-8")
            if not keep_state:
                (site / LLMS_STATE).unlink(missing_ok=True)
            before = _files(previous)
            write_llms_files(None, None, "en", site, answers)
            assert _files(previous) == before  # the previous output is never written through
            clean = tmp_path / f"clean-{keep_state}-{i}"
            (clean / "orders").mkdir(parents=True)
            (clean / "orders" / "index.html").write_text("<p>a page, not a copy</p>", encoding="utf-8")
            write_llms_files(None, None, "en", clean, answers)
            assert _files(site) == _files(clean)
            assert sorted(p for p in _files(site) if p.endswith(".md")) == sorted(a.path for a in answers)
            previous = site
