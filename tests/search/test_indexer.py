"""Building the index, and updating it incrementally when entries change."""

from __future__ import annotations

import json
import shutil
import textwrap

import pytest

from kb_builder.loading.loader import load
from kb_builder.search import SearchIndex, build_index
from kb_builder.search import indexer
from kb_builder.search.manifest import read_manifest

from search_project import catalog, index, index_dir, project  # noqa: F401 (fixtures)


def refs(results):
    return [f"{h.kind}:{h.id}" for h in results.hits]


def reload(project):
    result = load(project)
    assert result.ok, [p.format() for p in result.problems]
    return result.catalog


def write(project, rel, text):
    (project / rel).write_text(textwrap.dedent(text), encoding="utf-8")


def test_one_document_per_entry_and_language(catalog, index_dir):
    report = build_index(catalog, index_dir)
    assert report.full and report.documents == 15  # 8 entries + 2 markets in en, 3 in de, 2 in ja
    manifest = read_manifest(index_dir, entries=True)
    assert manifest.languages == {"de": 3, "en": 10, "ja": 2}
    assert manifest.entries["market:DE"]["docs"].keys() == {"en"}
    assert manifest.entries["faq:refund-timing"]["docs"].keys() == {"en", "de", "ja"}
    assert manifest.entries["template:chat-greeting"]["docs"].keys() == {"en"}
    assert sorted(p.name for p in index_dir.iterdir()) == ["de", "en", "entries.json", "ja", "manifest.json"]
    assert manifest.markets["DE"].values["return_window_days"] == "30"


def test_nothing_changed_nothing_written(catalog, index_dir):
    build_index(catalog, index_dir)
    generation = read_manifest(index_dir).generation
    report = build_index(reload(catalog.root), index_dir)
    assert not report.full and report.written == report.deleted == 0
    assert "up to date" in report.summary()
    assert read_manifest(index_dir).generation == generation


def test_an_edited_translation_rewrites_only_that_document(project, catalog, index_dir):
    build_index(catalog, index_dir)
    index = SearchIndex(index_dir)
    assert refs(index.search("Verfolgen", lang="de")) == ["faq:where-is-my-order"]
    text = (project / "faq/where-is-my-order.yaml").read_text(encoding="utf-8")
    (project / "faq/where-is-my-order.yaml").write_text(
        text.replace("Verfolgen Sie Ihr Paket", "Sehen Sie Ihre Sendung"), encoding="utf-8")
    report = build_index(reload(project), index_dir)
    assert (report.full, report.written, report.deleted, report.languages) == (False, 1, 0, ["de"])
    assert index.search("Verfolgen", lang="de").hits == []  # the open index follows the update
    assert refs(index.search("Sendung", lang="de")) == ["faq:where-is-my-order"]
    assert refs(index.search("track parcel", lang="en")) == ["faq:where-is-my-order"]


def test_updates_one_after_another_stay_updates(project, catalog, index_dir):
    """Each update leaves the replaced document deleted in an older segment; the next build must
    not take the extra segment for damage and rebuild everything."""
    build_index(catalog, index_dir)
    index = SearchIndex(index_dir)
    path = project / "faq/where-is-my-order.yaml"
    for word in ("Sendung", "Lieferung", "Zustellung"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("Verfolgen Sie Ihr Paket", f"Verfolgen Sie Ihre {word}", 1)
                        .replace("Verfolgen Sie Ihre Sendung", f"Verfolgen Sie Ihre {word}", 1)
                        .replace("Verfolgen Sie Ihre Lieferung", f"Verfolgen Sie Ihre {word}", 1), encoding="utf-8")
        report = build_index(reload(project), index_dir)
        assert (report.full, report.written, report.languages) == (False, 1, ["de"]), word
        assert refs(index.search(word, lang="de")) == ["faq:where-is-my-order"]
    assert indexer.damaged_languages(index_dir, read_manifest(index_dir)) == []
    assert len(list((index_dir / "de").glob("*.seg"))) > 1  # the case this is about: deleted documents in old segments


def test_added_removed_and_untranslated_entries(project, catalog, index_dir):
    build_index(catalog, index_dir)
    index = SearchIndex(index_dir)
    (project / "faq/island-delivery.yaml").unlink()
    write(project, "faq/gift-wrap.yaml", """\
        category: shipping
        source:
          question: Do you gift wrap?
          answer: We can wrap any order as a present.
        """)
    text = (project / "faq/refund-timing.yaml").read_text(encoding="utf-8")
    (project / "faq/refund-timing.yaml").write_text(text[:text.index("  ja:")], encoding="utf-8")  # drop ja
    report = build_index(reload(project), index_dir)
    assert not report.full and report.written == 1 and report.deleted == 2
    assert refs(index.search("gift wrap", lang="en")) == ["faq:gift-wrap"]
    assert index.search("islands", lang="en").hits == []
    assert index.search("返金", lang="ja").hits == []
    manifest = read_manifest(index_dir, entries=True)
    assert "faq:island-delivery" not in manifest.entries and manifest.languages["ja"] == 1


