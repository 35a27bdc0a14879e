"""Parser tests: every construct of LANGUAGE.md parses into the expected AST
nodes with correct spans; syntax errors give the documented codes at the right
``line:col``; the grammar is conflict-free under Lark's strict mode."""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import lark
import pytest

from pactlang.base.values import Period
from pactlang.diagnostics import Diagnostic, Span
from pactlang.syntax import ast
from pactlang.syntax.grammar import START_SYMBOLS, grammar_text, keywords
from pactlang.syntax.parser import ParseResult, parse, parse_source

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures" / "parse"
REPO = HERE.parents[1]


# ----------------------------------------------------------------- helpers


def ok(text: str) -> ast.Module:
    """Parse ``text``, which must have no diagnostic at all."""
    r = parse_source(text, "t.pact")
    assert r.diagnostics == [], [d.message for d in r.diagnostics]
    check_spans(r.module, text)
    return r.module


def contract_text(body: str) -> str:
    return 'contract "c" {\n' + body + "\n}\n"


def decls(body: str) -> tuple[ast.Decl, ...]:
    m = ok(contract_text(body))
    assert m.contract is not None
    return m.contract.decls


def expr(source: str) -> ast.Expr:
    (d,) = decls(f"  let v = {source}")
    assert isinstance(d, ast.LetDecl)
    assert not isinstance(d.value, ast.Schedule)
    return d.value


def expects(body: str) -> tuple[ast.Expectation, ...]:
    m = ok('test "t" {\n' + body + "\n}\n")
    return m.tests[0].expects


def codes(r: ParseResult) -> list[tuple[int, int, str]]:
    return sorted(
        (d.span.line, d.span.col, d.code) if d.span else (0, 0, d.code) for d in r.diagnostics
    )


def at(node: Any) -> tuple[int, int]:
    return node.span.line, node.span.col


def src(text: str, node: Any) -> str:
    return text[node.span.start : node.span.end]


