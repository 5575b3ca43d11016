"""Issue 16: the "no good answer" signal (weak, confidence) and code-switched queries (Latin
words in a Japanese or Chinese query looked up in the source language)."""

from __future__ import annotations

import json

from kb_builder.cli import main
from kb_builder.loading.loader import load
from kb_builder.search import SearchIndex, build_index

FILES = {
    "kb.yaml": """\
        name: Test Support
        source_language: en
        languages: [en, de, ja, zh-CN]
        review_every_days: 180
        categories:
          shipping: {en: Shipping, de: Versand, ja: 配送, zh-CN: 配送}
          returns: {en: Returns, de: Rücksendungen, ja: 返品, zh-CN: 退货}
        """,
    "faq/damaged.yaml": """\
        category: returns
        source:
          question: My item arrived damaged
          answer: Send us a photo of the damaged parcel and we replace the item.
        translations:
          ja:
            question: 商品が破損して届きました
            answer: 破損した箱の写真をお送りください。商品を交換します。
          zh-CN:
            question: 商品到货时已损坏
            answer: 请发送损坏包裹的照片，我们将为您更换商品。
        """,
    "faq/refund-timing.yaml": """\
        category: returns
        source:
          question: When will I get my refund?
          answer: We refund within 5 days of receiving your return.
        translations:
          ja:
            question: 返金はいつですか
            answer: 返品の到着後5日以内に返金します。
        """,
}


def _index(make_project):
    content = make_project(FILES)
    result = load(content)
    assert result.ok, [p.format() for p in result.problems]
    folder = content.parent / "site" / "search"
    build_index(result.catalog, folder)
    return SearchIndex(folder)


def refs(results):
    return [f"{h.kind}:{h.id}" for h in results.hits]


def test_a_query_the_entries_answer_is_not_weak(make_project):
    index = _index(make_project)
    results = index.search("when will i get my refund", lang="en")
    assert refs(results)[0] == "faq:refund-timing"
    assert not results.weak and results.confidence >= 0.8
    coverage, strength = results.measures
    assert coverage == 1.0 and 0 < strength <= 1.0


def test_a_query_no_entry_answers_is_weak_though_it_has_hits(make_project):
    index = _index(make_project)
    results = index.search("do you sell gift cards for my item", lang="en")
    assert results.hits and results.weak and results.confidence < 0.5
    assert results.measures[0] < 0.5  # "item" is the only word of the query an entry has


def test_no_hit_at_all_is_weak(make_project):
    results = _index(make_project).search("xylophone", lang="en")
    assert results.hits == [] and results.weak and results.confidence == 0.0


def test_weak_and_confidence_are_in_the_json(make_project, capsys):
    index = _index(make_project)
    data = index.search("refund", lang="en").to_dict()
    assert data["weak"] is False and 0.5 <= data["confidence"] <= 1.0
    capsys.readouterr()
    assert main(["search", "gift cards", "--json", "--lang", "en"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["weak"] is True and out["confidence"] < 0.5


def test_latin_words_in_a_japanese_or_chinese_query_are_looked_up_in_the_source_language(make_project):
    index = _index(make_project)
    for query, lang in (("parcelがdamagedでした", "ja"), ("我的parcel damaged了", "zh-CN")):
        results = index.search(query, lang=lang)
        assert refs(results)[:1] == ["faq:damaged"], (query, refs(results))
        assert results.hits[0].lang == lang and not results.weak
    # words the language's own index knows are not borrowed: a plain Japanese query is unchanged
    assert refs(index.search("返金", lang="ja")) == ["faq:refund-timing"]
