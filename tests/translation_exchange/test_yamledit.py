"""yamledit: only the values that change and the keys that are new; every other byte stays."""

from __future__ import annotations

import pytest
import yaml

from kb_builder.translation_exchange import yamledit

SOP_TR = """\
id: x   # keep
first_response_hours: 24
translations:
  de:
    from: 000000000000  # old
    title: 'Alt'
    steps:
      a: Nur Text.
      b:
        do: Tu es.
    authority:
      - {may: "Darf A."}
    escalate_when: [Eins]
"""


def test_values_are_replaced_in_their_own_style():
    new = yamledit.apply(SOP_TR, ["translations", "de"], {"from": "0123456789ab", "title": "Neu's"})
    assert new == SOP_TR.replace("000000000000", "0123456789ab").replace("'Alt'", "'Neu''s'")


def test_a_text_step_that_gets_branches_becomes_a_mapping():
    new = yamledit.apply(SOP_TR, ["translations", "de"],
                         {"steps": {"a": {"branches": {1: {"then": "Dann: B"}}}, "b": "Tu es anders."}})
    assert new == SOP_TR.replace("      a: Nur Text.\n", "      a:\n        do: Nur Text.\n        branches:\n"
                                 "          - {}\n          - then: \"Dann: B\"\n").replace(
        "        do: Tu es.\n", "        do: Tu es anders.\n")
    assert yaml.safe_load(new)["translations"]["de"]["steps"]["a"]["branches"] == [{}, {"then": "Dann: B"}]


def test_flow_items_are_edited_and_appended_in_flow_style():
    new = yamledit.apply(SOP_TR, ["translations", "de"],
                         {"authority": {0: "Darf B.", 1: "Darf C."}, "escalate_when": {1: "Zwei\nZeilen"}})
    assert new == SOP_TR.replace('{may: "Darf A."}', '{may: "Darf B."}').replace(
        "      - {may: \"Darf B.\"}\n", "      - {may: \"Darf B.\"}\n      - Darf C.\n").replace(
        "[Eins]", '[Eins, "Zwei\\nZeilen"]')
    assert yaml.safe_load(new)["translations"]["de"]["escalate_when"] == ["Eins", "Zwei\nZeilen"]


def test_a_text_list_with_a_gap_is_refused():
    with pytest.raises(yamledit.ListHole):
        yamledit.apply(SOP_TR, ["translations", "de"], {"escalate_when": {2: "Drei"}})


def test_a_new_language_block_and_a_new_translations_key():
    new = yamledit.apply(SOP_TR, ["translations", "ja"], {"from": "0123456789ab", "title": "タイトル: 1",
                                                          "steps": {"a": "一行目\n二行目\n"}})
    assert new == SOP_TR + ('  ja:\n    from: 0123456789ab\n    title: "タイトル: 1"\n    steps:\n      a: |\n'
                            '        一行目\n        二行目\n')
    bare = "id: y\nsource:\n  question: Q?\n"
    assert yamledit.apply(bare, ["translations", "de"], {"from": "0123456789ab", "question": "yes"}) == (
        bare + 'translations:\n  de:\n    from: 0123456789ab\n    question: "yes"\n')


def test_crlf_files_stay_crlf():
    crlf = SOP_TR.replace("\n", "\r\n")
    new = yamledit.apply(crlf, ["translations", "ja"], {"from": "0123456789ab", "title": "a\nb\n"})
    assert new == crlf + "  ja:\r\n    from: 0123456789ab\r\n    title: |\r\n      a\r\n      b\r\n"
    assert "\n" not in new.replace("\r\n", "")


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from kb_builder.loading.loader import load  # noqa: E402

_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r"),
                min_size=1, max_size=40).filter(lambda t: t.strip())


@settings(max_examples=300, deadline=None)
@given(title=_TEXT, summary=_TEXT, multi=st.lists(_TEXT, min_size=1, max_size=3))
def test_any_text_is_written_so_that_yaml_reads_it_back_exactly(title, summary, multi):
    body = "\n".join(multi) + "\n"
    new = yamledit.apply(SOP_TR, ["translations", "de"], {"title": title, "escalate_when": {0: summary, 1: body}})
    de = yaml.safe_load(new)["translations"]["de"]
    assert (de["title"], de["escalate_when"]) == (title, [summary, body])
    new = yamledit.apply(SOP_TR, ["translations", "ja"], {"from": "0123456789ab", "title": body,
                                                          "steps": {"a": title}})
    ja = yaml.safe_load(new)["translations"]["ja"]
    assert (ja["title"], ja["steps"]["a"]) == (body, title)
    assert new.startswith(SOP_TR)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_TEXT)
def test_the_loader_reads_an_imported_text_exactly(mini, text):
    # the project's own loader (not only PyYAML): `no`, digits, dates and the like stay text
    path = mini / "faq/carrier-claims.yaml"
    original = (mini.parent / "orig.yaml")
    if not original.exists():
        original.write_bytes(path.read_bytes())
    path.write_text(yamledit.apply(original.read_text(encoding="utf-8"), ["translations", "de"],
                                   {"from": "0123456789ab", "question": text}), encoding="utf-8")
    result = load(mini, use_cache=False)
    assert result.ok, [p.format() for p in result.problems]
    assert result.catalog.faqs["carrier-claims"].translations["de"].fields["question"] == text