def find(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """(line, col) of the ``nth`` occurrence of ``needle``, by plain text search."""
    i = -1
    for _ in range(nth + 1):
        i = text.index(needle, i + 1)
    return _line_col(text, i)


def sx(e: Any) -> Any:
    """A compact s-expression of an expression, for structural assertions."""
    match e:
        case ast.NumberLit(value=v):
            return str(v)
        case ast.PercentLit(value=v):
            return f"{v}%frac"
        case ast.MoneyLit(amount=v, currency=c):
            return f"{v} {c}"
        case ast.StringLit(value=v):
            return repr(v)
        case ast.BoolLit(value=v):
            return str(v).lower()
        case ast.DateLit(value=v):
            return v.isoformat()
        case ast.PeriodLit(value=v):
            return f"{v.year:04d}-{v.month:02d}"
        case ast.DurationLit(amount=n, unit=u):
            return f"{n} {u}"
        case ast.MissingLit():
            return "missing"
        case ast.Name():
            return e.dotted
        case ast.Unary(op=op, operand=x):
            return (op, sx(x))
        case ast.Arith(ops=ops, operands=xs):
            out: list[Any] = [sx(xs[0])]
            for arith_op, x in zip(ops, xs[1:], strict=True):
                out += [arith_op, sx(x)]
            return ("arith", *out)
        case ast.Logic(op=op, operands=xs):
            return (op, *[sx(x) for x in xs])
        case ast.Compare(op=op, left=a, right=b):
            return (op, sx(a), sx(b))
        case ast.IfThenElse(cond=c, then=t, else_=f):
            return ("if", sx(c), sx(t), sx(f))
        case ast.Otherwise(value=a, fallback=b):
            return ("otherwise", sx(a), sx(b))
        case ast.ToDate():
            return "to date"
        case ast.YearToDate():
            return "year to date"
        case ast.Call(func=f, args=args):
            return (f.name + "()", *[sx(a) for a in args])
    raise AssertionError(f"not an expression: {e!r}")


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def nodes(root: Any) -> Iterator[Any]:
    """Every dataclass node under ``root`` (explicit stack: trees may be deep)."""
    stack = [root]
    while stack:
        n = stack.pop()
        if isinstance(n, tuple):
            stack.extend(n)
        elif dataclasses.is_dataclass(n) and not isinstance(n, type):
            yield n
            for f in dataclasses.fields(n):
                stack.append(getattr(n, f.name))


def check_spans(module: ast.Module, text: str) -> None:
    """Every span lies inside the text and its line/col agree with its offsets."""
    for n in nodes(module):
        s = getattr(n, "span", None)
        if not isinstance(s, Span):
            continue
        assert 0 <= s.start <= s.end <= len(text), (n, s)
        assert (s.line, s.col) == _line_col(text, s.start), (type(n).__name__, s)
        assert (s.end_line, s.end_col) == _line_col(text, s.end), (type(n).__name__, s)


def read_expected(path: Path) -> list[tuple[int, int, str, str]]:
    out = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        m = re.fullmatch(r"(\d+):(\d+) ([EW]\d{3})(?: (.*))?", line)
        assert m, f"{path.name}: malformed line {raw!r}"
        out.append((int(m[1]), int(m[2]), m[3], m[4] or ""))
    return sorted(out)


# ---------------------------------------------------------------- grammar


def test_grammar_is_conflict_free_in_strict_mode() -> None:
    import interegular  # noqa: F401  (strict mode needs it to detect terminal collisions)

    p = lark.Lark(
        grammar_text(),
        parser="lalr",
        lexer="basic",
        propagate_positions=True,
        maybe_placeholders=True,
        start=START_SYMBOLS,
        strict=True,
    )
    assert {t.name for t in p.terminals} >= {
        "NAME",
        "NUMBER",
        "STRING",
        "DATE",
        "PERIOD",
        "PERCENT",
    }


def test_strict_mode_does_reject_a_conflict() -> None:
    """The strict build above can fail: a shift/reduce conflict is an error."""
    with pytest.raises(lark.exceptions.GrammarError):
        lark.Lark('start: a | a "x"\na: "y" | "y" "x"\n', parser="lalr", strict=True)


# ---------------------------------------------------------- spec example


def test_spec_example_fixture_is_the_spec_text() -> None:
    candidates = [
        REPO / "docs" / "spec" / "LANGUAGE.md",
        REPO.parent / "shared" / "spec" / "LANGUAGE.md",
    ]
    spec = next((p for p in candidates if p.is_file()), None)
    if spec is None:
        pytest.skip("LANGUAGE.md is not available next to this checkout")
    block = re.search(r"```pact\n(.*?)```", spec.read_text(encoding="utf-8"), re.S)
    assert block is not None
    assert (FIXTURES / "spec_example.pact").read_text(encoding="utf-8") == block[1]


def test_spec_example() -> None:
    text = (FIXTURES / "spec_example.pact").read_text(encoding="utf-8")
    m = ok(text)
    c = m.contract
    assert c is not None and m.tests_for is None
    assert c.title.value == "Alliance Solutions Durables"
    assert at(c) == find(text, 'contract "') and c.span.end_line == find(text, "\n}\n")[0] + 1
    kinds = [type(d).__name__ for d in c.decls]
    assert kinds == [
        "IdDecl", "VersionDecl", "EffectiveDecl", "CurrencyDecl", "LanguageDecl",
        "PartyDecl", "PartyDecl",
        "MeasureDecl", "MeasureDecl", "MeasureDecl", "MeasureDecl",
        "LetDecl", "KpiDecl", "ThresholdDecl", "CommitteeDecl", "EscalationDecl", "WaterfallDecl",
    ]  # fmt: skip
    by = {d.name.name: d for d in c.decls if hasattr(d, "name")}

    # header
    idd, ver, eff, cur, lang = c.decls[:5]
    assert isinstance(idd, ast.IdDecl) and idd.value.value == "ASD-2026-01"
    assert isinstance(ver, ast.VersionDecl) and ver.value.value == "2.1"
    assert isinstance(eff, ast.EffectiveDecl)
    assert eff.start.value == datetime.date(2026, 1, 1)
    assert eff.until is not None and eff.until.value == datetime.date(2028, 12, 31)
    assert (
        isinstance(cur, ast.CurrencyDecl)
        and cur.code.name == "EUR"
        and at(cur) == find(text, "currency")
    )
    assert isinstance(lang, ast.LanguageDecl) and lang.lang.name == "fr"

    # parties and measures, with labels and a translation
    acme = by["acme"]
    assert isinstance(acme, ast.PartyDecl) and acme.labels.get() == "ACME SAS"
    assert at(acme) == find(text, "party acme") and at(acme.name) == find(text, "acme")
    assert src(text, acme) == 'party acme  "ACME SAS"'
    rev = by["revenue"]
    assert isinstance(rev, ast.MeasureDecl) and rev.type.name == "money"
    assert rev.labels.get() == "Chiffre d'affaires co-généré"
    assert rev.labels.get("en") == "Co-generated revenue"
    assert [t.lang.name for t in rev.labels.translations] == ["en"]
    assert [(a.key.name, sx(a.value)) for a in rev.attrs] == [
        ("owner", "acme"),
        ("source", "'CRM partagé'"),
    ]
    assert at(rev) == find(text, "measure revenue")
    assert rev.span.end_line == find(text, "  }")[0] and rev.span.end_col == 4
    assert isinstance(by["leads_won"], ast.MeasureDecl) and by["leads_won"].type.name == "count"

    # a schedule
    tg = by["target_growth"]
    assert isinstance(tg, ast.LetDecl) and isinstance(tg.value, ast.Schedule)
    assert [(sx(e.value), sx(e.start)) for e in tg.value.entries] == [
        ("0.10%frac", "2026-01"),
        ("0.15%frac", "2027-01"),
    ]
    assert at(tg.value.entries[1]) == find(text, "15% from")
    assert src(text, tg.value) == "10% from 2026-01, 15% from 2027-01"

    # KPI
    k = by["conversion"]
    assert isinstance(k, ast.KpiDecl) and k.type.name == "percent"
    assert sx(k.expr) == ("arith", "leads_won", "/", "leads_total")
    assert [a.key.name for a in k.attrs] == ["owner", "target"]
    assert src(text, k.expr) == "leads_won / leads_total"

    # threshold
    th = by["conversion_floor"]
    assert isinstance(th, ast.ThresholdDecl)
    assert th.checked is not None and th.checked.value == "monthly"
    assert [r.status.value for r in th.rules] == ["breach", "watch", "bonus"]
    r1, r2, r3 = th.rules
    assert sx(r1.cond) == ("<", "conversion", "0.05%frac")
    assert r1.persistence is not None and (r1.persistence.count, r1.persistence.unit) == (
        3,
        "month",
    )
    assert at(r1) == find(text, "when conversion <")
    assert r1.span.end_line == find(text, "=> escalate disputes")[0]
    pay, esc = r1.actions
    assert isinstance(pay, ast.PayAction) and not pay.once
    assert sx(pay.amount) == "5000 EUR" and (pay.payer.name, pay.payee.name) == ("orbis", "acme")
    assert pay.label is not None and pay.label.value == "Pénalité de sous-performance"
    assert isinstance(esc, ast.EscalateAction) and esc.ladder.name == "disputes"
    assert at(esc) == find(text, "=> escalate")
    assert r2.persistence is None
    assert isinstance(r2.actions[0], ast.FreeAction)
    assert r2.actions[0].text.value == "Intensification des moyens commerciaux"
    (bonus,) = r3.actions
    assert isinstance(bonus, ast.PayAction) and bonus.once and sx(bonus.amount) == "10000 EUR"
    assert (
        th.otherwise is not None
        and th.otherwise.status.value == "ok"
        and th.otherwise.actions == ()
    )

    # committee
    cm = by["steering"]
    assert isinstance(cm, ast.CommitteeDecl)
    assert [(mb.party.name, mb.weight.value) for mb in cm.members] == [("acme", 60), ("orbis", 40)]
    assert cm.quorum is not None and (cm.quorum.kind, cm.quorum.count) == ("members", 2)
    assert cm.meets is not None and cm.meets.cadence.value == "quarterly"
    assert cm.consensus is not None and cm.consensus.rounds == 2
    rules = {d.name.name: d for d in cm.decisions}
    budget = rules["budget"].rule
    assert (budget.kind, budget.strict, budget.base) == ("fraction", False, "weight")
    assert budget.fraction is not None and (
        budget.fraction.numerator,
        budget.fraction.denominator,
    ) == (2, 3)
    assert rules["scope"].rule.kind == "majority" and rules["scope"].vetoes == ()
    assert [v.name for v in rules["brand"].vetoes] == ["acme"]
    veto_line, veto_col = find(text, "veto acme")
    assert at(rules["brand"].vetoes[0]) == (veto_line, veto_col + len("veto "))
    assert rules["exit"].rule.kind == "unanimity"
    assert rules["exit"].labels.get() == "Sortie d'un partenaire"

    # escalation ladder
    lad = by["disputes"]
    assert isinstance(lad, ast.EscalationDecl)
    steps = [(s.name.name, s.within and sx(s.within), s.final) for s in lad.steps]
    assert steps == [
        ("managers", "10 business_day", False),
        ("executives", "15 day", False),
        ("mediation", "30 day", False),
        ("arbitration", None, True),
    ]
    assert [(a.key.name, sx(a.value)) for a in lad.steps[3].attrs] == [
        ("institution", "'CCI'"),
        ("seat", "'Paris'"),
        ("arbitrators", "3"),
        ("language", "fr"),
    ]
    assert src(text, lad.steps[0].within) == "10 business days"

    # waterfall
    wf = by["fund"]
    assert isinstance(wf, ast.WaterfallDecl) and sx(wf.distributes) == "proceeds"
    t1, t2 = wf.tiers
    assert t1.name is None and t1.labels.get() == "Remboursement de l'investissement initial"
    assert [(p.party.name, sx(p.cap)) for p in t1.pays] == [
        ("acme", "300000 EUR"),
        ("orbis", "200000 EUR"),
    ]
    assert t1.mode is None and not t1.is_split
    assert [(s.party.name, s.share.value) for s in t2.splits] == [
        ("acme", Decimal("0.60")),
        ("orbis", Decimal("0.40")),
    ]
    assert t2.is_split and t2.cap is None

    # the test block
    (tb,) = m.tests
    assert tb.name.value == "three weak months trigger a breach" and at(tb) == find(text, "test ")
    (data,) = tb.data
    assert isinstance(data, ast.InlineData)
    assert [(sx(r.period), [(c.name.name, sx(c.value)) for c in r.cells]) for r in data.rows] == [
        ("2026-01", [("leads_total", "100"), ("leads_won", "4")]),
        ("2026-02", [("leads_total", "100"), ("leads_won", "3")]),
        ("2026-03", [("leads_total", "100"), ("leads_won", "2")]),
    ]
    e1, e2, e3 = tb.expects
    assert isinstance(e1, ast.ExpectValue) and sx(e1.expr) == "conversion"
    assert e1.at is not None and sx(e1.at) == "2026-03" and sx(e1.expected) == "0.02%frac"
    assert isinstance(e2, ast.ExpectStatus) and (e2.threshold.name, e2.status.name) == (
        "conversion_floor",
        "watch",
    )
    assert isinstance(e3, ast.ExpectStatus) and e3.status.name == "breach"
    assert at(e3) == find(text, "expect conversion_floor", 1) and at(e3.status) == find(
        text, "breach\n}"
    )

    # comments are collected in order, with their positions
    assert m.comments[0].text == "# Annexe B — Performance et gouvernance" and at(
        m.comments[0]
    ) == (1, 1)
    assert [at(cm_) for cm_ in m.comments[1:]] == [
        find(text, "# language of"),
        find(text, "# a schedule"),
    ]


def test_parse_wrapper_returns_module_and_diagnostics() -> None:
    module, diags = parse('contract "c" {\n  party a\n}\n', "w.pact")
    assert module.contract is not None and diags == []
    module, diags = parse('contract "c" {\n  party\n}\n', "w.pact")
    assert [d.code for d in diags] == ["E001"] and diags[0].path == "w.pact"


# --------------------------------------------------------------- literals


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("12", "12"),
        ("12.5", "12.5"),
        ("1_000_000", "1000000"),
        ("20%", "0.20%frac"),
        ("12.5%", "0.125%frac"),
        ("300_000 EUR", "300000 EUR"),
        ("1_000.50 EUR", "1000.50 EUR"),
        ("2026-01-01", "2026-01-01"),
        ("2026-03", "2026-03"),
        ("10 days", "10 day"),
        ("1 day", "1 day"),
        ("10 business days", "10 business_day"),
        ("1 business day", "1 business_day"),
        ("3 months", "3 month"),
        ("1 month", "1 month"),
        ("2 quarters", "2 quarter"),
        ("1 year", "1 year"),
        ("5 years", "5 year"),
        ("true", "true"),
        ("false", "false"),
        ("missing", "missing"),
        ('"Chiffre d\'affaires co-généré"', '"Chiffre d\'affaires co-généré"'),
        (r'"say \"hi\"\\ \n"', repr('say "hi"\\ \n')),
    ],
)
def test_literals(source: str, expected: str) -> None:
    assert sx(expr(source)) == expected


