"""Portfolios at scale: `pact eval` against the hand-written all-Decimal loop, whole processes.

    python benchmarks/bench_portfolio.py [--contracts 10000] [--engine interpreter]
        [--format json] [--repeats 3] [--no-loop] [--check] [--loop-repeats N]

Generates the peer benchmark's data (``../shared/bench/peers/gen_data.py -n
N``: N contracts × 36 months) into ``benchmarks/data/`` (git-ignored), then
runs, side by side and alternately, ``repeats`` times each:

* the loop: ``python ../shared/bench/peers/hand_written.py --all-decimal DATA``
  — reads the CSV, converts it, evaluates P1 five times (its default) and
  prints a checksum (no JSON is written);
* pact: ``pact eval ../shared/bench/p1.pact --data DATA --by contract
  --format FORMAT --engine ENGINE -o OUT`` — reads and validates the data,
  evaluates, writes every result (JSON: one line per contract, ~190 bytes
  per month).

Each side is a whole process; its wall time, CPU time (user + system) and
peak RSS come from ``os.wait4``.  Medians are printed with the ratios pact
/ loop.  ``--check`` also compares the output with the interpreter's
(``--engine interpreter``, same format).  The figures and their command
lines are copied into ``benchmarks/README.md`` by hand.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SHARED = next(
    (p / "shared" for p in (REPO.parent, REPO.parent.parent) if (p / "shared" / "bench").is_dir()),
    REPO.parent / "shared",
)
PEERS = SHARED / "bench" / "peers"
P1 = SHARED / "bench" / "p1.pact"
DATA = HERE / "data"
PACT = str(Path(sys.executable).parent / "pact")


def data_file(contracts: int) -> Path:
    path = DATA / f"p1_{contracts}.csv"
    if not path.exists():
        DATA.mkdir(exist_ok=True)
        subprocess.run(
            [sys.executable, str(PEERS / "gen_data.py"), "-n", str(contracts), "-o", str(path)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return path


def measure(argv: list[str]) -> tuple[float, float, int]:
    """(wall s, CPU s, peak RSS KiB) of one whole process."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(argv)}\n{err}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def pact_argv(data: Path, engine: str, fmt: str, out: Path) -> list[str]:
    return [PACT, "eval", str(P1), "--data", str(data), "--by", "contract", "--format", fmt, "--engine", engine, "-o", str(out)]


def installed_bytecode() -> None:
    """Compile pactlang's modules to bytecode, as ``pip install`` does for an
    installed package, so that no timed process compiles them (an editable
    install under ``PYTHONDONTWRITEBYTECODE=1`` would, at every start)."""
    import compileall

    import pactlang

    compileall.compile_dir(str(Path(pactlang.__file__).parent), quiet=1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--contracts", type=int, default=10000)
    ap.add_argument("--engine", default="interpreter")
    ap.add_argument("--format", default="json")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--no-loop", action="store_true", help="time pact only")
    ap.add_argument("--check", action="store_true", help="compare the output with the interpreter's")
    ap.add_argument("--loop-repeats", type=int, default=None, help="the loop's -r (default: its own, 5)")
    a = ap.parse_args()
    installed_bytecode()
    data = data_file(a.contracts)
    rows = sum(1 for _ in open(data, "rb")) - 1
    out = DATA / f"out_{a.contracts}_{a.engine}.{a.format}"
    loop = [sys.executable, str(PEERS / "hand_written.py"), "--all-decimal", str(data)]
    if a.loop_repeats is not None:
        loop += ["-r", str(a.loop_repeats)]
    pact = pact_argv(data, a.engine, a.format, out)
    lt: list[tuple[float, float, int]] = []
    pt: list[tuple[float, float, int]] = []
    for _ in range(a.repeats):
        if not a.no_loop:
            lt.append(measure(loop))
        pt.append(measure(pact))

    def med(xs: list[tuple[float, float, int]], i: int) -> float:
        return statistics.median(x[i] for x in xs)

    print(f"data: {data.name}, {rows} rows; machine: {os.cpu_count()} cores; repeats: {a.repeats} (medians)")
    print(f"pact: {' '.join(pact)}")
    print(f"  wall {med(pt, 0):.2f} s  cpu {med(pt, 1):.2f} s  peak RSS {med(pt, 2) / 1024:.0f} MiB  output {out.stat().st_size / 2**20:.0f} MiB")
    if lt:
        print(f"loop: {' '.join(loop)}")
        print(f"  wall {med(lt, 0):.2f} s  cpu {med(lt, 1):.2f} s  peak RSS {med(lt, 2) / 1024:.0f} MiB")
        print(f"ratio pact/loop: wall {med(pt, 0) / med(lt, 0):.2f}x  cpu {med(pt, 1) / med(lt, 1):.2f}x")
    if a.check and a.engine != "interpreter":
        ref = DATA / f"out_{a.contracts}_interpreter.{a.format}"
        if not ref.exists():
            measure(pact_argv(data, "interpreter", a.format, ref))
        same = ref.read_bytes() == out.read_bytes()
        print(f"output identical to the interpreter's: {same}")


if __name__ == "__main__":
    main()
