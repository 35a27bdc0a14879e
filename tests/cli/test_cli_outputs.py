"""Every command that writes goes through :mod:`pactlang.io.files` (docs/cli.md, "Outputs")."""

from __future__ import annotations

import os
import shutil
import stat
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pactlang.cli import main

ROOT = Path(__file__).resolve().parents[2]
ALLIANCE = ROOT / "examples" / "contracts" / "alliance.pact"
ALLIANCE_CSV = ROOT / "examples" / "data" / "alliance.csv"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def assert_refused(result: Result, *fragments: str) -> None:
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, (fragment, result.stderr)


@pytest.fixture
def work(tmp_path: Path) -> Path:
    shutil.copy(ALLIANCE, tmp_path / "a.pact")
    shutil.copy(ALLIANCE_CSV, tmp_path / "d.csv")
    return tmp_path


@pytest.mark.parametrize(
    "args",
    [
        ("render", "{a}", "-o", "{a}"),
        ("render", "{a}", "-o", "{dir}/./a.pact"),
        ("render", "{a}", "--format", "md", "-o", "{link}"),
        ("compile", "{a}", "-o", "{a}"),
        ("report", "{a}", "--data", "{d}", "-o", "{d}"),
        ("report", "{a}", "--data", "{d}", "-o", "{a}"),
    ],
)
def test_an_output_that_is_an_input_is_refused(work: Path, args: tuple[str, ...]) -> None:
    (work / "link.md").symlink_to("a.pact")
    names = {"a": str(work / "a.pact"), "d": str(work / "d.csv"), "dir": str(work), "link": str(work / "link.md")}
    before = {p.name: p.read_bytes() for p in work.iterdir() if p.is_file()}
    assert_refused(run(*(a.format(**names) for a in args)), "would overwrite an input")
    assert {p.name: p.read_bytes() for p in work.iterdir() if p.is_file()} == before


def test_an_output_inside_the_template_dir_may_not_replace_a_template(work: Path) -> None:
    tpl = work / "tpl"
    tpl.mkdir()
    (tpl / "annex.md.j2").write_text("{{ doc.meta.title }}\n", "utf-8")
    assert_refused(run("render", work / "a.pact", "--template-dir", tpl, "-o", tpl / "annex.md.j2"), "would overwrite an input")
    assert (tpl / "annex.md.j2").read_text("utf-8") == "{{ doc.meta.title }}\n"


def test_fmt_writes_through_a_symlink(tmp_path: Path) -> None:
    real = tmp_path / "real.pact"
    real.write_text('contract "X" {\n currency    EUR\n}\n', "utf-8")
    link = tmp_path / "link.pact"
    link.symlink_to("real.pact")
    result = run("fmt", link)
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink()
    assert real.read_text("utf-8") == 'contract "X" {\n  currency EUR\n}\n'


def test_fmt_refuses_a_read_only_file(tmp_path: Path) -> None:
    path = tmp_path / "ro.pact"
    text = 'contract "X" {\n currency    EUR\n}\n'
    path.write_text(text, "utf-8")
    path.chmod(0o444)
    assert_refused(run("fmt", path), "read-only; not replaced")
    assert path.read_text("utf-8") == text
    assert stat.S_IMODE(path.stat().st_mode) == 0o444


def test_fmt_in_a_folder_that_cannot_be_written(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from pactlang.io import files

    def denied(*args: object, **kwargs: object) -> object:
        raise PermissionError(13, "Permission denied")

    path = tmp_path / "x.pact"
    path.write_text('contract "X" {\n currency    EUR\n}\n', "utf-8")
    monkeypatch.setattr(files.tempfile, "mkstemp", denied)
    assert_refused(run("fmt", path), "cannot write in the folder", "Permission denied")


@pytest.mark.parametrize("command", ["render", "compile"])
def test_an_output_to_a_fifo_is_written_to_it(tmp_path: Path, command: str) -> None:
    fifo = tmp_path / "out"
    os.mkfifo(fifo)
    got: list[bytes] = []

    def reader() -> None:
        with open(fifo, "rb") as fh:
            got.append(fh.read())

    t = threading.Thread(target=reader)
    t.start()
    extra = ["--format", "md"] if command == "render" else []
    result = run(command, ALLIANCE, *extra, "-o", fifo)
    t.join(30)
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert got and len(got[0]) > 1000


def test_outputs_to_a_missing_folder(tmp_path: Path) -> None:
    for args in (
        ("render", ALLIANCE, "-o", tmp_path / "no" / "a.md"),
        ("compile", ALLIANCE, "-o", tmp_path / "no" / "a.py"),
        ("report", ALLIANCE, "--data", ALLIANCE_CSV, "-o", tmp_path / "no" / "r.html"),
    ):
        assert_refused(run(*args), "does not exist")