def test_number_keeps_its_text_and_is_decimal() -> None:
    n = expr("1_000_000.25")
    assert isinstance(n, ast.NumberLit)
    assert n.text == "1_000_000.25" and n.value == Decimal("1000000.25")
    p = expr("12.5%")
    assert isinstance(p, ast.PercentLit) and p.text == "12.5" and p.value == Decimal("0.125")
    money = expr("300_000 EUR")
    assert isinstance(money, ast.MoneyLit) and money.text == "300_000" and money.currency == "EUR"
    period = expr("2026-03")
    assert isinstance(period, ast.PeriodLit) and period.value == Period(2026, 3)


# ------------------------------------------------------------ expressions


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("a + b * c", ("arith", "a", "+", ("arith", "b", "*", "c"))),
        ("(a + b) * c", ("arith", ("arith", "a", "+", "b"), "*", "c")),
        ("a - b - c + d", ("arith", "a", "-", "b", "-", "c", "+", "d")),
        ("a / b * c", ("arith", "a", "/", "b", "*", "c")),
        ("-a", ("-", "a")),
        ("-a * b", ("arith", ("-", "a"), "*", "b")),
        ("a - -b", ("arith", "a", "-", ("-", "b"))),
        ("- - 2", ("-", ("-", "2"))),
        ("-(a + b)", ("-", ("arith", "a", "+", "b"))),
        ("- 5 EUR", ("-", "5 EUR")),
        ("a < b", ("<", "a", "b")),
        ("a <= b", ("<=", "a", "b")),
        ("a > b", (">", "a", "b")),
        ("a >= b", (">=", "a", "b")),
        ("a == b", ("==", "a", "b")),
        ("a != b", ("!=", "a", "b")),
        ("a + 1 < b * 2", ("<", ("arith", "a", "+", "1"), ("arith", "b", "*", "2"))),
        ("not a", ("not", "a")),
        ("not a and b", ("and", ("not", "a"), "b")),
        ("a or b and c", ("or", "a", ("and", "b", "c"))),
        ("a and b and c", ("and", "a", "b", "c")),
        ("a < 1 or b > 2", ("or", ("<", "a", "1"), (">", "b", "2"))),
        ("if a > 1 then b else c", ("if", (">", "a", "1"), "b", "c")),
        ("if a then b else if c then d else e", ("if", "a", "b", ("if", "c", "d", "e"))),
        ("1 + (if a then b else c)", ("arith", "1", "+", ("if", "a", "b", "c"))),
        ("x otherwise 0 EUR", ("otherwise", "x", "0 EUR")),
        ("a otherwise b otherwise c", ("otherwise", "a", ("otherwise", "b", "c"))),
        ("a + b otherwise 0", ("otherwise", ("arith", "a", "+", "b"), "0")),
        ("fund.pref", "fund.pref"),
        ("a.b.c", "a.b.c"),
        ("sum(x, 3 months)", ("sum()", "x", "3 month")),
        ("avg(x, 12 months)", ("avg()", "x", "12 month")),
        ("min(x, 6 months)", ("min()", "x", "6 month")),
        ("max(x, 6 months)", ("max()", "x", "6 month")),
        ("sum(x, to date)", ("sum()", "x", "to date")),
        ("sum(x, year to date)", ("sum()", "x", "year to date")),
        ("previous(x)", ("previous()", "x")),
        ("previous(x, 12 months)", ("previous()", "x", "12 month")),
        ("abs(a - b)", ("abs()", ("arith", "a", "-", "b"))),
        ("round(x, 2)", ("round()", "x", "2")),
        ("min(a, b, c)", ("min()", "a", "b", "c")),
        ("max(a, 1)", ("max()", "a", "1")),
        ("distributed(fund)", ("distributed()", "fund")),
        ("distributed(fund, acme)", ("distributed()", "fund", "acme")),
        (
            "distributed(fund.pref, acme, to date)",
            ("distributed()", "fund.pref", "acme", "to date"),
        ),
        ("retained(fund)", ("retained()", "fund")),
        ("paid(orbis, acme, to date)", ("paid()", "orbis", "acme", "to date")),
        ("status(floor)", ("status()", "floor")),
        ("banzhaf(steering.budget, acme)", ("banzhaf()", "steering.budget", "acme")),
        ("shapley(steering.budget, orbis)", ("shapley()", "steering.budget", "orbis")),
        (
            "25% * distributed(fund.pref, to date)",
            ("arith", "0.25%frac", "*", ("distributed()", "fund.pref", "to date")),
        ),
        ("2026-01-01 + 10 days", ("arith", "2026-01-01", "+", "10 day")),
        ("2026-03-01 - 2026-01-01", ("arith", "2026-03-01", "-", "2026-01-01")),
        ("f()", ("f()",)),
    ],
)
def test_expressions(source: str, expected: Any) -> None:
    assert sx(expr(source)) == expected


