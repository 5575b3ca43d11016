"""`kb serve`: the preview app serves the last good site and the search API, and rebuilds on change."""

from __future__ import annotations

import json
import os

import pytest

from kb_builder.errors import ContentError
from kb_builder.loading.loader import load
from kb_builder.search import build_index
from kb_builder.serve import Preview

from search_project import project  # noqa: F401 (fixtures)


def fake_build(content, out, audience, today, progress):
    """Stands in for pipeline.build: a one-page site and the search index, or ContentError."""
    result = load(content)
    if not result.ok:
        raise ContentError(result.problems)
    site = out / "internal"
    (site / "sops" / "damaged-item").mkdir(parents=True, exist_ok=True)
    (site / "index.html").write_text(f"<html><body><h1>{len(result.catalog.faqs)} FAQ</h1></body></html>",
                                     encoding="utf-8")
    (site / "sops" / "damaged-item" / "index.html").write_text("<html><body>SOP</body></html>", encoding="utf-8")
    (site / "style.css").write_text("body{}", encoding="utf-8")
    build_index(result.catalog, out / "search")
    return result


def get(app, path, query="", method="GET", **headers):
    got = {}

    def start_response(status, headers):
        got["status"], got["headers"] = int(status.split()[0]), dict(headers)

    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query}
    environ.update({f"HTTP_{k.upper()}": v for k, v in headers.items()})
    body = b"".join(app(environ, start_response))
    return got["status"], got["headers"], body


@pytest.fixture
def preview(project):
    p = Preview(project, project.parent / "preview-out", build=fake_build, say=lambda msg: None)
    assert p.rebuild()
    return p


def test_serves_pages_with_the_reload_script_and_other_files_as_they_are(preview):
    status, headers, body = get(preview, "/")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert b"5 FAQ" in body and b"/api/version" in body and body.rstrip().endswith(b"</body></html>")
    assert get(preview, "/sops/damaged-item")[:2] == (301, {"Location": "/sops/damaged-item/", "Content-Length": "0"})
    assert get(preview, "/sops/damaged-item/")[2].startswith(b"<html><body>SOP")
    status, headers, body = get(preview, "/style.css")
    assert (status, body) == (200, b"body{}") and headers["Content-Type"] == "text/css; charset=utf-8"


def test_never_serves_outside_the_site(preview, project):
    (project.parent / "preview-out" / "secret.txt").write_text("secret", encoding="utf-8")
    for path in ("/../secret.txt", "/%2e%2e/secret.txt", "/sops/../../secret.txt", "/nope"):
        status, _, body = get(preview, path)
        assert status == 404 and b"secret" not in body


def test_search_and_version_apis(preview):
    status, headers, body = get(preview, "/api/search", "q=refund&lang=en")
    assert status == 200 and json.loads(body)["hits"][0]["id"] == "refund-timing"
    assert "Access-Control-Allow-Origin" not in headers  # no cross-origin reads by default (issue 18)
    assert get(preview, "/api/search", "q=")[0] == 400
    assert json.loads(get(preview, "/api/version")[2]) == {"version": 1, "errors": []}
    assert get(preview, "/api/nothing")[0] == 404


def test_rebuilds_on_change_and_keeps_the_last_good_site_on_errors(preview, project):
    assert not preview.changed()
    path = project / "faq/island-delivery.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("islands get", "archipelagos get"), encoding="utf-8")
    os.utime(path, ns=(1, 1))
    assert preview.changed() and preview.rebuild()
    assert json.loads(get(preview, "/api/version")[2])["version"] == 2
    hits = json.loads(get(preview, "/api/search", "q=archipelagos")[2])["hits"]
    assert [h["id"] for h in hits] == ["island-delivery"]

    (project / "faq/broken.yaml").write_text("category: shipping\nsource: [\n", encoding="utf-8")
    assert preview.changed() and not preview.rebuild()
    version = json.loads(get(preview, "/api/version")[2])
    assert version["version"] == 2 and version["errors"] and "broken.yaml" in version["errors"][0]
    assert b"5 FAQ" in get(preview, "/")[2]  # the last good site
    assert get(preview, "/api/search", "q=archipelagos")[0] == 200
    assert not preview.changed()  # no rebuild loop on the same broken content


def test_first_build_failing_shows_the_problems(project):
    (project / "faq/broken.yaml").write_text("category: shipping\nsource: [\n", encoding="utf-8")
    p = Preview(project, project.parent / "other-out", build=fake_build, say=lambda msg: None)
    assert not p.rebuild()
    status, _, body = get(p, "/")
    assert status == 503 and b"broken.yaml" in body
    assert get(p, "/api/search", "q=refund")[0] == 503


def test_with_the_real_pipeline(project):
    p = Preview(project, project.parent / "real-out", say=lambda msg: None)
    assert p.rebuild(), [x.format() for x in p.problems]
    status, _, body = get(p, "/")
    assert status == 200 and b"/api/version" in body
    assert json.loads(get(p, "/api/search", "q=refund&lang=en")[2])["hits"][0]["id"] == "refund-timing"


# --- issue 18 item 5: origin and Host rules --------------------------------------------------


def test_no_origin_may_read_the_api_unless_allowed(project):
    p = Preview(project, project.parent / "preview-out", build=fake_build, say=lambda msg: None,
                allowed_origins=("https://acme.zendesk.com",))
    assert p.rebuild()
    _, headers, _ = get(p, "/api/search", "q=refund&lang=en", origin="https://evil.example")
    assert "Access-Control-Allow-Origin" not in headers
    _, headers, _ = get(p, "/api/search", "q=refund&lang=en", origin="https://acme.zendesk.com")
    assert headers["Access-Control-Allow-Origin"] == "https://acme.zendesk.com" and headers["Vary"] == "Origin"
    status, headers, _ = get(p, "/api/search", method="OPTIONS", origin="https://evil.example")
    assert status == 204 and "Access-Control-Allow-Origin" not in headers


@pytest.mark.parametrize("host, allowed", [
    ("127.0.0.1:8000", True), ("localhost:8000", True), ("LOCALHOST", True), ("[::1]:8000", True),
    ("192.168.1.20:8000", True), ("", True), ("kb.internal:8000", True),
    ("attacker.example:8000", False), ("127.0.0.1.nip.io:8000", False), ("localhost.attacker.example", False),
])
def test_requests_under_another_host_name_are_refused(project, host, allowed):
    p = Preview(project, project.parent / "preview-out", build=fake_build, say=lambda msg: None,
                allowed_hosts=("kb.internal",))
    assert p.rebuild()
    for path in ("/", "/api/search"):
        status, _, body = get(p, path, "q=refund", host=host)
        if allowed:
            assert status != 421
        else:
            assert status == 421 and body.startswith(b"421 Misdirected Request")


@pytest.mark.parametrize("port", ["-5", "99999"])
def test_a_port_outside_the_range_is_a_usage_error(project, port, capsys):
    from kb_builder.cli import main

    assert main(["serve", "--content", str(project), "--port", port]) == 2
    assert f"'--port': {port} is not in the range 0<=x<=65535" in capsys.readouterr().err
