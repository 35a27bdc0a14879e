"""Exact decimal arithmetic in SQL, the way the interpreter computes it.

A decimal of the interpreter (:data:`pactlang.base.values.CONTEXT`: 28
significant digits, half-even) carries its own exponent, which the JSON text
shows (``1.50`` is not ``1.5``).  In SQL a value is a ``DECIMAL(38, s)`` whose
scale ``s`` is fixed per column; the two agree when every value of a column
has the scale ``s`` (``io`` checks it of the data, :mod:`pactlang.sql.compile`
derives it for every expression: ``+``/``-`` take the larger scale, ``*`` the
sum, exactly as Python's exponents) and no result needs more than 28
significant digits (each arithmetic node carries a *guard*, true when its
value has at most 28 digits; a key where a guard fails is evaluated by the
kernel instead).

Division is the one operation whose result has no fixed scale: Python rounds
the quotient to 28 significant digits and then strips trailing zeros down to
the *ideal exponent*.  The DuckDB macros below reproduce that algorithm
(libmpdec's, from the General Decimal Arithmetic specification) on 128-bit
integer coefficients: a quotient is a ``STRUCT(c HUGEINT, e INTEGER)`` —
coefficient and exponent — compared with other values by cross-multiplication
and written as text like ``format(q, "f")``.  The divisor's coefficient must
have at most 9 digits (the dividend is shifted to 29 + 9 digits); otherwise
the guard fails and the kernel computes that key.
"""

from __future__ import annotations

from decimal import Decimal

__all__ = ["DUCKDB_MACROS", "PREC", "reference_quotient"]

PREC = 28
# 10^k as a product of powers of ten up to 10^18, each exactly a double and a BIGINT
_P10 = (
    "CAST(CAST(pow(10, least(greatest(k, 0), 18)) AS BIGINT) AS HUGEINT)"
    " * CAST(pow(10, least(greatest(k - 18, 0), 18)) AS BIGINT)"
    " * CAST(pow(10, least(greatest(k - 36, 0), 2)) AS BIGINT)"
)

def _digits(lo: int, hi: int) -> str:
    """SQL for the number of digits of ``x`` (``x >= 0``), known to be in ``lo .. hi``."""
    if lo == hi:
        return str(lo)
    mid = (lo + hi + 1) // 2  # x has >= mid digits iff x >= 10^(mid-1)
    return f"CASE WHEN x >= {10 ** (mid - 1)}::HUGEINT THEN {_digits(mid, hi)} ELSE {_digits(lo, mid - 1)} END"


