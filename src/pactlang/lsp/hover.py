"""Hover: what a name is, in Markdown.

Over a declared name (its declaration or any use of it) the hover shows:

* its kind and its **type with its dimension** (``money (EUR)``, ``percent
  (20% is 0.20)``, …) for measures, lets and KPIs; for the other kinds what
  they hold (a threshold's statuses, a committee's members and weights);
* its **label in every language** the contract gives it (the contract's own
  language first, then each translation), and the languages of the annex
  (en, fr) it still lacks;
* **the definition**: the declaration's source text (at most
  :data:`MAX_DEFINITION_LINES` lines);
* for a KPI, and a let computed by a formula, **the formula in words** in
  the contract's language and in the other language of the annex, written by
  :mod:`pactlang.render.words` (the phrases of ``pact render``);
* whether the value is the same every month or varies, and what it depends on.

Over a built-in function: its forms and what it computes.  Over any other
expression: its type.  Nothing is shown over keywords, literals or comments.
"""

from __future__ import annotations

from pactlang.base.types import Type
from pactlang.diagnostics import Span
from pactlang.lsp.document import Analysis
from pactlang.lsp.index import DECISION, FUNCTION, STEP, TIER, Occurrence, Symbol
from pactlang.render.i18n import LANGUAGES
from pactlang.syntax import ast
from pactlang.syntax.walk import source_text

MAX_DEFINITION_LINES = 12

#: What each type holds (LANGUAGE.md §5); money is completed with the currency.
TYPE_TEXT: dict[Type, str] = {
    Type.NUMBER: "a decimal number",
    Type.COUNT: "a whole number ≥ 0",
    Type.PERCENT: "a ratio shown as a percentage: 20% is 0.20",
    Type.MONEY: "an amount in {currency}",
    Type.BOOL: "true or false",
    Type.DATE: "a calendar date",
    Type.PERIOD: "a calendar month",
    Type.DURATION: "days, business days, months, quarters or years",
    Type.PARTY: "a party of the contract",
    Type.TEXT: "a text in quotes",
    Type.STATUS: "ok, watch, breach, bonus or no-data",
}

#: The built-in functions (LANGUAGE.md §6): their forms and what they compute.
FUNCTIONS: dict[str, tuple[str, str]] = {
    "sum": ("sum(x, W)", "the sum of x over the trailing window W ending this month"),
    "avg": ("avg(x, W)", "the average of x over the trailing window W ending this month"),
    "min": (
        "min(x, W) · min(a, b, …)",
        "the smallest value of x over the window W, or of two or more values",
    ),
    "max": (
        "max(x, W) · max(a, b, …)",
        "the largest value of x over the window W, or of two or more values",
    ),
    "previous": ("previous(x) · previous(x, N months)", "x one month (or N periods) earlier"),
    "abs": ("abs(x)", "the absolute value of x"),
    "round": ("round(x, D)", "x rounded half-even to D decimals"),
    "distributed": (
        "distributed(fund) · distributed(fund.tier, party) · distributed(fund, party, to date)",
        "what a waterfall paid this month (or to date), in all, by a tier or to a party",
    ),
    "retained": (
        "retained(fund) · retained(fund, to date)",
        "what passed the waterfall's last tier this month (or to date)",
    ),
    "paid": (
        "paid(payer, payee) · paid(payer, payee, to date)",
        "what threshold actions paid from payer to payee this month (or to date)",
    ),
    "status": ("status(threshold)", "the status of the threshold this month"),
    "contributed": (
        "contributed(budget) · contributed(budget, party) · contributed(budget, party, to date)",
        "what a contribution called this month (or to date), from everyone or one party",
    ),
    "banzhaf": (
        "banzhaf(committee.decision, party)",
        "the Banzhaf voting power of the party on the decision",
    ),
    "shapley": (
        "shapley(committee.decision, party)",
        "the Shapley–Shubik voting power of the party on the decision",
    ),
}

KIND_TITLE = {
    "party": "party",
    "measure": "measure",
    "let": "let",
    "kpi": "KPI",
    "threshold": "threshold",
    "committee": "committee",
    "escalation": "escalation ladder",
    "waterfall": "waterfall",
    "contribution": "contribution",
    DECISION: "decision",
    STEP: "step",
    TIER: "waterfall tier",
    "clause": "clause",
}


def hover(an: Analysis, offset: int) -> tuple[str, Span] | None:
    """The Markdown shown over ``offset`` and the span it is about, or None."""
    occ = an.index.at(offset)
    if occ is not None:
        if occ.kind == FUNCTION:
            return function_text(occ.key), occ.span
        sym = an.index.symbols.get(occ.key)
        if sym is not None:
            return symbol_text(an, sym, occ), occ.span
    expr = an.index.expression_at(offset)
    cc = an.contract
    if expr is None or cc is None or _is_literal(expr):
        return None
    t = cc.type_of(expr)
    if t is Type.ERROR:
        return None
    text = source_text(an.text, expr)
    return f"`{_inline(text)}` — {type_text(t, cc.currency)}", expr.span


def function_text(name: str) -> str:
    forms, what = FUNCTIONS[name]
    return f"**built-in function** `{name}`\n\n`{forms}`\n\n{what}."


def type_text(t: Type, currency: str) -> str:
    """``money (an amount in EUR)``: the type and what it holds."""
    holds = TYPE_TEXT.get(t)
    if holds is None:
        return f"`{t}`"
    return f"`{t}` ({holds.format(currency=currency)})"


