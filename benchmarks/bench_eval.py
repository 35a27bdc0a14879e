"""Workload P1: a portfolio of generated contracts evaluated with ``--by contract``.

1,000 contracts × 36 months of generated data (leads_total, leads_won, revenue,
csat); KPIs ``conversion = leads_won / leads_total`` and ``sum(revenue, 3
months)``; a threshold ``breach`` when conversion < 5% for 3 months, ``watch``
below 10%, else ``ok``.

In the same process it times:

* ``engine``: ``ContractProgram.run`` over every key's rows (already loaded);
* ``hand loop``: a hand-written all-Decimal Python loop computing the same
  KPIs and statuses over the same rows — the baseline;
* ``compiled`` (when ``pactlang.codegen`` can compile): the generated module;

and checks that all of them agree.  Then it runs the whole command
``pact eval --by contract --format json`` on 10× the rows (360,000) in a
subprocess and reports its wall time and peak memory.

Run: ``python benchmarks/bench_eval.py [--contracts 1000] [--months 36] [--repeat 5]``
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

CONTRACT = """\
contract "P1 benchmark" {
  currency EUR
  party a "A"
  party b "B"
  measure leads_total "Leads": count
  measure leads_won "Leads won": count
  measure revenue "Revenue": money
  measure csat "Satisfaction": number
  kpi conversion "Conversion": percent = leads_won / leads_total {
    owner a
    source "CRM"
    frequency monthly
  }
  kpi revenue_3m "Revenue over 3 months": money = sum(revenue, 3 months) {
    owner a
    source "ERP"
    frequency monthly
  }
  kpi satisfaction "Satisfaction": number = csat {
    owner b
    source "Survey"
    frequency monthly
  }
  threshold floor "Conversion floor" {
    when conversion < 5% for 3 months: breach
    when conversion < 10%: watch
    otherwise: ok
  }
}
"""


def generate_csv(path: Path, contracts: int, months: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as fh:
        fh.write("contract,period,leads_total,leads_won,revenue,csat\n")
        for c in range(contracts):
            for m in range(months):
                year, month = 2026 + m // 12, m % 12 + 1
                total = rng.randint(0, 400)
                won = rng.randint(0, max(total // 6, 0)) if total else 0
                revenue = f"{rng.randint(0, 5_000_000)}.{rng.randint(0, 99):02d}"
                csat = f"{rng.randint(40, 100) / 10:.1f}"
                blank = rng.random() < 0.01
                fh.write(
                    f"c{c:05d},{year:04d}-{month:02d},{total},{'' if blank else won},{revenue},{csat}\n"
                )


def hand_loop(datasets: dict, months_sorted: dict) -> dict:
    """The baseline: the same results computed directly with Decimal."""
    five, ten = Decimal("0.05"), Decimal("0.10")
    out = {}
    for key, rows in datasets.items():
        periods = months_sorted[key]
        conv: list[Decimal | None] = []
        rev: list[Decimal | None] = []
        statuses: list[str] = []
        rev3: list[Decimal | None] = []
        for t, p in enumerate(periods):
            row = rows[p]
            lt, lw, r = row["leads_total"], row["leads_won"], row["revenue"]
            c = None if lt is None or lw is None or lt == 0 else lw / lt
            conv.append(c)
            rev.append(r)
            if t >= 2 and rev[t] is not None and rev[t - 1] is not None and rev[t - 2] is not None:
                rev3.append(rev[t - 2] + rev[t - 1] + rev[t])
            else:
                rev3.append(None)
            # rule 1: three-valued and over the last 3 checks (before the timeline: false)
            window = [conv[i] < five if conv[i] is not None else None for i in range(t - 2, t + 1) if i >= 0]
            held: bool | None
            if t < 2 or any(v is False for v in window):
                held = False
            elif any(v is None for v in window):
                held = None
            else:
                held = True
            if held:
                statuses.append("breach")
                continue
            if c is not None and c < ten:
                statuses.append("watch")
            elif c is None or held is None:
                statuses.append("no-data")
            else:
                statuses.append("ok")
        out[key] = (conv, rev3, statuses)
    return out


def timed(fn, repeat: int) -> tuple[float, object]:
    times = []
    result = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--contracts", type=int, default=1000)
    ap.add_argument("--months", type=int, default=36)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--skip-e2e", action="store_true")
    args = ap.parse_args()

    import pactlang

    tmp = Path(tempfile.mkdtemp(prefix="pact-bench-"))
    contract_path = tmp / "p1.pact"
    contract_path.write_text(CONTRACT, encoding="utf-8")
    data = tmp / "p1.csv"
    generate_csv(data, args.contracts, args.months)
    contract = pactlang.load(contract_path)
    t0 = time.perf_counter()
    loaded = contract.read_data(data, by="contract")
    load_s = time.perf_counter() - t0
    datasets = loaded.datasets
    rows = sum(len(v) for v in datasets.values())
    months_sorted = {k: sorted(v) for k, v in datasets.items()}
    program = contract.program

    def engine() -> list:
        return [program.run(rows, key=str(k)) for k, rows in datasets.items()]

    engine_s, evs = timed(engine, args.repeat)
    hand_s, ref = timed(lambda: hand_loop(datasets, months_sorted), args.repeat)

    # the two must agree
    for ev in evs:  # type: ignore[union-attr]
        conv, rev3, statuses = ref[ev.key]  # type: ignore[index]
        assert ev.env.series["conversion"] == conv, ev.key
        assert ev.env.series["revenue_3m"] == rev3, ev.key
        assert ev.thresholds["floor"].status == statuses, (ev.key, ev.thresholds["floor"].status, statuses)

    lines = [
        f"P1: {args.contracts} contracts × {args.months} months = {rows:,} rows (Python {sys.version.split()[0]})",
        f"  data load (CSV, validated)  {load_s * 1000:9.1f} ms  (once)",
        f"  engine (interpreter)        {engine_s * 1000:9.1f} ms  median of {args.repeat}",
        f"  hand-written Decimal loop   {hand_s * 1000:9.1f} ms  median of {args.repeat}",
        f"  ratio engine / hand loop    {engine_s / hand_s:9.2f}×",
    ]
    try:
        from pactlang.codegen import compile_module_source  # type: ignore[attr-defined]
    except ImportError:
        compile_module_source = None
    if compile_module_source is not None:
        ns: dict = {}
        code = compile_module_source(contract)
        exec(compile(code, "p1_compiled.py", "exec"), ns)  # benchmark of our own generated code
        run_compiled = ns["evaluate"]
        comp_s, _ = timed(lambda: [run_compiled(rows) for rows in datasets.values()], args.repeat)
        lines.append(f"  compiled module             {comp_s * 1000:9.1f} ms  median of {args.repeat}")
        lines.append(f"  ratio compiled / hand loop  {comp_s / hand_s:9.2f}×")
    print("\n".join(lines))

    if not args.skip_e2e:
        big = tmp / "p1x10.csv"
        generate_csv(big, args.contracts * 10, args.months, seed=11)
        pact = Path(sys.executable).with_name("pact")
        t0 = time.perf_counter()
        proc = subprocess.run(
            [str(pact), "eval", str(contract_path), "--data", str(big), "--by", "contract", "--format", "json"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env={**os.environ, "NO_COLOR": "1"},
            check=False,
        )
        wall = time.perf_counter() - t0
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        status = "ok" if proc.returncode == 0 else f"exit {proc.returncode}: {proc.stderr.decode()[-300:]}"
        print(
            f"end to end: pact eval --by contract --format json on {args.contracts * 10 * args.months:,} rows: "
            f"{wall:.2f} s wall, peak RSS {peak:.0f} MiB ({status})"
        )


if __name__ == "__main__":
    main()