def test_expression_spans() -> None:
    text = 'contract "c" {\n  let v = -(a + b) * sum(x, to date) otherwise 0\n}\n'
    m = ok(text)
    assert m.contract is not None
    (d,) = m.contract.decls
    assert isinstance(d, ast.LetDecl) and isinstance(d.value, ast.Otherwise)
    assert src(text, d.value) == "-(a + b) * sum(x, to date) otherwise 0"
    prod = d.value.value
    assert isinstance(prod, ast.Arith) and src(text, prod) == "-(a + b) * sum(x, to date)"
    neg, call = prod.operands
    assert isinstance(neg, ast.Unary) and src(text, neg) == "-(a + b)" and at(neg) == (2, 11)
    assert isinstance(call, ast.Call) and at(call) == (2, 22) and at(call.func) == (2, 22)
    assert isinstance(call.args[1], ast.ToDate) and src(text, call.args[1]) == "to date"
    assert at(d.value.fallback) == (2, len("  let v = -(a + b) * sum(x, to date) otherwise ") + 1)


def test_name_parts_have_their_own_spans() -> None:
    text = 'contract "c" {\n  let v = fund.pref\n}\n'
    n = ok(text).contract.decls[0].value  # type: ignore[union-attr]
    assert isinstance(n, ast.Name)
    assert [(p.name, at(p)) for p in n.parts] == [("fund", (2, 11)), ("pref", (2, 16))]
    assert n.head.name == "fund" and src(text, n) == "fund.pref"


# ------------------------------------------------------------ declarations


def test_header_items() -> None:
    d = decls(
        '  id "X-1"\n  version "3"\n  effective 2026-01-01\n  currency JPY\n  language en\n  calendar FR'
    )
    idd, ver, eff, cur, lang, cal = d
    assert isinstance(eff, ast.EffectiveDecl) and eff.until is None
    assert isinstance(cur, ast.CurrencyDecl) and cur.code.name == "JPY"
    assert isinstance(lang, ast.LanguageDecl) and lang.lang.name == "en"
    assert (
        isinstance(cal, ast.CalendarDecl)
        and cal.country.name == "FR"
        and cal.country.span.line == 7
    )
    assert (cal.country.span.col, cal.country.span.end_col) == (12, 14)


def test_signed_place_and_date() -> None:
    (both, place, date) = decls(
        '  signed at "Lille" on 2025-12-15\n  signed at "Paris"\n  signed on 2026-01-02'
    )
    assert isinstance(both, ast.SignedDecl) and both.place is not None
    assert both.place.value == "Lille" and both.date is not None
    assert both.date.value == datetime.date(2025, 12, 15)
    assert isinstance(place, ast.SignedDecl) and place.date is None
    assert isinstance(date, ast.SignedDecl) and date.place is None
    r = parse_source(contract_text("  signed"), "s.pact")
    assert [d.code for d in r.diagnostics] == ["E001"]


def test_party_particulars() -> None:
    (party,) = decls(
        '  party acme "ACME" {\n    legal_name "ACME SAS"\n'
        '    legal_form "SAS" en "simplified joint-stock company"\n'
        '    office "Paris"\n    registration "RCS 1"\n'
        '    represented_by "J. Martin" "Présidente" en "President"\n  }'
    )
    assert isinstance(party, ast.PartyDecl)
    assert [i.key for i in party.items] == [
        "legal_name",
        "legal_form",
        "office",
        "registration",
        "represented_by",
    ]
    form = party.item("legal_form")
    assert form is not None and form.translations[0].text.value == "simplified joint-stock company"
    rep = party.item("represented_by")
    assert rep is not None and rep.value.value == "J. Martin"
    assert rep.capacity is not None and rep.capacity.get("en") == "President"
    (bare,) = decls('  party orbis "Orbis"')
    assert isinstance(bare, ast.PartyDecl) and bare.items == ()
    # a particular that is not one is a syntax error, not an ignored attribute
    r = parse_source(contract_text('  party a "A" {\n    adress "x"\n  }'), "p.pact")
    assert [d.code for d in r.diagnostics] == ["E001"]


def test_clauses() -> None:
    (clause,) = decls(
        '  clause pen "8.1" "Pénalité" en "Penalty" {\n'
        '    text "Un {a} \\"b\\"." en "A {a}."\n'
        "    governs x, y\n    governs z\n    non-binding\n  }"
    )
    assert isinstance(clause, ast.ClauseDecl)
    assert clause.number.value == "8.1" and clause.labels.get("en") == "Penalty"
    (text,) = clause.texts
    assert text.get() == 'Un {a} "b".' and text.get("en") == "A {a}." and text.get("de") is None
    assert [g.name for g in clause.governs] == ["x", "y", "z"]
    assert clause.binding is False
    (plain,) = decls('  clause intro "1" {\n    text "Objet."\n  }')
    assert isinstance(plain, ast.ClauseDecl) and plain.binding is True
    assert plain.labels.primary is None
    # `non-binding` is one word: `non - binding` is not it
    r = parse_source(contract_text('  clause c "1" {\n    non - binding\n  }'), "c.pact")
    assert r.diagnostics and r.diagnostics[0].code == "E001"


