"""Benchmark: voting-power analysis by dynamic programming vs brute-force enumeration.

Run: ``/work/venv/bin/python benchmarks/bench_power.py``

* a 25-member committee with varied integer weights (two weight ranges): the DP
  analysis of one decision (``power(..., method="dp")``) and of a whole committee
  (``analyze``);
* a 16-member committee, where both are feasible: DP and enumeration of all 2**16
  coalitions, the results checked equal, and the speedup.

Times are medians of several runs measured with ``time.perf_counter``.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from fractions import Fraction
from functools import partial

from pactlang.kernel.committees import Committee, Decision, Member, VotingRule
from pactlang.kernel.power import analyze, power


def committee(n: int, max_weight: int, seed: int) -> Committee:
    rng = random.Random(seed)
    members = tuple(Member(f"p{i:02d}", Fraction(rng.randint(1, max_weight))) for i in range(n))
    return Committee(
        name=f"c{n}",
        members=members,
        decisions=(
            Decision(
                "two_thirds", VotingRule.of_fraction(">=", Fraction(2, 3), "weight"), ("p00",)
            ),
            Decision("majority", VotingRule.majority()),
            Decision("three_quarters", VotingRule.of_fraction(">", Fraction(3, 4), "cast")),
        ),
    )


def median_seconds(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:10.1f}"


def main() -> None:
    rows: list[tuple[str, str, str, str]] = []

    for max_w in (60, 1000):
        c25 = committee(25, max_w, seed=2026)
        total = sum(m.weight for m in c25.members)
        t = median_seconds(partial(power, c25, "two_thirds", method="dp"), runs=7)
        rows.append((f"25 members, w 1..{max_w} (total {total})", "dp, 1 decision", ms(t), ""))
        t = median_seconds(partial(analyze, c25), runs=5)
        rows.append((f"25 members, w 1..{max_w}", "dp, analyze (3 decisions)", ms(t), ""))

    c16 = committee(16, 60, seed=16)
    for d in ("two_thirds", "majority"):
        dp = power(c16, d, method="dp")
        en = power(c16, d, method="enumeration")
        assert dp.banzhaf == en.banzhaf and dp.shapley == en.shapley, d
        assert dp.minimal_winning_count == en.minimal_winning_count, d
        assert set(dp.minimal_winning) == set(en.minimal_winning) or dp.minimal_winning_truncated
        t_dp = median_seconds(partial(power, c16, d, method="dp"), runs=5)
        t_en = median_seconds(partial(power, c16, d, method="enumeration"), runs=3)
        rows.append((f"16 members, `{d}`", "dp", ms(t_dp), ""))
        rows.append((f"16 members, `{d}`", "enumeration (2^16)", ms(t_en), f"{t_en / t_dp:8.0f}x"))

    head = ("committee", "method", "median ms", "dp speedup")
    widths = [max(len(r[i]) for r in [*rows, head]) for i in range(4)]
    line = "  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True))
    print(line)
    print("-" * len(line))
    for r in rows:
        print("  ".join(x.ljust(w) for x, w in zip(r, widths, strict=True)))


if __name__ == "__main__":
    main()