#: Macros created in every DuckDB connection of the engine.
DUCKDB_MACROS = [
    # (each macro after those it calls; each reads plain columns, so they expand linearly)
    # 10^k for 0 <= k <= 38 (clamped: a branch not taken may still be computed);
    # pow() is exact here: every power of ten up to 10^22 is a double
    f"CREATE OR REPLACE MACRO pact_p10(k) AS {_P10}",
    # the digits of an integer (a binary search over the powers of ten)
    f"CREATE OR REPLACE MACRO pact_nd0(x) AS {_digits(1, 39)}",
    "CREATE OR REPLACE MACRO pact_nd(x) AS pact_nd0(abs(x))",
    # the significant digits of a DECIMAL's coefficient (0 for zero)
    "CREATE OR REPLACE MACRO pact_dd(x) AS length(replace(ltrim(CAST(abs(x) AS VARCHAR), '0.'), '.', ''))",
    # trailing zeros of a positive integer
    "CREATE OR REPLACE MACRO pact_tz(x) AS length(CAST(x AS VARCHAR)) - length(rtrim(CAST(x AS VARCHAR), '0'))",
    # s: the shift that gives the quotient 29 or 30 digits (a, b: integer coefficients)
    "CREATE OR REPLACE MACRO pact_qs2(na, nb) AS {'sh': nb - na + 29, 'nb': nb}",
    "CREATE OR REPLACE MACRO pact_qs(a, b) AS CASE WHEN a IS NULL OR b IS NULL OR b = 0 OR a = 0 THEN NULL"
    " ELSE pact_qs2(pact_nd(a), pact_nd(b)) END",
    # a: |a| and |b| shifted (ea, eb: the exponents); NULL for a missing operand, b = 0,
    # a = 0 or a divisor of more than 9 digits (the guard fails)
    "CREATE OR REPLACE MACRO pact_qa2(a, b, ea, eb, sh, p) AS CASE WHEN sh >= 0"
    " THEN {'num': abs(a) * p, 'den': abs(b), 'ideal': ea - eb, 'e': ea - eb - sh}"
    " ELSE {'num': abs(a), 'den': abs(b) * p, 'ideal': ea - eb, 'e': ea - eb - sh} END",
    "CREATE OR REPLACE MACRO pact_qa(a, b, ea, eb, s) AS CASE WHEN s IS NULL OR s.nb > 9 THEN NULL"
    " ELSE pact_qa2(a, b, ea, eb, s.sh, pact_p10(abs(s.sh))) END",
    # b: the integer quotient and remainder
    "CREATE OR REPLACE MACRO pact_qb(x) AS {'c': x.num // x.den, 'r': x.num % x.den, 'ideal': x.ideal, 'e': x.e}",
    # c: inexact: a sticky last digit; exact: trailing zeros stripped down to the ideal exponent
    "CREATE OR REPLACE MACRO pact_qc2(c, e, k) AS {'c': c // pact_p10(k), 'e': e + k}",
    "CREATE OR REPLACE MACRO pact_qc(y) AS CASE WHEN y IS NULL THEN NULL WHEN y.r <> 0"
    " THEN {'c': CASE WHEN y.c % 5 = 0 THEN y.c + 1 ELSE y.c END, 'e': y.e}"
    " ELSE pact_qc2(y.c, y.e, least(pact_tz(y.c), greatest(y.ideal - y.e, 0))) END",
    # d: rounded half-even to 28 digits (n: the digits of c, p = 10^(n - 28))
    "CREATE OR REPLACE MACRO pact_qn2(c, e, n) AS {'c': c, 'e': e, 'n': n, 'p': pact_p10(n - 28)}",
    "CREATE OR REPLACE MACRO pact_qn(z) AS CASE WHEN z IS NULL THEN NULL ELSE pact_qn2(z.c, z.e, pact_nd(z.c)) END",
    "CREATE OR REPLACE MACRO pact_qd3(q, e) AS CASE WHEN q = 10000000000000000000000000000::HUGEINT"
    " THEN {'c': 1000000000000000000000000000::HUGEINT, 'e': e + 1} ELSE {'c': q, 'e': e} END",
    "CREATE OR REPLACE MACRO pact_qd2(q, r, half, e) AS pact_qd3("
    " CASE WHEN r > half OR (r = half AND q % 2 = 1) THEN q + 1 ELSE q END, e)",
    "CREATE OR REPLACE MACRO pact_qd(z) AS CASE WHEN z IS NULL THEN NULL WHEN z.n <= 28 THEN {'c': z.c, 'e': z.e}"
    " ELSE pact_qd2(z.c // z.p, z.c % z.p, z.p // 2, z.e + z.n - 28) END",
    # e: the signed quotient {c, e}; NULL when an operand is missing or b = 0; 0 with the ideal exponent
    "CREATE OR REPLACE MACRO pact_qe(w, a, b, ea, eb) AS CASE"
    " WHEN a IS NULL OR b IS NULL OR b = 0 THEN NULL"
    " WHEN a = 0 THEN {'c': 0::HUGEINT, 'e': ea - eb}"
    " ELSE {'c': w.c * sign(a) * sign(b), 'e': w.e} END",
    # the guard of a division: the divisor has at most 9 digits
    "CREATE OR REPLACE MACRO pact_div_ok(b) AS b IS NULL OR pact_nd(b) <= 9",
    "CREATE OR REPLACE MACRO pact_neg(c) AS CASE WHEN c < 0 THEN '-' ELSE '' END",
    # lpad, which never truncates
    "CREATE OR REPLACE MACRO pact_pad(t, n) AS lpad(t, CAST(greatest(length(t), n) AS INTEGER), '0')",
    "CREATE OR REPLACE MACRO pact_point(t, k) AS left(t, CAST(length(t) - k AS BIGINT)) || '.' || right(t, CAST(k AS BIGINT))",
    # format(q, 'f') (a zero without its sign)
    "CREATE OR REPLACE MACRO pact_qtext(q) AS CASE WHEN q IS NULL THEN NULL"
    " WHEN q.c = 0 AND q.e >= 0 THEN '0'"
    " WHEN q.e >= 0 THEN pact_neg(q.c) || CAST(abs(q.c) AS VARCHAR) || repeat('0', CAST(q.e AS BIGINT))"
    " ELSE pact_neg(q.c) || pact_point(pact_pad(CAST(abs(q.c) AS VARCHAR), -q.e + 1), -q.e) END",
    # the guard of a comparison: no product leaves 38 digits
    "CREATE OR REPLACE MACRO pact_qcmp_ok(q, d, ed) AS q IS NULL OR d IS NULL OR"
    " (CASE WHEN q.e >= ed THEN pact_nd(q.c) + q.e - ed ELSE pact_nd(d) + ed - q.e END) <= 37",
    # sign of q - d, d an integer coefficient with exponent ed; NULL if either is
    "CREATE OR REPLACE MACRO pact_qcmp(q, d, ed) AS CASE WHEN q IS NULL OR d IS NULL THEN NULL"
    " WHEN NOT pact_qcmp_ok(q, d, ed) THEN NULL"
    " WHEN q.e >= ed THEN sign(q.c * pact_p10(q.e - ed) - d)"
    " ELSE sign(q.c - d * pact_p10(ed - q.e)) END",
]


def reference_quotient(a: Decimal, b: Decimal) -> Decimal:
    """What the interpreter gives for ``a / b`` (for the tests of the macros)."""
    from pactlang.base.values import CONTEXT

    return CONTEXT.divide(a, b)