def test_multilingual_labels() -> None:
    text = 'contract "c" {\n  party a "Partenaire A" en "Partner A" de "Partner A (de)"\n  party b\n}\n'
    m = ok(text)
    a, b = m.contract.decls  # type: ignore[union-attr]
    assert isinstance(a, ast.PartyDecl) and isinstance(b, ast.PartyDecl)
    assert a.labels.get() == "Partenaire A" and a.labels.get("en") == "Partner A"
    assert a.labels.get("de") == "Partner A (de)" and a.labels.get("it") == "Partenaire A"
    assert [(t.lang.name, at(t)) for t in a.labels.translations] == [
        ("en", find(text, 'en "')),
        ("de", find(text, 'de "')),
    ]
    assert src(text, a.labels) == '"Partenaire A" en "Partner A" de "Partner A (de)"'
    # no label: empty labels anchored right after the name
    assert b.labels.primary is None and b.labels.get("en") is None
    assert b.labels.span.start == b.labels.span.end == b.name.span.end


def test_let_forms() -> None:
    plain, typed, sched, labelled = decls(
        "  let a = 1\n"
        "  let b: money = 120_000 EUR * (1 + a)\n"
        "  let c = 10% from 2026-01, 12.5% from 2027-01, a from 2028-06\n"
        '  let d "Dee" en "D": percent = 5%'
    )
    assert isinstance(plain, ast.LetDecl) and plain.type is None and sx(plain.value) == "1"
    assert isinstance(typed, ast.LetDecl) and typed.type is not None and typed.type.name == "money"
    assert isinstance(sched, ast.LetDecl) and isinstance(sched.value, ast.Schedule)
    assert [(sx(e.value), sx(e.start)) for e in sched.value.entries] == [
        ("0.10%frac", "2026-01"),
        ("0.125%frac", "2027-01"),
        ("a", "2028-06"),
    ]
    assert isinstance(labelled, ast.LetDecl) and labelled.labels.get("en") == "D"


@pytest.mark.parametrize(
    "type_name",
    ["number", "count", "percent", "money", "bool", "date", "period", "duration", "party", "text"],
)
def test_every_type_name(type_name: str) -> None:
    (m,) = decls(f"  measure m: {type_name}")
    assert isinstance(m, ast.MeasureDecl) and m.type.name == type_name and m.attrs == ()


def test_kpi_attributes_and_frequency() -> None:
    (k,) = decls(
        '  kpi k "K": percent = a / b {\n    owner acme\n    source "CRM"\n    frequency quarterly\n    target 20%\n  }'
    )
    assert isinstance(k, ast.KpiDecl)
    assert [a.key.name for a in k.attrs] == ["owner", "source", "frequency", "target"]
    freq = k.attrs[2].value
    assert isinstance(freq, ast.FreqValue) and freq.value == "quarterly" and freq.span.line == 5


def test_thresholds_cadences_persistence_and_actions() -> None:
    body = (
        "  threshold t {\n"
        "    checked quarterly\n"
        "    when x < 1 for 2 quarters: breach\n"
        '      => once pay 10 EUR * 2 from a to b "L"\n'
        "      => once escalate lad\n"
        "      => notify a, b\n"
        '      => once action "do it"\n'
        "    when x < 2 for 1 year: watch\n"
        "      => pay 1 EUR from b to a\n"
        "    when x > 9: bonus\n"
        "    otherwise: ok\n"
        "      => notify a\n"
        "  }"
    )
    (t,) = decls(body)
    assert (
        isinstance(t, ast.ThresholdDecl)
        and t.checked is not None
        and t.checked.value == "quarterly"
    )
    r1, r2, r3 = t.rules
    assert r1.persistence is not None and (r1.persistence.count, r1.persistence.unit) == (
        2,
        "quarter",
    )
    assert r2.persistence is not None and (r2.persistence.count, r2.persistence.unit) == (1, "year")
    assert r3.persistence is None and r3.actions == ()
    pay, esc, notify, free = r1.actions
    assert (
        isinstance(pay, ast.PayAction)
        and pay.once
        and sx(pay.amount) == ("arith", "10 EUR", "*", "2")
    )
    assert pay.label is not None and pay.label.value == "L"
    assert (
        at(pay) == find(contract_text(body), "=> once pay") and pay.span.end == pay.label.span.end
    )
    assert isinstance(esc, ast.EscalateAction) and esc.once and esc.ladder.name == "lad"
    assert isinstance(notify, ast.NotifyAction) and not notify.once
    assert [p.name for p in notify.parties] == ["a", "b"]
    assert isinstance(free, ast.FreeAction) and free.once and free.text.value == "do it"
    (unlabelled,) = r2.actions
    assert (
        isinstance(unlabelled, ast.PayAction) and unlabelled.label is None and not unlabelled.once
    )
    assert t.otherwise is not None and [type(a).__name__ for a in t.otherwise.actions] == [
        "NotifyAction"
    ]


@pytest.mark.parametrize("cadence", ["monthly", "quarterly", "yearly"])
def test_checked_cadences(cadence: str) -> None:
    (t,) = decls(f"  threshold t {{\n    checked {cadence}\n    when x: ok\n  }}")
    assert isinstance(t, ast.ThresholdDecl) and t.checked is not None and t.checked.value == cadence


def test_threshold_without_checked_or_otherwise() -> None:
    (t,) = decls("  threshold t {\n    when x > 1: watch\n  }")
    assert isinstance(t, ast.ThresholdDecl) and t.checked is None and t.otherwise is None


@pytest.mark.parametrize(
    ("rule", "kind", "strict", "fraction", "base"),
    [
        ("majority", "majority", True, None, None),
        ("unanimity", "unanimity", False, None, None),
        (">= 2/3 of weight", "fraction", False, (2, 3, "2/3"), "weight"),
        ("> 1/2 of present", "fraction", True, (1, 2, "1/2"), "present"),
        (">= 50% of cast", "fraction", False, (1, 2, "50%"), "cast"),
        ("> 66.5% of weight", "fraction", True, (133, 200, "66.5%"), "weight"),
        (">= 3/4 of cast", "fraction", False, (3, 4, "3/4"), "cast"),
    ],
)
def test_decision_rules(
    rule: str, kind: str, strict: bool, fraction: tuple[int, int, str] | None, base: str | None
) -> None:
    (c,) = decls(f"  committee c {{\n    member a weight 1\n    decision d requires {rule}\n  }}")
    assert isinstance(c, ast.CommitteeDecl)
    (d,) = c.decisions
    r = d.rule
    assert (r.kind, r.base) == (kind, base)
    if kind == "fraction":
        assert r.strict is strict
        assert r.fraction is not None
        assert (r.fraction.numerator, r.fraction.denominator, r.fraction.text) == fraction
    else:
        assert r.fraction is None
    assert d.vetoes == ()


