"""`kb export --push` against a fake helpdesk on 127.0.0.1: create, then update with no duplicates;
dry runs only read; credentials come from the environment."""

from __future__ import annotations

import base64
import shutil
from pathlib import Path

import pytest

from kb_builder.cli import main
from kb_builder.errors import UsageError
from kb_builder.export.push import api_from_env, push_export
from kb_builder.export.run import run_export

from .fake_helpdesk import FakeHelpdesk

MINI = Path(__file__).resolve().parents[1] / "projects" / "mini"


@pytest.fixture
def mini(tmp_path) -> Path:
    content = tmp_path / "mini"
    shutil.copytree(MINI, content)
    return content


def _env(target: str, url: str) -> dict[str, str]:
    t = target.upper()
    return {f"KB_{t}_URL": url, f"KB_{t}_USER": "agent@example.com", f"KB_{t}_TOKEN": "s3cret"}


def _writes(fake) -> list[tuple[str, str]]:
    return [(m, p) for m, p, _, _ in fake.requests if m != "GET"]


def test_zendesk_push_creates_then_updates_without_duplicates(mini, tmp_path):
    export = run_export(mini, "zendesk", tmp_path / "out").export
    with FakeHelpdesk() as fake:
        env = _env("zendesk", fake.url)
        lines = push_export(export, environ=env)
        assert lines[-1] == "pushed: 13 created, 0 updated"
        assert "created macro kb-template-apology-damaged-de: Your order {order_id}: we're sorry · DE (id 107)" in lines
        assert len(fake.objects("zd_macros")) == 2 and len(fake.objects("dc_items")) == 4
        auth = "Basic " + base64.b64encode(b"agent@example.com/token:s3cret").decode()
        assert {a for _, _, _, a in fake.requests} == {auth}

        fake.requests.clear()
        lines = push_export(export, environ=env)
        assert lines[-1] == "pushed: 0 created, 13 updated"
        assert len(fake.objects("zd_macros")) == 2 and len(fake.objects("dc_items")) == 4
        assert [w for w in _writes(fake) if "help_center" not in w[1]] == [
            ("PUT", "/api/v2/macros/107"), ("PUT", "/api/v2/macros/112")]  # dynamic content unchanged

        tpl = mini / "templates" / "apology-damaged.yaml"
        tpl.write_text(tpl.read_text(encoding="utf-8").replace("es tut uns leid.", "es tut uns sehr leid."),
                       encoding="utf-8")
        export = run_export(mini, "zendesk", tmp_path / "out").export
        fake.requests.clear()
        push_export(export, environ=env)
        variant_puts = [(p, b) for m, p, b, _ in fake.requests if m == "PUT" and "/variants/" in p]
        assert len(variant_puts) == 1 and "es tut uns sehr leid." in variant_puts[0][1]["variant"]["content"]
        body = next(i for i in fake.objects("dc_items") if i["name"] == "kb_apology_damaged_de_body")
        assert [v["content"] for v in body["variants"] if v["locale_id"] == 8][0].startswith(
            "Hallo {{ticket.requester.first_name}},\nes tut uns sehr leid.")
        assert len(body["variants"]) == 2


def test_gorgias_push_matches_by_external_id_across_pages(mini, tmp_path):
    export = run_export(mini, "gorgias", tmp_path / "out").export
    with FakeHelpdesk(page_size=2) as fake:
        env = _env("gorgias", fake.url)
        push_export(export, environ=env)
        first = sorted((m["external_id"], m["id"]) for m in fake.objects("gorgias_macros"))
        assert [k for k, _ in first] == ["kb-template-apology-damaged-de-de", "kb-template-apology-damaged-de-en",
                                         "kb-template-apology-damaged-jp-en"]
        fake.requests.clear()
        assert push_export(export, environ=env)[-1] == "pushed: 0 created, 3 updated"
        assert sorted((m["external_id"], m["id"]) for m in fake.objects("gorgias_macros")) == first
        assert [p for m, p, _, _ in fake.requests if m == "GET"] == ["/api/macros", "/api/macros"]  # two pages
        de = next(m for m in fake.objects("gorgias_macros") if m["external_id"].endswith("-de-de"))
        assert de["language"] == "de" and de["actions"][1]["arguments"]["body_text"].startswith(
            "Hallo {{ticket.customer.firstname}},")


def test_freshdesk_push_creates_folders_once_and_responses_in_them(mini, tmp_path):
    export = run_export(mini, "freshdesk", tmp_path / "out").export
    with FakeHelpdesk() as fake:
        env = {"KB_FRESHDESK_URL": fake.url, "KB_FRESHDESK_TOKEN": "apikey"}
        push_export(export, environ=env)
        push_export(export, environ=env)
        folders = {f["name"]: f["id"] for f in fake.objects("folders")}
        assert sorted(folders) == ["KB · DE · de", "KB · DE · en", "KB · JP · en"]
        canned = fake.objects("canned")
        assert len(canned) == 3
        de = next(c for c in canned if c["title"].endswith("· DE · de"))
        assert de["folder_id"] == folders["KB · DE · de"] and de["visibility"] == 0
        assert {a for _, _, _, a in fake.requests} == {"Basic " + base64.b64encode(b"apikey:X").decode()}


