"""Data files at scale: problems are capped per file, CSV is validated as a stream.

These tests describe behaviour, not the loader's structure, so that they carry
over to a column-wise loader: at most ``MAX_PROBLEMS`` problems are kept, the
others are counted (``… and N more problems``); a big file with one bad cell
at its end is refused without holding every row before it; UTF-8 errors are
located in any chunk of a file.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from pactlang.cli import main
from pactlang.io import data as data_module
from pactlang.io.data import MAX_PROBLEMS, DataError, MeasureSpec, load_data

MEASURES = [MeasureSpec("revenue", "money"), MeasureSpec("visits", "count")]
ROOT = Path(__file__).resolve().parents[2]
ALLIANCE = ROOT / "examples" / "contracts" / "alliance.pact"


def load(path: Path, **kwargs: object) -> object:
    return load_data(path, MEASURES, currency="EUR", **kwargs)  # type: ignore[arg-type]


def error_of(path: Path, **kwargs: object) -> DataError:
    with pytest.raises(DataError) as info:
        load(path, **kwargs)
    return info.value


def test_problems_are_capped_and_the_rest_counted(tmp_path: Path) -> None:
    path = tmp_path / "rep.csv"
    path.write_text("period,revenue,visits\n" + "2026-01,1,2\n" * 5000, "utf-8")
    err = error_of(path)
    assert len(err.problems) == MAX_PROBLEMS
    assert err.more == 5000 - 1 - MAX_PROBLEMS
    assert [p.row for p in err.problems[:2]] == [3, 4]
    lines = str(err).splitlines()
    assert len(lines) == MAX_PROBLEMS + 1
    assert lines[-1] == f"{path}: … and {err.more:,} more problems"


def test_the_cli_prints_a_bounded_report(tmp_path: Path) -> None:
    path = tmp_path / "rep.csv"
    path.write_text(
        "period,revenue,leads_total,leads_won,csat,proceeds\n" + "2026-01,1,2,1,8,0\n" * 20_000,
        "utf-8",
    )
    r = CliRunner().invoke(main, ["eval", str(ALLIANCE), "--data", str(path)])
    assert r.exit_code == 2
    assert len(r.stderr.splitlines()) == MAX_PROBLEMS + 1
    assert r.stderr.endswith(f"… and {20_000 - 1 - MAX_PROBLEMS:,} more problems\n")


def test_one_more_problem_is_singular(tmp_path: Path) -> None:
    path = tmp_path / "rep.csv"
    path.write_text("period,revenue,visits\n" + "2026-01,1,2\n" * (MAX_PROBLEMS + 2), "utf-8")
    assert str(error_of(path)).endswith("… and 1 more problem")


def test_json_problems_are_capped_too(tmp_path: Path) -> None:
    path = tmp_path / "d.json"
    records = ",".join('{"period": "2026-01", "visits": "x"}' for _ in range(300))
    path.write_text(f"[{records}]", "utf-8")
    err = error_of(path)
    assert len(err.problems) == MAX_PROBLEMS and err.more > 0


def test_no_row_is_kept_before_a_problem_in_a_big_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "big" made small: the file is checked in a pass that keeps no row, so
    # the bad cell at the end is found with nothing held
    monkeypatch.setattr(data_module, "CHECK_FIRST_BYTES", 1000)
    kept_at_first_problem: list[int] = []
    original = data_module._Loader.problem

    def spy(self: data_module._Loader, *args: object) -> None:
        if not self.problems:
            kept_at_first_problem.append(sum(len(d) for d in self.datasets.values()))
        original(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(data_module._Loader, "problem", spy)
    months = [f"{2000 + i // 12}-{i % 12 + 1:02d}" for i in range(300)]
    path = tmp_path / "big.csv"
    path.write_text(
        "period,revenue,visits\n" + "".join(f"{m},1,2\n" for m in months) + "2030-01,1,x\n", "utf-8"
    )
    err = error_of(path)
    assert [(p.row, p.column) for p in err.problems] == [(302, "visits")]
    assert kept_at_first_problem == [0]
    # and a good big file is still read whole (second pass)
    path.write_text("period,revenue,visits\n" + "".join(f"{m},1,2\n" for m in months), "utf-8")
    loaded = load(path)
    assert len(loaded.datasets[None]) == 300  # type: ignore[attr-defined]


def test_rows_read_before_a_problem_are_let_go(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    kept: list[int] = []
    original = data_module._Loader.finish

    def spy(self: data_module._Loader) -> object:
        kept.append(sum(len(d) for d in self.datasets.values()))
        return original(self)

    monkeypatch.setattr(data_module._Loader, "finish", spy)
    months = [f"{2000 + i // 12}-{i % 12 + 1:02d}" for i in range(50)]
    path = tmp_path / "d.csv"
    path.write_text(
        "period,revenue,visits\n2030-01,1,x\n" + "".join(f"{m},1,2\n" for m in months), "utf-8"
    )
    error_of(path)
    assert kept == [0]


def test_a_bad_utf8_byte_is_located_in_any_chunk(tmp_path: Path) -> None:
    head = "period,revenue,visits\n" + "".join(
        f"{2000 + i // 12}-{i % 12 + 1:02d},1,2\n" for i in range(1200)
    )
    pad = ",,\n" * 600_000  # blank rows: skipped, ~1.8 MB, past the first chunk
    data = (head + pad).encode("utf-8") + b"2101-01,\xff,2\n"
    path = tmp_path / "bad.csv"
    path.write_bytes(b"\xef\xbb\xbf" + data)
    err = error_of(path)
    (p,) = err.problems
    offset = 3 + data.index(b"\xff")
    assert p.row == data.count(b"\n", 0, data.index(b"\xff")) + 1
    assert p.message == f"not valid UTF-8 (byte 0xFF at offset {offset}); save the file as UTF-8"


def test_a_multibyte_character_across_chunks_is_fine(tmp_path: Path) -> None:
    head = "period,revenue,visits\n2026-01,1,2\n"
    row = "2026-02,"
    # blank rows of spaces pad the file so that the two bytes of é straddle
    # the first chunk boundary
    room = data_module._CHUNK - 1 - len(head) - len(row)
    blank = ",," + " " * 997 + "\n"  # 1,000 characters
    pad = blank * (room // 1000 - 1)
    last = room - len(pad) - 3
    text = head + pad + ",," + " " * last + "\n" + row + "\u00e9,2\n"
    assert text.encode("utf-8").index("\u00e9".encode()) == data_module._CHUNK - 1
    path = tmp_path / "d.csv"
    path.write_text(text, "utf-8")
    err = error_of(path)
    assert [(p.row, p.column) for p in err.problems] == [(text.count("\n"), "revenue")]
    assert "UTF-8" not in str(err)


def test_a_pipe_is_read_within_the_limit(tmp_path: Path) -> None:
    fifo = tmp_path / "data.csv"
    os.mkfifo(fifo)

    def writer() -> None:
        with open(fifo, "w", encoding="utf-8") as fh:
            fh.write("period,revenue,visits\n2026-01,1,2\n")

    t = threading.Thread(target=writer)
    t.start()
    loaded = load(fifo)
    t.join(10)
    assert list(loaded.datasets[None]) and loaded.datasets[None]  # type: ignore[attr-defined]


def _limited() -> None:  # pragma: no cover - runs in the child
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


@pytest.mark.slow
def test_a_40_mb_portfolio_with_a_bad_last_cell_fits_in_1_gib(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    months = [f"{2026 + i // 12}-{i % 12 + 1:02d}" for i in range(36)]
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("partner,period,revenue,leads_total,leads_won,csat,proceeds\n")
        k = 0
        while fh.tell() < 40_000_000:
            fh.writelines(f"k{k},{m},152400.00,200,30,8.2,0.00\n" for m in months)
            k += 1
        fh.write(f"k{k},2026-01,152400.00,abc,30,8.2,0.00\n")
    r = subprocess.run(
        [sys.executable, "-m", "pactlang.cli", "eval", str(ALLIANCE), "--data", str(path), "--by", "partner"],
        capture_output=True,
        text=True,
        preexec_fn=_limited,
    )
    assert r.returncode == 2, r.stderr[-2000:]
    assert "leads_total: 'abc' is not a number" in r.stderr
