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