def test_dry_run_only_reads_and_says_what_it_would_change(mini, tmp_path, monkeypatch, capsys):
    with FakeHelpdesk() as fake:
        for k, v in _env("gorgias", fake.url).items():
            monkeypatch.setenv(k, v)
        assert main(["export", "gorgias", "--content", str(mini), "--out", str(tmp_path / "out"),
                     "--push", "--dry-run", "--market", "de"]) == 0
        out = capsys.readouterr().out.splitlines()
        assert out[1:] == [
            "would create macro kb-template-apology-damaged-de-de: Ihre Bestellung {order_id}: Es tut uns leid · DE · de",
            "would create macro kb-template-apology-damaged-de-en: Your order {order_id}: we're sorry · DE · en",
            "dry run: 2 to create, 0 to update"]
        assert _writes(fake) == [] and fake.objects("gorgias_macros") == []


def test_credentials_come_from_the_environment_only(mini, tmp_path, monkeypatch, capsys):
    for var in ("KB_ZENDESK_URL", "KB_ZENDESK_USER", "KB_ZENDESK_TOKEN"):
        monkeypatch.delenv(var, raising=False)
    assert main(["export", "zendesk", "--content", str(mini), "--out", str(tmp_path / "out"), "--push"]) == 2
    assert capsys.readouterr().err.endswith(
        "error: --push zendesk: set KB_ZENDESK_URL, KB_ZENDESK_USER, KB_ZENDESK_TOKEN in the environment "
        "(never in content files)\n")
    with pytest.raises(UsageError, match="file format, not a helpdesk"):
        api_from_env("json", {})
    with pytest.raises(UsageError, match="is not an http"):
        api_from_env("freshdesk", {"KB_FRESHDESK_URL": "file:///etc/passwd", "KB_FRESHDESK_TOKEN": "x"})


def test_zendesk_help_center_articles_and_translations_round_trip(mini, tmp_path):
    export = run_export(mini, "zendesk", tmp_path / "out").export
    with FakeHelpdesk() as fake:
        env = _env("zendesk", fake.url)
        push_export(export, environ=env)
        counts = {c: len(fake.objects(c)) for c in ("hc_categories", "hc_sections", "hc_articles", "hc_translations")}
        assert counts == {"hc_categories": 2, "hc_sections": 2, "hc_articles": 2, "hc_translations": 3}
        de_article = next(a for a in fake.objects("hc_articles") if a["label_names"] == ["kb-faq-where-is-my-order-de"])
        section = fake.store["hc_sections"][de_article["section_id"]]
        assert section["name"] == "Shipping" and fake.store["hc_categories"][section["category_id"]]["name"] == "Germany"

        faq = mini / "faq" / "where-is-my-order.yaml"
        faq.write_text(faq.read_text(encoding="utf-8").replace("Verfolgen Sie sie", "Verfolgen Sie Ihr Paket"),
                       encoding="utf-8")
        export = run_export(mini, "zendesk", tmp_path / "out").export
        push_export(export, environ=env)
        assert {c: len(fake.objects(c)) for c in counts} == counts  # updated, nothing duplicated
        de = next(t for t in fake.objects("hc_translations") if t["article_id"] == de_article["id"]
                  and t["locale"] == "de")
        assert de["title"] == "Wo ist meine Bestellung?" and de["body"].startswith("<p>Verfolgen Sie Ihr Paket")


def test_freshdesk_solutions_round_trip(mini, tmp_path):
    export = run_export(mini, "freshdesk", tmp_path / "out").export
    with FakeHelpdesk() as fake:
        env = {"KB_FRESHDESK_URL": fake.url, "KB_FRESHDESK_TOKEN": "apikey"}
        assert push_export(export, environ=env)[-1] == "pushed: 13 created, 0 updated"
        assert push_export(export, environ=env)[-1] == "pushed: 0 created, 13 updated"
        assert [len(fake.objects(c)) for c in ("fd_categories", "fd_folders", "fd_articles", "fd_translations")] == [
            2, 2, 2, 1]
        de = fake.objects("fd_translations")[0]
        assert (de["lang"], de["title"], de["status"]) == ("de", "Wo ist meine Bestellung?", 2)
        article = fake.store["fd_articles"][de["article_id"]]
        assert article["tags"] == ["kb-faq-where-is-my-order-de"] and article["title"] == "Where is my order?"


def test_a_refused_request_stops_the_push_with_exit_1_and_the_answer(mini, tmp_path, monkeypatch, capsys):
    with FakeHelpdesk() as fake:
        for k, v in _env("gorgias", fake.url + "/wrong").items():
            monkeypatch.setenv(k, v)
        assert main(["export", "gorgias", "--content", str(mini), "--out", str(tmp_path / "out"), "--push"]) == 1
    assert capsys.readouterr().err.endswith(
        f'error: GET {fake.url}/wrong/api/macros: HTTP 404 {{"error": "no route GET /wrong/api/macros"}}\n')
