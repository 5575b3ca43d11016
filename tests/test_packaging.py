"""The package as a new user gets it: an sdist and a wheel built from it (python -m build), the
wheel installed with plain pip into a fresh virtualenv in a temporary folder far from the
checkout, and a knowledge base checked and built there. Part of the normal suite on purpose:
nothing else notices a file the build reads but the package does not carry."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env.update(NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1", **extra)
    return env


def _run(args: list[str], cwd: Path, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, env=_clean_env(), **kw)


def _package_files() -> set[str]:
    """Every file of the package in the checkout, as paths inside the wheel."""
    return {p.relative_to(REPO).as_posix() for p in (REPO / "kb_builder").rglob("*")
            if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"}


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    """sdist + wheel built from a copy of the sources (building in the checkout would write build/)."""
    root = tmp_path_factory.mktemp("dist")
    src = root / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(REPO / name, src / name)
    shutil.copytree(REPO / "kb_builder", src / "kb_builder",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info"))
    run = _run([sys.executable, "-m", "build", "-q", "-o", root / "out", src], cwd=root)
    assert run.returncode == 0, run.stdout + run.stderr
    return root / "out"


def test_wheel_and_sdist_carry_every_package_file(dist):
    wheel = next(dist.glob("kb_builder-*.whl"))
    in_wheel = set(zipfile.ZipFile(wheel).namelist())
    assert _package_files() - in_wheel == set()
    sdist = next(dist.glob("kb_builder-*.tar.gz"))
    with tarfile.open(sdist) as tar:
        in_sdist = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    assert _package_files() - in_sdist == set()
    assert {"README.md", "LICENSE", "pyproject.toml"} <= in_sdist
    assert "kb_builder/theme/overrides/assets/kb.css" in in_wheel
    meta = zipfile.ZipFile(wheel).read(next(n for n in in_wheel if n.endswith(".dist-info/METADATA"))).decode()
    for line in ("License-Expression: MIT", "Classifier: Framework :: MkDocs",
                 "Summary: Turn structured YAML", "Description-Content-Type: text/markdown"):
        assert line in meta, line
    assert "Project-URL:" not in meta  # no invented addresses (pyproject.toml says why)


def test_installed_wheel_builds_a_kb_far_from_the_checkout(dist, tmp_path_factory):
    wheel = next(dist.glob("kb_builder-*.whl"))
    home = tmp_path_factory.mktemp("newuser")
    venv = home / "venv"
    assert _run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=home).returncode == 0
    py = venv / "bin" / "python"
    # plain pip with the dependencies from the index; --no-compile only saves time
    run = _run([sys.executable, "-m", "pip", "--python", py, "install", "-q", "--no-compile",
                "--disable-pip-version-check", wheel], cwd=home)
    assert run.returncode == 0, run.stderr
    where = _run([py, "-c", "import kb_builder; print(kb_builder.__file__)"], cwd=home)
    assert Path(where.stdout.strip()).is_relative_to(venv), where.stdout + where.stderr
    kb = venv / "bin" / "kb"
    version = _run([kb, "--version"], cwd=home)
    assert version.returncode == 0 and version.stdout.startswith("kb 0."), version.stdout + version.stderr
    # the "done when": kb init demo && cd demo && kb check && kb build && kb serve
    init = _run([kb, "init", "demo"], cwd=home)
    assert init.returncode == 0, init.stdout + init.stderr
    demo = home / "demo"
    check = _run([kb, "check"], cwd=demo)
    assert check.returncode == 0 and "0 errors, 0 warnings" in check.stdout, check.stdout + check.stderr
    build = _run([kb, "build", "-q"], cwd=demo)
    assert build.returncode == 0, build.stdout + build.stderr
    site = demo / "site"
    assert (site / "internal" / "assets" / "kb.css").read_bytes() == \
        (REPO / "kb_builder/theme/overrides/assets/kb.css").read_bytes()
    assert (site / "internal" / "assets" / "favicon.svg").is_file()
    assert "Refund request" in (site / "internal/sops/refund-request/index.html").read_text(encoding="utf-8")
    assert (site / "public" / "us" / "en" / "returns" / "index.html").is_file()
    search = _run([kb, "search", "refund"], cwd=demo)
    assert search.returncode == 0 and "faq:refund-how-long" in search.stdout, search.stdout + search.stderr
    _serve_answers(kb, demo)


def _serve_answers(kb: Path, demo: Path) -> None:
    """`kb serve` comes up, serves the site and /api/search, and stops on Ctrl-C (SIGINT)."""
    import json
    import signal
    import socket
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([str(kb), "serve", "--port", str(port)], cwd=demo, env=_clean_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as page:
                    assert page.status == 200 and "Refund request" in page.read().decode("utf-8")
                break
            except OSError:
                assert proc.poll() is None, proc.stdout.read()
                assert time.monotonic() < deadline, "kb serve did not answer within 90 s"
                time.sleep(0.5)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/search?q=refund", timeout=10) as answer:
            hits = json.loads(answer.read())["hits"]
        assert hits and hits[0]["id"] == "refund-how-long"
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            out, _ = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, _ = proc.communicate()
    assert proc.returncode in (0, 1, -signal.SIGINT), out
    assert "Traceback" not in out, out
