"""The DuckDB macros compute the interpreter's quotient, text and comparisons exactly."""

from __future__ import annotations

from decimal import Context, Decimal
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from pactlang.base.values import CONTEXT

duckdb = pytest.importorskip("duckdb")

from pactlang.sql.exact import DUCKDB_MACROS  # noqa: E402

#: values of the cases built exactly (the default 28-digit context would round them)
_WIDE = Context(prec=200)

QUERY = """
WITH s0 AS (SELECT *, pact_qs(a, b) AS sh FROM t),
     s1 AS (SELECT *, pact_qa(a, b, ea, eb, sh) AS x FROM s0),
     s2 AS (SELECT *, pact_qb(x) AS y FROM s1),
     s3 AS (SELECT *, pact_qc(y) AS z0 FROM s2),
     s4 AS (SELECT *, pact_qn(z0) AS z FROM s3),
     s5 AS (SELECT *, pact_qd(z) AS w FROM s4),
     s6 AS (SELECT *, pact_qe(w, a, b, ea, eb) AS q FROM s5)
SELECT i, pact_qtext(q), pact_div_ok(b), pact_qcmp(q, d, ed), pact_qcmp_ok(q, d, ed) FROM s6 ORDER BY i
"""


@pytest.fixture(scope="module")
def con() -> Any:
    c = duckdb.connect()
    for m in DUCKDB_MACROS:
        c.execute(m)
    return c


def _text(q: Decimal) -> str:
    return format(abs(q) if q == 0 else q, "f")


coefficients = st.one_of(st.integers(-(10**28), 10**28), st.integers(-1000, 1000))
divisors = st.one_of(st.integers(-(10**9) + 1, 10**9 - 1), st.sampled_from([1, 3, 7, 10, 100, 600, 999_999_999]))


@settings(max_examples=60, deadline=None)
# found by CI: 10^28 at scale 1 (a 29-digit coefficient) divided by 2
@example(cases=[(10**28, 2, 1, 0, 0, 0)])
@given(
    st.lists(
        st.tuples(coefficients, divisors, st.integers(0, 6), st.integers(0, 4), st.integers(-(10**6), 10**6), st.integers(0, 4)),
        min_size=1,
        max_size=60,
    )
)
def test_quotient_text_and_comparison(con: Any, cases: list[tuple[int, int, int, int, int, int]]) -> None:
    con.execute("CREATE OR REPLACE TEMP TABLE t (i INTEGER, a HUGEINT, b HUGEINT, ea INTEGER, eb INTEGER, d HUGEINT, ed INTEGER)")
    con.executemany(
        "INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(i, a, b, -sa, -sb, d, -sd) for i, (a, b, sa, sb, d, sd) in enumerate(cases)],
    )
    got = con.execute(QUERY).fetchall()
    for (a, b, sa, sb, d, sd), (_, text, div_ok, cmp, cmp_ok) in zip(cases, got, strict=True):
        # built exactly: scaleb() in the default 28-digit context rounds a 29-digit
        # coefficient (10^28 at scale 1 became 10^27 at scale 0)
        x, y = Decimal(a).scaleb(-sa, _WIDE), Decimal(b).scaleb(-sb, _WIDE)
        if y == 0:
            assert text is None
            continue
        assert div_ok
        q = CONTEXT.divide(x, y)
        assert text == _text(q), (x, y)
        other = Decimal(d).scaleb(-sd, _WIDE)
        if cmp_ok:
            assert cmp == (q > other) - (q < other), (x, y, other)
        else:
            assert cmp is None


def test_edges(con: Any) -> None:
    rows = [(4, 100), (1, 4), (10, 5), (0, 5), (1, 3), (2, 3), (-7, 3), (10**28 - 1, 7), (5, 0)]
    con.execute("CREATE OR REPLACE TEMP TABLE t (i INTEGER, a HUGEINT, b HUGEINT, ea INTEGER, eb INTEGER, d HUGEINT, ed INTEGER)")
    con.executemany("INSERT INTO t VALUES (?, ?, ?, 0, 0, 1, 0)", [(i, a, b) for i, (a, b) in enumerate(rows)])
    texts = [r[1] for r in con.execute(QUERY).fetchall()]
    assert texts == ["0.04", "0.25", "2", "0", "0.3333333333333333333333333333", "0.6666666666666666666666666667",
                     "-2.333333333333333333333333333", _text(CONTEXT.divide(Decimal(10**28 - 1), Decimal(7))), None]


def test_a_large_divisor_fails_its_guard(con: Any) -> None:
    assert con.execute("SELECT pact_div_ok(1234567890::HUGEINT), pact_div_ok(123456789::HUGEINT)").fetchone() == (False, True)


def test_digits_of_decimals(con: Any) -> None:
    got = con.execute("SELECT pact_dd(0.05::DECIMAL(38,2)), pact_dd(123.45::DECIMAL(38,2)), pact_dd(100.00::DECIMAL(38,2)), pact_dd(0::DECIMAL(38,2))").fetchone()
    assert got == (1, 5, 5, 0)
