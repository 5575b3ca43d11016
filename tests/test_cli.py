"""Exit codes and messages of the `kb` command."""

import pytest

from kb_builder.cli import main


def test_content_error_exits_1_with_message_and_no_traceback(make_project, capsys):
    content = make_project({"faq/a.yaml": "category: shipping\nsource:\n\tquestion: Q?\n"})
    assert main(["build", "--content", str(content), "--out", "out", "-q"]) == 1
    err = capsys.readouterr().err
    assert "content/faq/a.yaml:3:1: error: a tab character is used for indentation" in err
    assert "Traceback" not in err
    assert err.strip().endswith("1 error(s), 0 warning(s)")


@pytest.mark.parametrize("args, message", [
    (["build", "--audience", "everyone"],
     "Error: Invalid value for '--audience': 'everyone' is not one of 'internal', 'public', 'all'.\n"),
    (["build", "--content", "does-not-exist"],
     "error: content folder 'does-not-exist' does not exist; pass --content DIR (the folder that holds "
     "kb.yaml), or start one with 'kb init DIR'\n"),
    (["build", "--today", "yesterday"], "error: --today 'yesterday' is not a date; write it as YYYY-MM-DD\n"),
    (["build", "--out"], "Error: Option '--out' requires an argument.\n"),
])
def test_bad_usage_exits_2_with_one_message_and_writes_nothing(make_project, capsys, tmp_path, args, message):
    make_project()
    assert main(args) == 2
    out, err = capsys.readouterr()
    assert err.endswith(message) and "Traceback" not in err
    assert out == "" and err.count("rror") == 1
    assert err == message or err.startswith("Usage: kb build [OPTIONS]\n")  # no progress line before it
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content"]  # no site/, no cache


def test_new_writes_valid_skeletons(make_project, capsys):
    from kb_builder.loading.loader import load

    content = make_project()
    for kind, ident in (("sop", "new-case"), ("faq", "new-question"), ("template", "new-reply"), ("market", "fr"),
                        ("path", "new-path")):
        assert main(["new", "--content", str(content), kind, ident]) == 0
    result = load(content)
    assert [p.format() for p in result.problems if p.severity == "error"] == []
    assert "new-case" in result.catalog.sops and "FR" in result.catalog.markets
    assert main(["new", "--content", str(content), "sop", "new-case"]) == 2  # never overwrite
    assert main(["new", "--content", str(content), "sop", "Bad Id"]) == 2


def test_build_says_how_to_browse_the_site_over_http(make_project, capsys, tmp_path):
    content = make_project()
    out = tmp_path / "my site"
    assert main(["build", "--content", str(content), "--out", str(out), "--audience", "internal"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == (f"To browse it: python3 -m http.server --directory '{out}' 8000, then open "
                         "http://127.0.0.1:8000/internal/ (opened from the disk, its links show folder "
                         "listings and search does not start)")
    assert (out / "internal" / "index.html").is_file()


def test_the_browse_hint_serves_the_site_it_names(tmp_path):
    """The hint's command, run as printed, serves the built pages at the URLs it names."""
    import shlex
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    from kb_builder.cli import view_hint

    out = tmp_path / "my site"
    (out / "internal" / "sops").mkdir(parents=True)
    (out / "internal" / "index.html").write_text('<a href="sops/">SOPs</a>')
    (out / "internal" / "sops" / "index.html").write_text("the SOP list")
    hint = view_hint(out, public=False)
    command = shlex.split(hint.split(": ", 1)[1].split(", then open ")[0])
    assert command[:3] == ["python3", "-m", "http.server"]
    with socket.socket() as probe:  # a free port, so the test never talks to another server
        probe.bind(("127.0.0.1", 0))
        port = str(probe.getsockname()[1])
    server = subprocess.Popen([sys.executable, *command[1:-1], "--bind", "127.0.0.1", port], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        url = hint.split(", then open ")[1].split(" ")[0].replace("8000", port)
        for _ in range(50):
            try:
                with urllib.request.urlopen(url + "sops/", timeout=2) as response:
                    assert response.read().decode() == "the SOP list"
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError(f"nothing served at {url}sops/")
    finally:
        server.terminate()
        server.wait(10)