def test_vetoes_and_quorum_forms() -> None:
    text = contract_text(
        "  committee c1 {\n"
        "    member a weight 60\n"
        "    member b weight 40.5\n"
        "    quorum 60% of weight\n"
        "    consensus 1 round\n"
        "    decision d1 requires majority veto a\n"
        "    decision d2 requires >= 2/3 of weight veto a, b\n"
        "  }\n"
        "  committee c2 { member a weight 1 quorum 2 members meets yearly }"
    )
    c1, c2 = ok(text).contract.decls  # type: ignore[union-attr]
    assert isinstance(c1, ast.CommitteeDecl) and isinstance(c2, ast.CommitteeDecl)
    q = c1.quorum
    assert q is not None and q.kind == "weight" and q.count is None
    assert q.fraction is not None and (q.fraction.numerator, q.fraction.denominator) == (3, 5)
    assert c1.members[1].weight.value == Decimal("40.5")
    assert c1.consensus is not None and c1.consensus.rounds == 1
    d1, d2 = c1.decisions
    assert [v.name for v in d1.vetoes] == ["a"]
    line, col = find(text, "veto a, b")
    assert [(v.name, at(v)) for v in d2.vetoes] == [("a", (line, col + 5)), ("b", (line, col + 8))]
    q2 = c2.quorum
    assert q2 is not None and (q2.kind, q2.count, q2.fraction) == ("members", 2, None)
    assert c2.meets is not None and c2.meets.cadence.value == "yearly"


def test_escalation_ladder() -> None:
    body = (
        '  escalation lad "Différends" en "Disputes" {\n'
        "    step s1 within 10 business days\n"
        '    step s2 "Two" within 1 business day { institution "I" }\n'
        "    step s3 within 2 months\n"
        '    step s4 "Four" final { institution "CCI" seat "Paris" arbitrators 3 language fr rules "ICC 2021" }\n'
        "  }"
    )
    (lad,) = decls(body)
    assert isinstance(lad, ast.EscalationDecl) and lad.labels.get("en") == "Disputes"
    got = [(s.name.name, s.within and (s.within.amount, s.within.unit), s.final) for s in lad.steps]
    assert got == [
        ("s1", (10, "business_day"), False),
        ("s2", (1, "business_day"), False),
        ("s3", (2, "month"), False),
        ("s4", None, True),
    ]
    assert [a.key.name for a in lad.steps[1].attrs] == ["institution"]
    assert [a.key.name for a in lad.steps[3].attrs] == [
        "institution",
        "seat",
        "arbitrators",
        "language",
        "rules",
    ]
    assert (
        at(lad.steps[3]) == find(contract_text(body), "step s4")
        and lad.steps[3].labels.get() == "Four"
    )
    assert src(contract_text(body), lad.steps[1].within) == "1 business day"


def test_waterfall_tiers() -> None:
    text = (
        'contract "c" {\n'
        "  waterfall fund {\n"
        "    distributes proceeds - costs\n"
        '    tier senior "Senior" { pay a up to 100 EUR pay b up to 50 EUR in order }\n'
        "    tier pref {\n      pay a up to 10 EUR\n      pro rata\n    }\n"
        "    tier { pay gp up to 25% * distributed(fund.pref, to date) }\n"
        '    tier "Surplus" { split a 60%, b 40% up to 1_000 EUR }\n'
        "    tier rest { split a 50%, b 50% }\n"
        "  }\n"
        "}\n"
    )
    m = ok(text)
    (wf,) = m.contract.decls  # type: ignore[union-attr]
    assert isinstance(wf, ast.WaterfallDecl)
    assert sx(wf.distributes) == ("arith", "proceeds", "-", "costs")
    senior, pref, catch_up, surplus, rest = wf.tiers
    assert (
        senior.name is not None and senior.name.name == "senior" and senior.labels.get() == "Senior"
    )
    assert [(p.party.name, sx(p.cap)) for p in senior.pays] == [("a", "100 EUR"), ("b", "50 EUR")]
    assert senior.mode == "in_order" and not senior.is_split
    assert pref.mode == "pro_rata" and pref.name is not None and pref.labels.primary is None
    assert catch_up.name is None and catch_up.labels.primary is None and catch_up.mode is None
    assert catch_up.labels.span.start == catch_up.span.start + len("tier")
    assert sx(catch_up.pays[0].cap) == (
        "arith",
        "0.25%frac",
        "*",
        ("distributed()", "fund.pref", "to date"),
    )
    assert surplus.name is None and surplus.labels.get() == "Surplus" and surplus.is_split
    assert [(s.party.name, s.share.value) for s in surplus.splits] == [
        ("a", Decimal("0.60")),
        ("b", Decimal("0.40")),
    ]
    assert surplus.cap is not None and sx(surplus.cap) == "1000 EUR"
    assert rest.cap is None and [at(s) for s in rest.splits] == [
        find(text, "a 50%"),
        find(text, "b 50%"),
    ]
    assert src(text, surplus) == 'tier "Surplus" { split a 60%, b 40% up to 1_000 EUR }'


# ------------------------------------------------------------------ tests


