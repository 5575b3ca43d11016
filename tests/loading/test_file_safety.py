"""Issue 18 item 3: only regular files inside the content folder are read. A symbolic link out of
it, a dangling link, a FIFO or a device named x.yaml, and an oversized file are each one clear
error naming the path (exit 1), found before anything is read."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from kb_builder.cli import main
from kb_builder.loading import yamlfile
from kb_builder.loading.loader import load

FAQ_OK = "category: shipping\nsource:\n  question: Q?\n  answer: A.\n"


def _errors(content: Path) -> list[str]:
    return [p.format() for p in load(content, use_cache=False).problems if p.severity == "error"]


@pytest.fixture
def alarm():
    """Fail instead of hanging forever if a read blocks (a FIFO without writer)."""
    old = signal.signal(signal.SIGALRM, lambda *a: (_ for _ in ()).throw(TimeoutError("the loader blocked")))
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


def test_a_link_to_a_file_outside_is_refused_and_its_text_never_shown(make_project, tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text("category: shipping\nsource:\n  question: AWS_SECRET=hunter2\n  bogus: x\n", encoding="utf-8")
    content = make_project({})
    (content / "faq" / "leak.yaml").symlink_to(secret)
    problems = [p.format() for p in load(content, use_cache=False).problems]
    assert f"content/faq/leak.yaml: error: content/faq/leak.yaml is a symbolic link to {secret.resolve()}, outside " \
           "the content folder (copy the file into the content folder instead of linking to it)" in problems
    assert not any("hunter2" in p or "bogus" in p for p in problems)
    assert main(["check", "--content", str(content), "--today", "2026-11-23"]) == 1


def test_a_link_to_a_folder_outside_is_refused(make_project, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "x.yaml").write_text(FAQ_OK, encoding="utf-8")
    content = make_project({})
    import shutil

    shutil.rmtree(content / "faq")
    (content / "faq").symlink_to(elsewhere)
    assert f"content/faq: error: content/faq is a symbolic link to {elsewhere.resolve()}, outside the content " \
           "folder (copy the folder into the content folder instead of linking to it)" in _errors(content)


def test_a_link_to_dev_zero_is_refused_at_once(make_project, alarm):
    content = make_project({})
    (content / "faq" / "zero.yaml").symlink_to("/dev/zero")
    assert "content/faq/zero.yaml: error: content/faq/zero.yaml is a symbolic link to /dev/zero, outside the " \
           "content folder (copy the file into the content folder instead of linking to it)" in _errors(content)


@pytest.mark.parametrize("use_cache", [False, True])
def test_a_fifo_named_yaml_is_refused_without_blocking(make_project, alarm, use_cache):
    content = make_project({})
    os.mkfifo(content / "faq" / "x.yaml")
    errors = [p.format() for p in load(content, use_cache=use_cache).problems if p.severity == "error"]
    assert errors == ["content/faq/x.yaml: error: content/faq/x.yaml is a named pipe (FIFO), not a regular file "
                      "(only regular files are read; remove it from the content folder)"]


def test_a_device_reached_inside_the_folder_is_refused(tmp_path, alarm):
    # read_limited is the last line of defence (a link inside the folder to a device node)
    from kb_builder.errors import ProblemList

    problems = ProblemList()
    assert yamlfile.read_limited(Path("/dev/zero"), "faq/z.yaml", problems) is None
    assert [p.format() for p in problems.items] == [
        "faq/z.yaml: error: faq/z.yaml is a character device, not a regular file (only regular files are read; "
        "remove it from the content folder)"]


def test_a_dangling_link_is_an_error_naming_it(make_project):
    content = make_project({})
    (content / "faq" / "gone.yaml").symlink_to(content / "faq" / "nothing-here.yaml")
    assert "content/faq/gone.yaml: error: content/faq/gone.yaml is a symbolic link and its target does not exist " \
           "(remove the link or point it at a file inside the content folder)" in _errors(content)


def test_a_link_loop_is_an_error_naming_it(make_project):
    content = make_project({})
    (content / "faq" / "a.yaml").symlink_to(content / "faq" / "b.yaml")
    (content / "faq" / "b.yaml").symlink_to(content / "faq" / "a.yaml")
    errors = _errors(content)
    assert "content/faq/a.yaml: error: content/faq/a.yaml is a symbolic link and it cannot be followed (a loop?) " \
           "(remove the link or point it at a file inside the content folder)" in errors


def test_a_link_inside_the_content_folder_is_read(make_project):
    content = make_project({"faq/real.yaml": FAQ_OK})
    (content / "faq" / "alias.yaml").symlink_to(content / "faq" / "real.yaml")
    result = load(content, use_cache=False)
    assert {"real", "alias"} <= set(result.catalog.faqs)


def test_the_size_limit_is_checked_before_reading(make_project):
    import tracemalloc

    content = make_project({})
    big = content / "faq" / "big.yaml"
    with open(big, "wb") as f:  # sparse: 200 MiB on paper, nothing on disk
        f.truncate(200 * 1024 ** 2)
    tracemalloc.start()
    try:
        errors = _errors(content)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "content/faq/big.yaml:1:1: error: the file is 204800 KiB, over the 2 MiB limit (split it into several " \
           "entries)" in errors
    assert peak < 16 * 1024 ** 2, f"{peak // 1024 // 1024} MiB allocated: the file was read"


def test_an_unreadable_folder_is_an_error_naming_it(make_project, monkeypatch):
    content = make_project({})
    real = Path.iterdir

    def iterdir(self):
        if self.name == "faq":
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "iterdir", iterdir)
    assert "content/faq: error: cannot list the folder content/faq: Permission denied (check the folder's " \
           "permissions)" in _errors(content)