def test_a_language_without_documents_loses_its_index(project, catalog, index_dir):
    build_index(catalog, index_dir)
    for rel in ("faq/where-is-my-order.yaml", "faq/refund-timing.yaml"):
        text = (project / rel).read_text(encoding="utf-8")
        (project / rel).write_text(text[:text.index("  ja:")], encoding="utf-8")
    build_index(reload(project), index_dir)
    assert not (index_dir / "ja").exists()
    assert "ja" not in read_manifest(index_dir).languages


def test_an_index_from_another_version_is_rebuilt(catalog, index_dir):
    build_index(catalog, index_dir)
    data = json.loads((index_dir / "manifest.json").read_text(encoding="utf-8"))
    data["analysis"] = "0"
    (index_dir / "manifest.json").write_text(json.dumps(data), encoding="utf-8")
    assert build_index(catalog, index_dir).full


def test_a_failed_build_leaves_the_previous_index(catalog, index_dir, monkeypatch):
    build_index(catalog, index_dir)
    shutil.rmtree(index_dir / "ja")  # forces a full build, which then fails half-way

    def broken(folder, lang, docs, fresh):
        raise RuntimeError("disk full")

    monkeypatch.setattr(indexer, "_write_language", broken)
    with pytest.raises(RuntimeError):
        build_index(catalog, index_dir)
    assert read_manifest(index_dir) is not None and (index_dir / "en").is_dir()
    assert [p.name for p in index_dir.parent.iterdir() if p.name.startswith(".")] == []


def test_public_index_holds_nothing_internal(catalog, tmp_path):
    folder = tmp_path / "public-search"
    build_index(catalog, folder, audience="public")
    text = everything_in(folder)
    for secret in ("SECRETDEADLINE", "secretdeadlin", "INTERNALNOTEXYZ", "internalnotexyz", "Apologise and ask",
                   "thanks for contacting", "damaged-item"):
        assert secret not in text
    assert "islands" in text and "island" in text  # the method sees what is there
    assert SearchIndex(folder).search("carrier claim").hits == []


def everything_in(folder) -> str:
    """Every stored value and every indexed term of an index folder, plus its JSON files."""
    from whoosh import index as whoosh_index

    parts = [p.read_text(encoding="utf-8") for p in folder.glob("*.json")]
    for sub in folder.iterdir():
        if sub.is_dir():
            with whoosh_index.open_dir(str(sub)).reader() as reader:
                parts.extend(repr(fields) for fields in reader.all_stored_fields())
                parts.extend(text.decode("utf-8") for _field, text in reader.all_terms())
    return "\n".join(parts)


def test_internal_notes_are_searchable_by_agents_but_never_shown(index):
    hits = index.search("never promise island dates", lang="en").hits
    assert hits[0].id == "island-delivery"
    assert all("INTERNALNOTEXYZ" not in h.snippet for h in hits)
    assert index.search("INTERNALNOTEXYZ", lang="en", public=True).hits == []


def test_previous_index_seeds_a_fresh_folder(catalog, tmp_path):
    first = tmp_path / "a" / "search"
    build_index(catalog, first)
    report = build_index(catalog, tmp_path / "b" / "search", previous=first)
    assert not report.full and report.written == 0
    assert (first / "manifest.json").is_file()


def test_an_update_seeded_from_a_previous_index_leaves_that_index_as_it_was(project, catalog, tmp_path):
    """kb build updates a copy of the current index whose segments are hard links: an update (a
    deleted document, a new segment, several times over) must change nothing in the original."""
    import hashlib

    def files(folder):
        return {p.relative_to(folder).as_posix(): (p.stat().st_ino, hashlib.sha256(p.read_bytes()).hexdigest())
                for p in sorted(folder.rglob("*")) if p.is_file()}

    first = tmp_path / "a" / "search"
    build_index(catalog, first)
    path = project / "faq/where-is-my-order.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Verfolgen Sie Ihr Paket", "Sehen Sie Ihre Sendung"),
                    encoding="utf-8")
    build_index(reload(project), first)  # two segments in de, one document deleted
    before = files(first)
    second = tmp_path / "b" / "search"
    for word in ("Lieferung", "Zustellung"):
        path.write_text(path.read_text(encoding="utf-8").replace("Sendung", word).replace("Lieferung", word),
                        encoding="utf-8")
        report = build_index(reload(project), second, previous=first)
        assert (report.full, report.written, report.languages) == (False, 1, ["de"]), word
        assert refs(SearchIndex(second).search(word, lang="de")) == ["faq:where-is-my-order"]
    linked = {p.stat().st_ino for p in second.rglob("*.seg")} & {ino for ino, _ in before.values()}
    assert linked  # the unchanged segments are shared, not copied
    assert files(first) == before
    assert refs(SearchIndex(first).search("Sendung", lang="de")) == ["faq:where-is-my-order"]


def test_parallel_and_serial_builds_find_the_same(catalog, tmp_path):
    build_index(catalog, tmp_path / "serial", workers=1)
    build_index(catalog, tmp_path / "parallel", workers=2)
    serial, parallel = SearchIndex(tmp_path / "serial"), SearchIndex(tmp_path / "parallel")
    for q in ("refund", "damaged", "Rückerstattung", "返金"):
        assert refs(serial.search(q)) == refs(parallel.search(q))
    assert read_manifest(tmp_path / "serial", entries=True).entries == \
        read_manifest(tmp_path / "parallel", entries=True).entries