def symbol_text(an: Analysis, sym: Symbol, occ: Occurrence | None = None) -> str:
    cc = an.contract
    assert cc is not None  # symbols come from a checked contract
    head = f"**{KIND_TITLE.get(sym.kind, sym.kind)}** `{sym.key}`"
    t = cc.value_types.get(sym.key) if sym.parent is None else None
    if t is not None and sym.kind in ("measure", "let", "kpi"):
        head += f" — {type_text(t, cc.currency)}"
    elif sym.kind == "threshold":
        head += f" — {type_text(Type.STATUS, cc.currency)}"
    parts = [head]
    if occ is not None and occ.quote:
        quoted = _quoted(an, sym, occ)
        if quoted:
            parts.append(quoted)
    labels = _labels(sym, cc.language)
    if labels:
        parts.append(labels)
    definition = _definition(an, sym)
    if definition:
        parts.append(f"```pact\n{definition}\n```")
    words = _in_words(an, sym)
    if words:
        parts.append(words)
    facts = _facts(an, sym)
    if facts:
        parts.append(facts)
    if occ is not None and not occ.is_def and sym.path != an.path:
        parts.append(f"Declared in `{sym.path}`, line {sym.ident.span.line}.")
    return "\n\n".join(parts)


# ------------------------------------------------------------------ parts


def _labels(sym: Symbol, contract_lang: str) -> str:
    labels = sym.labels
    if labels is None or labels.primary is None:
        return ""
    lines = [f"- {contract_lang}: {labels.primary.value}"]
    given = {contract_lang}
    for t in labels.translations:
        lines.append(f"- {t.lang.name}: {t.text.value}")
        given.add(t.lang.name)
    for lang in LANGUAGES:
        if lang not in given:
            lines.append(f"- {lang}: *no translation*")
    return "\n".join(lines)


def _definition(an: Analysis, sym: Symbol) -> str:
    source = an.source_of(sym.path)
    span: Span | None = getattr(sym.decl, "span", None)
    if not source or span is None:
        return ""
    # from the start of the declaration's line, so the indentation lines up
    start = source.rfind("\n", 0, span.start) + 1
    lines = source[start : span.end].splitlines()
    indent = min((len(line) - len(line.lstrip()) for line in lines if line.strip()), default=0)
    lines = [line[indent:].rstrip() for line in lines]
    if len(lines) > MAX_DEFINITION_LINES:
        lines = lines[: MAX_DEFINITION_LINES - 1] + ["…"]
    return "\n".join(lines).replace("```", "` ` `")


def _quoted(an: Analysis, sym: Symbol, occ: Occurrence) -> str:
    """In a clause text: what the reference inserts, in each annex language."""
    cc = an.contract
    assert cc is not None
    if not an.result.ok:
        return ""
    from pactlang.render.layout import quoted_text
    from pactlang.render.model import build
    from pactlang.sema.clauses import Target

    annex = build(cc)
    target = Target(occ.quote, sym.key, name=sym.key.split(".")[0])
    langs = [cc.language] if cc.language in LANGUAGES else []
    langs += [lang for lang in LANGUAGES if lang not in langs]
    shown = "; ".join(f"({lang}) {quoted_text(annex, lang, target)}" for lang in langs)
    return f"*In this clause text, inserts:* {shown}"


def _in_words(an: Analysis, sym: Symbol) -> str:
    """The formula of a KPI or computed let, in words, in each annex language."""
    cc = an.contract
    assert cc is not None
    expr: ast.Expr | None = None
    if isinstance(sym.decl, ast.KpiDecl):
        expr = sym.decl.expr
    elif isinstance(sym.decl, ast.LetDecl) and not isinstance(sym.decl.value, ast.Schedule):
        if not _is_literal(sym.decl.value):
            expr = sym.decl.value
    if expr is None or not an.result.ok:
        return ""
    from pactlang.render.doc import text_of
    from pactlang.render.i18n import catalog
    from pactlang.render.model import build
    from pactlang.render.words import Namer, Phraser

    annex = build(cc)
    langs = [cc.language] if cc.language in LANGUAGES else []
    langs += [lang for lang in LANGUAGES if lang not in langs]
    out = []
    for lang in langs:
        phraser = Phraser(catalog(lang), annex, Namer(lang, cc.language, lambda _msg: None))
        phrase = text_of(phraser.words(expr))
        out.append(f"*In words ({lang}):* {phrase[:1].upper()}{phrase[1:]}")
    return "\n\n".join(out)


def _facts(an: Analysis, sym: Symbol) -> str:
    cc = an.contract
    assert cc is not None
    facts = []
    if sym.kind in ("let", "kpi"):
        if sym.key in cc.constants:
            facts.append("the same every month")
        else:
            facts.append("computed month by month")
    deps = cc.depends.get(sym.key) if sym.parent is None else None
    if deps:
        ordered = [n for n in _declared_order(an) if n in deps]
        facts.append("depends on " + ", ".join(f"`{n}`" for n in ordered))
    if isinstance(sym.decl, ast.CommitteeDecl):
        members = ", ".join(f"`{m.party.name}` {m.weight.text}" for m in sym.decl.members)
        if members:
            facts.append(f"members and weights: {members}")
    if not facts:
        return ""
    text = "; ".join(facts)
    return text[:1].upper() + text[1:] + "."


def _declared_order(an: Analysis) -> list[str]:
    cc = an.contract
    assert cc is not None
    return [s.key for s in an.index.symbols.values() if s.parent is None]


def _is_literal(e: object) -> bool:
    if isinstance(e, ast.Unary) and e.op == "-":
        return _is_literal(e.operand)
    return isinstance(
        e,
        ast.NumberLit
        | ast.PercentLit
        | ast.MoneyLit
        | ast.StringLit
        | ast.BoolLit
        | ast.DateLit
        | ast.PeriodLit
        | ast.DurationLit
        | ast.MissingLit,
    )


def _inline(text: str) -> str:
    return text.replace("`", "'")
