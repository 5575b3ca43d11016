"""Exit codes and messages of the `kb` command."""

from kb_builder.cli import main


def test_content_error_exits_1_with_message_and_no_traceback(make_project, capsys):
    content = make_project({"faq/a.yaml": "category: shipping\nsource:\n\tquestion: Q?\n"})
    assert main(["build", "--content", str(content), "--out", "out", "-q"]) == 1
    err = capsys.readouterr().err
    assert "content/faq/a.yaml:3:1: error: a tab character is used for indentation" in err
    assert "Traceback" not in err
    assert err.strip().endswith("1 error(s), 0 warning(s)")


def test_bad_usage_exits_2(make_project, capsys):
    make_project()
    assert main(["build", "--audience", "everyone"]) == 2
    assert main(["build", "--content", "does-not-exist"]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert main(["build", "--today", "yesterday"]) == 2


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