def test_every_expect_form() -> None:
    body = (
        "  data { 2026-01: m = 1, n = 2 EUR\n"
        "         2026-02: m = missing, n = -1 EUR, flag = true }\n"
        '  data "fixtures/q1.csv"\n'
        "  expect conversion at 2026-03 == 2% within 0.01%\n"
        "  expect revenue at 2026-01 == 1 EUR\n"
        "  expect banzhaf(steering.budget, acme) == 1/2 within 0.001\n"
        "  expect 1 + 1 == 2\n"
        "  expect conversion at 2026-03 is missing\n"
        "  expect previous(conversion) is missing\n"
        "  expect floor at 2026-02 is watch\n"
        "  expect floor at 2026-03 is no-data\n"
        "  expect vote steering.budget { acme yes, orbis no } is rejected\n"
        "  expect vote steering.exit { acme abstain, orbis absent, } round 3 is no-quorum\n"
        "  expect escalation disputes opened 2026-01-05 on 2026-01-06 is managers\n"
        "  expect escalation disputes opened 2026-01-05 with managers failed 2026-01-10, "
        "executives resolved 2026-02-01 on 2026-02-02 is resolved\n"
        "  expect escalation disputes opened 2026-01-05 deadline managers == 2026-01-19"
    )
    m = ok('test "t" {\n' + body + "\n}\n")
    (tb,) = m.tests
    inline, file = tb.data
    assert isinstance(inline, ast.InlineData) and isinstance(file, ast.FileData)
    assert file.path.value == "fixtures/q1.csv"
    assert [[(c.name.name, sx(c.value)) for c in r.cells] for r in inline.rows] == [
        [("m", "1"), ("n", "2 EUR")],
        [("m", "missing"), ("n", ("-", "1 EUR")), ("flag", "true")],
    ]
    e = tb.expects
    assert [type(x).__name__ for x in e] == [
        "ExpectValue", "ExpectValue", "ExpectValue", "ExpectValue",
        "ExpectMissing", "ExpectMissing", "ExpectStatus", "ExpectStatus",
        "ExpectVote", "ExpectVote",
        "ExpectEscalationState", "ExpectEscalationState", "ExpectEscalationDeadline",
    ]  # fmt: skip
    v0, v1, v2, v3, m0, m1, s0, s1, vote0, vote1, es0, es1, dl = e
    assert isinstance(v0, ast.ExpectValue) and v0.at is not None and sx(v0.at) == "2026-03"
    assert (
        v0.within is not None and sx(v0.within) == "0.0001%frac" and sx(v0.expected) == "0.02%frac"
    )
    assert isinstance(v1, ast.ExpectValue) and v1.within is None and sx(v1.expected) == "1 EUR"
    assert isinstance(v2, ast.ExpectValue) and v2.at is None
    assert sx(v2.expr) == ("banzhaf()", "steering.budget", "acme")
    assert sx(v2.expected) == ("arith", "1", "/", "2") and v2.within is not None
    assert isinstance(v3, ast.ExpectValue) and sx(v3.expr) == ("arith", "1", "+", "1")
    assert isinstance(m0, ast.ExpectMissing) and m0.at is not None
    assert (
        isinstance(m1, ast.ExpectMissing)
        and m1.at is None
        and sx(m1.expr) == ("previous()", "conversion")
    )
    assert isinstance(s0, ast.ExpectStatus) and (s0.threshold.name, s0.status.name) == (
        "floor",
        "watch",
    )
    assert isinstance(s1, ast.ExpectStatus) and s1.status.name == "no-data"
    assert isinstance(vote0, ast.ExpectVote)
    assert (vote0.committee.name, vote0.decision.name, vote0.round) == ("steering", "budget", None)
    assert [(b.party.name, b.vote) for b in vote0.ballot] == [("acme", "yes"), ("orbis", "no")]
    assert vote0.outcome.name == "rejected"
    assert (
        isinstance(vote1, ast.ExpectVote) and vote1.round == 3 and vote1.outcome.name == "no-quorum"
    )
    assert [b.vote for b in vote1.ballot] == ["abstain", "absent"]
    assert isinstance(es0, ast.ExpectEscalationState) and es0.events == ()
    assert es0.opened.value == datetime.date(2026, 1, 5) and es0.on.value == datetime.date(
        2026, 1, 6
    )
    assert es0.state.name == "managers"
    assert isinstance(es1, ast.ExpectEscalationState) and es1.state.name == "resolved"
    assert [(ev.step.name, ev.kind, ev.date.value.isoformat()) for ev in es1.events] == [
        ("managers", "failed", "2026-01-10"),
        ("executives", "resolved", "2026-02-01"),
    ]
    assert isinstance(dl, ast.ExpectEscalationDeadline)
    assert (dl.ladder.name, dl.step.name, dl.date.value) == (
        "disputes",
        "managers",
        datetime.date(2026, 1, 19),
    )
    text = 'test "t" {\n' + body + "\n}\n"
    assert at(dl) == find(text, "expect escalation disputes opened 2026-01-05 deadline")
    assert at(es1.events[1]) == find(text, "executives resolved")
    assert at(vote1.ballot[1]) == find(text, "orbis absent")


def test_tests_for_file() -> None:
    text = 'tests for "alliance.pact"\n\ntest "a" {\n  expect x == 1\n}\ntest "b" {\n  expect y == 2\n}\n'
    m = ok(text)
    assert m.contract is None
    assert (
        m.tests_for is not None
        and m.tests_for.path.value == "alliance.pact"
        and at(m.tests_for) == (1, 1)
    )
    assert [t.name.value for t in m.tests] == ["a", "b"] and at(m.tests[1]) == (6, 1)


def test_tests_only_and_empty_files() -> None:
    m = ok('test "a" {\n}\n')
    assert m.contract is None and m.tests_for is None and len(m.tests) == 1
    m = ok("")
    assert m.contract is None and m.tests == () and m.comments == ()
    m = ok("# only a comment\n")
    assert [c.text for c in m.comments] == ["# only a comment"]


def test_expect_errors_in_builder() -> None:
    r = parse_source('test "t" {\n  expect x > 1\n  expect a.b at 2026-01 is breach\n}\n', "t.pact")
    assert codes(r) == [(2, 10, "E070"), (3, 10, "E070")]


# ------------------------------------------------------------ diagnostics


def test_keyword_as_name_is_e004_naming_it() -> None:
    r = parse_source('contract "c" {\n  measure count: count\n}\n', "k.pact")
    (d,) = r.diagnostics
    assert d.code == "E004" and "`count`" in d.message and (d.span.line, d.span.col) == (2, 11)  # type: ignore[union-attr]
    assert d.help is not None and "count_value" in d.help


_KEYWORD_TEMPLATES = [
    'contract "c" {{\n  let {k} = 1\n}}\n',
    'contract "c" {{\n  party {k} "P"\n}}\n',
    'contract "c" {{\n  measure {k}: money\n}}\n',
]


@pytest.mark.parametrize("template", _KEYWORD_TEMPLATES)
def test_every_keyword_is_reserved(template: str) -> None:
    """Every reserved word, declaration keywords included, gives one E004 naming it."""
    bad = []
    for k in sorted(keywords()):
        r = parse_source(template.format(k=k), "k.pact")
        got = [(d.code, d.span and (d.span.line, d.span.col)) for d in r.diagnostics]
        col = template.index("{k}") - template.index("\n") - 1 + 1
        if got != [("E004", (2, col))] or f"`{k}`" not in r.diagnostics[0].message:
            bad.append((k, got))
    assert bad == []


def test_keywords_include_the_spec_vocabulary() -> None:
    kw = keywords()
    assert {
        "contract",
        "party",
        "measure",
        "let",
        "kpi",
        "count",
        "money",
        "when",
        "otherwise",
    } <= kw
    assert {"owner", "source", "target", "acme", "sum", "previous", "abs"}.isdisjoint(kw)


@pytest.mark.parametrize("pact", sorted(FIXTURES.glob("*.pact")), ids=lambda p: p.stem)
def test_fixture(pact: Path) -> None:
    text = pact.read_text(encoding="utf-8")
    expected = read_expected(pact.with_suffix(".expected"))
    r = parse_source(text, str(pact))
    got = sorted(
        (d.span.line, d.span.col, d.code, d.message) if d.span else (0, 0, d.code, d.message)
        for d in r.diagnostics
    )
    assert [g[:3] for g in got] == [e[:3] for e in expected], [g for g in got]
    for g, e in zip(got, expected, strict=True):
        assert e[3] in g[3], f"{g[3]!r} should mention {e[3]!r}"
    assert all(d.path == str(pact) for d in r.diagnostics)
    check_spans(r.module, text)


