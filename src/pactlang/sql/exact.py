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
_P10 = "[" + ", ".join(f"{10**k}::HUGEINT" for k in range(39)) + "]"

#: Macros created in every DuckDB connection of the engine.
DUCKDB_MACROS = [
    # (each macro after those it calls)
    f"CREATE OR REPLACE MACRO pact_p10(k) AS ({_P10})[k + 1]",
    "CREATE OR REPLACE MACRO pact_nd(x) AS length(CAST(abs(x) AS VARCHAR))",
    # the significant digits of a DECIMAL's coefficient (0 for zero)
    "CREATE OR REPLACE MACRO pact_dd(x) AS length(replace(ltrim(CAST(abs(x) AS VARCHAR), '0.'), '.', ''))",
    "CREATE OR REPLACE MACRO pact_tz(x) AS length(CAST(x AS VARCHAR)) - length(rtrim(CAST(x AS VARCHAR), '0'))",
    "CREATE OR REPLACE MACRO pact_q7(q, e) AS CASE WHEN q = pact_p10(28)"
    " THEN {'c': pact_p10(27), 'e': e + 1} ELSE {'c': q, 'e': e} END",
    "CREATE OR REPLACE MACRO pact_q6(q, r, half, e) AS pact_q7("
    " CASE WHEN r > half OR (r = half AND q % 2 = 1) THEN q + 1 ELSE q END, e)",
    "CREATE OR REPLACE MACRO pact_q5(c, e) AS CASE WHEN pact_nd(c) <= 28"
    " THEN {'c': c, 'e': e}"
    " ELSE pact_q6(c // pact_p10(pact_nd(c) - 28), c % pact_p10(pact_nd(c) - 28),"
    " 5 * pact_p10(pact_nd(c) - 29), e + pact_nd(c) - 28) END",
    "CREATE OR REPLACE MACRO pact_q4(c, r, ideal, e) AS CASE"
    " WHEN r <> 0 THEN pact_q5(CASE WHEN c % 5 = 0 THEN c + 1 ELSE c END, e)"
    " ELSE pact_q5(c // pact_p10(least(pact_tz(c), greatest(ideal - e, 0))),"
    " e + least(pact_tz(c), greatest(ideal - e, 0))) END",
    "CREATE OR REPLACE MACRO pact_q3(num, den, ideal, e) AS pact_q4(num // den, num % den, ideal, e)",
    "CREATE OR REPLACE MACRO pact_q2(a, b, ideal, shift) AS pact_q3("
    " CASE WHEN shift >= 0 THEN a * pact_p10(shift) ELSE a END,"
    " CASE WHEN shift >= 0 THEN b ELSE b * pact_p10(-shift) END, ideal, ideal - shift)",
    "CREATE OR REPLACE MACRO pact_q1(a, b, ea, eb) AS pact_q2(abs(a), abs(b), ea - eb,"
    " pact_nd(b) - pact_nd(a) + 29)",
    "CREATE OR REPLACE MACRO pact_sgn(q, s) AS {'c': q.c * s, 'e': q.e}",
    "CREATE OR REPLACE MACRO pact_div(a, b, ea, eb) AS CASE"
    " WHEN a IS NULL OR b IS NULL OR b = 0 THEN NULL"
    " WHEN a = 0 THEN {'c': 0::HUGEINT, 'e': ea - eb}"
    " ELSE pact_sgn(pact_q1(a, b, ea, eb), sign(a) * sign(b)) END",
    "CREATE OR REPLACE MACRO pact_div_ok(b) AS b IS NULL OR pact_nd(b) <= 9",
    "CREATE OR REPLACE MACRO pact_neg(c) AS CASE WHEN c < 0 THEN '-' ELSE '' END",
    # lpad, which never truncates
    "CREATE OR REPLACE MACRO pact_pad(t, n) AS lpad(t, CAST(greatest(length(t), n) AS INTEGER), '0')",
    "CREATE OR REPLACE MACRO pact_point(t, k) AS left(t, CAST(length(t) - k AS BIGINT)) || '.' || right(t, CAST(k AS BIGINT))",
    "CREATE OR REPLACE MACRO pact_qtext(q) AS CASE WHEN q IS NULL THEN NULL"
    " WHEN q.c = 0 AND q.e >= 0 THEN '0'"
    " WHEN q.e >= 0 THEN pact_neg(q.c) || CAST(abs(q.c) AS VARCHAR) || repeat('0', CAST(q.e AS BIGINT))"
    " ELSE pact_neg(q.c) || pact_point(pact_pad(CAST(abs(q.c) AS VARCHAR), -q.e + 1), -q.e) END",
    "CREATE OR REPLACE MACRO pact_qcmp(q, d, ed) AS CASE WHEN q IS NULL OR d IS NULL THEN NULL"
    " WHEN q.e >= ed THEN sign(q.c * pact_p10(q.e - ed) - d)"
    " ELSE sign(q.c - d * pact_p10(ed - q.e)) END",
    "CREATE OR REPLACE MACRO pact_qcmp_ok(q, d, ed) AS q IS NULL OR d IS NULL OR"
    " (CASE WHEN q.e >= ed THEN pact_nd(q.c) + q.e - ed ELSE pact_nd(d) + ed - q.e END) <= 37",
]


def reference_quotient(a: Decimal, b: Decimal) -> Decimal:
    """What the interpreter gives for ``a / b`` (for the tests of the macros)."""
    from pactlang.base.values import CONTEXT

    return CONTEXT.divide(a, b)
