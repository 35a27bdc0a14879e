"""Benchmark: the resource-limit cases of the reliability pass (docs/reliability.md).

Run: ``python benchmarks/bench_limits.py [--runs 3] [--big] [--only NAME]``

Each workload is generated in a temporary folder and run as a real ``pact``
process (``python -m pactlang.cli``) from process start, like a user would;
wall time, CPU time (user + system, which the neighbours of a shared machine
do not inflate) and peak RSS come from ``wait4``.  Medians of ``--runs``.

* ``check`` of a 10,000-line contract (the workload of the former timed test
  ``test_a_10000_line_contract_checks_fast``: ``sema.check`` alone was asked to
  take under 0.4 s; it is also timed in-process here);
* ``analyze`` and ``render`` of a committee of 1,000 members of equal weight
  (issue: 99 s and 63 s);
* ``eval --format json`` of a waterfall with 10,000 parties and of one with
  10,000 tiers, 12 months (issue: 65 s and 20 s);
* ``check`` and ``compile`` of a 100,000-term sum (issue: 51 s, 0.95 GB;
  the time is in the code generator, see docs/reliability.md);
* ``check`` of a 19-million-character string (issue: 11.2 GB, 30 s), of
  ``/dev/zero`` and of a 1 GB file;
* ``eval`` of a 24 MB CSV of one repeated month (issue: 2.4M error lines,
  43 s, 1.4 GB) and, with ``--big``, of a 190 MB portfolio whose last cell is
  bad (issue: 4 GB before the error).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "sema"))


@dataclass
class Run:
    wall: float
    cpu: float
    rss: int  # bytes
    code: int
    stdout_bytes: int
    stderr_lines: int


def pact(args: list[str], cwd: Path) -> Run:
    start = time.monotonic()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "pactlang.cli", *args],
            cwd=cwd,
            stdout=out,
            stderr=err,
            env={**os.environ, "NO_COLOR": "1"},
        )
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.monotonic() - start
        out.seek(0, 2)
        err.seek(0)
        lines = err.read().count(b"\n")
        return Run(
            wall,
            usage.ru_utime + usage.ru_stime,
            usage.ru_maxrss * 1024,
            os.waitstatus_to_exitcode(status),
            out.tell(),
            lines,
        )


def median_run(args: list[str], cwd: Path, runs: int) -> Run:
    results = [pact(args, cwd) for _ in range(runs)]
    results.sort(key=lambda r: r.wall)
    mid = results[len(results) // 2]
    return Run(
        statistics.median(r.wall for r in results),
        statistics.median(r.cpu for r in results),
        max(r.rss for r in results),
        mid.code,
        mid.stdout_bytes,
        mid.stderr_lines,
    )


# --------------------------------------------------------------- workloads


def committee(n: int) -> str:
    lines = ['contract "Big board" {', "  currency EUR"]
    lines += [f'  party p{i} "Party {i}"' for i in range(n)]
    lines.append('  committee board "Board" {')
    lines += [f"    member p{i} weight 1" for i in range(n)]
    lines += [
        "    quorum 50% of weight",
        '    decision budget "Budget" requires >= 2/3 of weight',
        '    decision scope "Scope" requires majority',
        '    decision brand "Brand" requires majority veto p0',
        "  }",
        "}",
    ]
    return "\n".join(lines) + "\n"


def parties(n: int) -> str:
    lines = ['contract "Big fund" {', "  currency EUR", "  effective 2026-01-01 until 2026-12-31"]
    lines += [f'  party p{i} "P{i}"' for i in range(n)]
    lines += ['  measure proceeds "Proceeds": money', "  waterfall fund {", "    distributes proceeds", "    tier repay {"]
    lines += [f"      pay p{i} up to 100 EUR" for i in range(n)]
    lines += ["      pro rata", "    }", "    tier surplus {"]
    lines.append("      split " + ", ".join(f"p{i} {100 / n:g}%" for i in range(n)))
    lines += ["    }", "  }", "}"]
    return "\n".join(lines) + "\n"


def tiers(n: int) -> str:
    lines = ['contract "Deep fund" {', "  currency EUR", "  effective 2026-01-01 until 2026-12-31"]
    lines += ['  party a "A"', '  party b "B"', '  measure proceeds "Proceeds": money']
    lines += ["  waterfall fund {", "    distributes proceeds"]
    lines += [f"    tier t{i} {{ pay a up to 1 EUR }}" for i in range(n)]
    lines += ["    tier rest { split a 50%, b 50% }", "  }", "}"]
    return "\n".join(lines) + "\n"


def long_sum(n: int) -> str:
    return (
        'contract "Long sum" {\n  currency EUR\n  effective 2026-01-01 until 2026-12-31\n'
        '  measure m "M": number\n  let x = ' + " + ".join(["m"] * n) + '\n  kpi k "K": number = x\n}\n'
    )


def proceeds_csv() -> str:
    return "period,proceeds\n" + "".join(f"2026-{m:02d},{1_000_000 * m}.00\n" for m in range(1, 13))


def setup(folder: Path, big: bool) -> None:
    from sema_gen import big_contract

    (folder / "big10k.pact").write_text(big_contract(834), "utf-8")
    (folder / "board1000.pact").write_text(committee(1000), "utf-8")
    (folder / "parties.pact").write_text(parties(10_000), "utf-8")
    (folder / "tiers.pact").write_text(tiers(10_000), "utf-8")
    (folder / "proceeds.csv").write_text(proceeds_csv(), "utf-8")
    (folder / "sum.pact").write_text(long_sum(100_000), "utf-8")
    (folder / "str19m.pact").write_text(
        'contract "X" {\n  id "' + "x" * 19_000_000 + '"\n  currency EUR\n}\n', "utf-8"
    )
    with open(folder / "huge.pact", "wb") as fh:
        fh.truncate(1 << 30)
    line = "2026-01,152400.00,200,30,8.2,0.00\n"
    with open(folder / "repeated.csv", "w", encoding="utf-8") as fh:
        fh.write("period,revenue,leads_total,leads_won,csat,proceeds\n")
        fh.write(line * (24_000_000 // len(line)))
    if big:
        months = [f"{2026 + i // 12}-{i % 12 + 1:02d}" for i in range(36)]
        with open(folder / "big190.csv", "w", encoding="utf-8") as fh:
            fh.write("partner,period,revenue,leads_total,leads_won,csat,proceeds\n")
            k = 0
            while fh.tell() < 190_000_000:
                fh.writelines(f"k{k},{m},152400.00,200,30,8.2,0.00\n" for m in months)
                k += 1
            fh.write(f"k{k},2026-01,152400.00,abc,30,8.2,0.00\n")


ALLIANCE = str(ROOT / "examples" / "contracts" / "alliance.pact")

WORKLOADS: list[tuple[str, str, list[str], str]] = [
    ("check10k", "`pact check` of a 10,000-line contract", ["check", "big10k.pact"], "—"),
    ("analyze1000", "`pact analyze`, 1,000 equal-weight members, 3 decisions", ["analyze", "board1000.pact"], "99 s"),
    ("render1000", "`pact render --notes`, 1,000 equal-weight members", ["render", "board1000.pact", "--lang", "en", "--notes"], "63 s"),
    ("parties", "`pact eval --format json`, 10,000 waterfall parties, 12 months", ["eval", "parties.pact", "--data", "proceeds.csv", "--format", "json"], "65 s"),
    ("tiers", "`pact eval --format json`, 10,000 waterfall tiers, 12 months", ["eval", "tiers.pact", "--data", "proceeds.csv", "--format", "json"], "20 s"),
    ("sumcheck", "`pact check`, a 100,000-term sum", ["check", "sum.pact"], "—"),
    ("sumcompile", "`pact compile`, a 100,000-term sum", ["compile", "sum.pact", "-o", "sum.py"], "51 s, 0.95 GB"),
    ("str19m", "`pact check`, a 19,000,000-character string", ["check", "str19m.pact"], "30 s, 11.2 GB"),
    ("devzero", "`pact check /dev/zero`", ["check", "/dev/zero"], "killed by the kernel"),
    ("huge", "`pact check` of a 1 GB file", ["check", "huge.pact"], "read whole first"),
    ("repeated", "`pact eval`, 24 MB CSV of one repeated month", ["eval", ALLIANCE, "--data", "repeated.csv"], "43 s, 1.4 GB"),
    ("big190", "`pact eval --by`, 190 MB portfolio, bad last cell (`--big`)", ["eval", ALLIANCE, "--data", "big190.csv", "--by", "partner"], "4 GB"),
]


def in_process_check(folder: Path, runs: int) -> float:
    """``sema.check`` alone on the 10,000-line contract (the former test's measure)."""
    from pactlang.sema import check
    from pactlang.syntax.parser import parse_source

    parsed = parse_source((folder / "big10k.pact").read_text("utf-8"), "big.pact")
    best = float("inf")
    for _ in range(max(runs, 3)):
        start = time.perf_counter()
        check(parsed.module, "big.pact")
        best = min(best, time.perf_counter() - start)
    return best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--big", action="store_true", help="also the 190 MB portfolio (about a minute)")
    ap.add_argument("--only", action="append", help="run only these workloads (names in the code)")
    args = ap.parse_args(argv)
    show: Callable[[str], None] = print
    with tempfile.TemporaryDirectory(prefix="pact-bench-") as tmp:
        folder = Path(tmp)
        setup(folder, args.big)
        show("| workload | before (issue) | exit | wall | CPU | peak RSS | stderr lines |")
        show("|---|---|---:|---:|---:|---:|---:|")
        for name, title, cmd, before in WORKLOADS:
            if name == "big190" and not args.big:
                continue
            if args.only and name not in args.only:
                continue
            runs = 1 if name in ("big190", "repeated", "str19m", "sumcompile") else args.runs
            r = median_run(cmd, folder, runs)
            show(
                f"| {title} | {before} | {r.code} | {r.wall:.2f} s | {r.cpu:.2f} s | "
                f"{r.rss / 2**20:.0f} MiB | {r.stderr_lines:,} |"
            )
        if not args.only or "check10k" in args.only:
            show("")
            show(f"`sema.check` alone on the 10,000-line contract, in-process, best of "
                 f"{max(args.runs, 3)}: {in_process_check(folder, args.runs):.3f} s (goal < 0.4 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