def test_fixtures_cover_the_required_error_kinds() -> None:
    names = {p.stem for p in FIXTURES.glob("*.pact")}
    required = {
        "missing_brace", "bad_character", "bad_date", "bad_month", "unexpected_token",
        "unterminated_string", "keyword_as_name", "eof", "three_errors",
    }  # fmt: skip
    assert required <= names
    for n in names:
        assert (FIXTURES / f"{n}.expected").is_file(), n


def test_recovery_keeps_the_good_declarations() -> None:
    text = (FIXTURES / "three_errors.pact").read_text(encoding="utf-8")
    r = parse_source(text, "three.pact")
    assert [d.span.line for d in r.diagnostics if d.span] == [4, 6, 8]
    assert r.module.contract is not None
    names = [d.name.name for d in r.module.contract.decls if hasattr(d, "name")]
    assert names == ["acme", "revenue", "ok1", "ok2"]
    assert r.broken_names == frozenset({"a", "k", "t"})
    assert r.module.contract.span.end_line == 11  # the contract's own `}` was found
    assert not r.ok


def test_recovery_in_tests_and_a_later_contract_error() -> None:
    text = (
        'contract "c" {\n  party a\n  let x = (1\n  let y = 2\n}\n'
        'test "one" {\n  expect y at 2026-01 == \n}\n'
        'test "two" {\n  expect y == 2\n}\n'
    )
    r = parse_source(text, "r.pact")
    assert codes(r) == [(3, 12, "E001"), (8, 1, "E001")]  # at `1`, the incomplete let's last token
    assert "incomplete `let` declaration" in r.diagnostics[0].message
    assert "`let` on line 4" in r.diagnostics[0].message
    assert [t.name.value for t in r.module.tests] == ["two"]
    assert [d.name.name for d in r.module.contract.decls] == ["a", "y"]  # type: ignore[union-attr]


def test_file_structure_errors() -> None:
    r = parse_source('tests for "a.pact"\ntests for "b.pact"\n', "s.pact")
    assert codes(r) == [(2, 1, "E001")]
    assert r.module.tests_for is not None and r.module.tests_for.path.value == "a.pact"
    r = parse_source('contract "c" {\n}\ntests for "a.pact"\n', "s.pact")
    assert codes(r) == [(3, 1, "E001")] and r.module.tests_for is None
    r = parse_source('tests for "a.pact"\ncontract "c" {\n}\n', "s.pact")
    assert codes(r) == [(2, 1, "E001")] and r.module.contract is None
    r = parse_source((FIXTURES / "two_contracts.pact").read_text(encoding="utf-8"), "s.pact")
    assert r.module.contract is not None and r.module.contract.title.value == "First"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("contract", [(1, 1, "E003")]),
        ('contract "c"', [(1, 10, "E003")]),
        ('contract "c" {', [(1, 1, "E003")]),
        ('contract "c" { let', [(1, 1, "E003"), (1, 16, "E003")]),
        ('test "t" {', [(1, 10, "E003")]),
        ("}}}}", [(1, 1, "E001")]),
        ("{{{{", [(1, 1, "E001")]),
        ('"', [(1, 1, "E002")]),
        ("garbage", [(1, 1, "E001")]),
        ('contract "c" { party }', [(1, 16, "E001")]),
        ('contract "c" {\n  let\n  let x = 1\n}\n', [(2, 3, "E001")]),
    ],
)
def test_truncated_and_garbage_files(text: str, expected: list[tuple[int, int, str]]) -> None:
    r = parse_source(text, "g.pact")
    assert codes(r) == expected
    check_spans(r.module, text)


def test_diagnostics_have_paths_and_documented_codes() -> None:
    from pactlang.diagnostics import CODES

    all_diags: list[Diagnostic] = []
    for pact in FIXTURES.glob("*.pact"):
        all_diags += parse_source(pact.read_text(encoding="utf-8"), pact.name).diagnostics
    assert all_diags
    assert all(d.code in CODES and d.is_error for d in all_diags)


# ---------------------------------------------- errors that point at the fix


def _errors(body: str) -> list[tuple[str, str, str | None]]:
    src = f'contract "C" {{\n  currency EUR\n  party a "A"\n  party b "B"\n{body}\n}}\n'
    return [(d.code, d.message, d.help) for d in parse_source(src).diagnostics]


def test_a_weight_in_percent_says_weights_are_numbers() -> None:
    [(code, message, help_text)] = _errors(
        "  committee c {\n    member a weight 60%\n    member b weight 40\n  }"
    )
    assert (code, message) == ("E001", "unexpected `60%`; expected a number")
    assert help_text is not None and "percentages are not needed" in help_text


@pytest.mark.parametrize(
    ("body", "expected", "fix"),
    [
        (
            "  escalation e {\n    step s within 2 weeks\n    step t final\n  }",
            "`days` or `business days`",
            "`within 14 days`",
        ),
        (
            '  measure x "X": number\n  threshold t {\n    when x > 1: breach\n      => oblige a "P" within 3 weeks\n  }',
            "`days` or `business days`",
            "`within 21 days`",
        ),
        (
            '  measure x "X": number\n  threshold t {\n    when x > 1 for 2 weeks: breach\n  }',
            "`months`, `quarters` or `years`",
            "`for 3 months`",
        ),
        ("  let d = 2026-01-01 + 1 week", "`days`, `business days`", "`7 days`"),
    ],
)
def test_weeks_list_only_the_units_that_work(body: str, expected: str, fix: str) -> None:
    [(code, message, help_text)] = _errors(body)
    assert code == "E001" and expected in message, message
    assert help_text is not None and fix in help_text, help_text


def test_consensus_inside_a_rule_points_at_the_committee_setting() -> None:
    [(code, _, help_text)] = _errors(
        "  committee c {\n    member a weight 1\n    decision d requires consensus then majority\n  }"
    )
    assert code == "E001" and help_text is not None and "`consensus 2 rounds`" in help_text


def test_names_used_in_a_broken_declaration_are_not_reported_unused() -> None:
    from pactlang.api import check_source

    src = 'contract "C" {\n  currency EUR\n  measure r "R": number\n  let k = r +* 2\n}\n'
    codes = [d.code for d in check_source(src, "c.pact").diagnostics]
    assert codes == ["E001"]


def test_a_huge_number_before_weeks_gets_a_message_not_a_traceback() -> None:
    # found by scripts/fuzz_cli.py: the hint read 4,874 digits with int() (ValueError)
    text = 'contract "X" {\n  currency EUR\n  escalation e {\n    step s within ' + "9" * 5000 + " weeks\n    step t final\n  }\n}\n"
    result = parse_source(text, "x.pact")
    assert any(d.code == "E001" for d in result.diagnostics)
