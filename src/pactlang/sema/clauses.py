"""Pass 7: the contract's words — party particulars and clauses (LANGUAGE.md §9b).

A clause's ``text`` paragraphs may insert values with ``{name}``:

* a party: its legal name (``legal_name``, else its label);
* a let or KPI whose value is the same every month (``CheckedContract.constants``);
* a schedule: its entries (annexes add the schedule's table after the paragraph);
* a committee decision, ``{steering.budget}``: its voting rule in words;
* a ladder step, ``{disputes.managers}``: its time limit;
* another clause: its number.

``{name.label}`` (``{steering.budget.label}``…) inserts a label instead.  ``{{``
and ``}}`` are literal braces.  An unknown name (E080), a value that changes
month by month or a construct that has no value to insert (E081), or a brace
that opens no reference (E082) is reported at the brace's own line and column
inside the string, escapes counted as written.

Other checks: a clause has a number, at least one text, a number no other
clause has, ``binding`` or ``non-binding`` at most once, and ``governs``
names constructs (E010/E012; the same name twice in one clause is E082); a
party gives each particular at most once (E083).  Warnings, only in a contract
that has at least one clause: a construct (measure, let, KPI, threshold,
committee, ladder, waterfall) that no clause governs (W008), and a text that
lacks a translation into a language that another clause text of the contract
is translated into (W006).

Names used in clause texts count as used (no W001/W002 for a let that only a
clause quotes).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from pactlang.diagnostics import Related, Span
from pactlang.sema.context import (
    CLAUSE,
    COMMITTEE,
    CONTRIBUTION,
    ESCALATION,
    KIND_TEXT,
    KPI,
    LET,
    MEASURE,
    PARTY,
    THRESHOLD,
    WATERFALL,
    Checker,
    closest,
)
from pactlang.sema.model import CheckedContract
from pactlang.syntax import ast

__all__ = [
    "GOVERNABLE",
    "Piece",
    "Target",
    "TextRef",
    "clauses",
    "classify",
    "pieces",
    "source_span",
]

#: Kinds a clause may govern; all but parties must be governed once a contract has clauses.
GOVERNABLE = (PARTY, MEASURE, LET, KPI, THRESHOLD, COMMITTEE, ESCALATION, WATERFALL, CONTRIBUTION)
MUST_BE_GOVERNED = (MEASURE, LET, KPI, THRESHOLD, COMMITTEE, ESCALATION, WATERFALL, CONTRIBUTION)

_REF = re.compile(r"\{([a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)*)\}")


@dataclass(frozen=True, slots=True)
class TextRef:
    """``{a.b}`` in a clause text: the dotted parts and where it sits in the text."""

    parts: tuple[str, ...]
    start: int  # index of `{` in the (unescaped) text
    end: int  # index after `}`

    @property
    def dotted(self) -> str:
        return ".".join(self.parts)


Piece = str | TextRef


def pieces(value: str) -> tuple[tuple[Piece, ...], list[tuple[int, int, str]]]:
    """Split a clause text into literal strings and references.

    Returns the pieces and the problems found, as ``(start, end, message)``
    indices into ``value``.  ``{{`` and ``}}`` are literal braces.
    """
    out: list[Piece] = []
    problems: list[tuple[int, int, str]] = []
    buf: list[str] = []
    i = 0
    n = len(value)
    while i < n:
        ch = value[i]
        if ch == "{" and value.startswith("{{", i):
            buf.append("{")
            i += 2
            continue
        if ch == "}" and value.startswith("}}", i):
            buf.append("}")
            i += 2
            continue
        if ch == "{":
            m = _REF.match(value, i)
            if m is None:
                close = value.find("}", i + 1)
                end = close + 1 if close >= 0 and "{" not in value[i + 1 : close] else i + 1
                problems.append((i, end, "a `{` opens no reference"))
                buf.append(value[i:end])
                i = end
                continue
            if buf:
                out.append("".join(buf))
                buf = []
            out.append(TextRef(tuple(m.group(1).split(".")), i, m.end()))
            i = m.end()
            continue
        if ch == "}":
            problems.append((i, i + 1, "a `}` closes no reference"))
        buf.append(ch)
        i += 1
    if buf:
        out.append("".join(buf))
    return tuple(out), problems


def _raw_width(ch: str) -> int:
    """Characters ``ch`` takes in a string literal (the parser's escapes)."""
    return 2 if ch in ('"', "\\", "\n") else 1


def source_span(text: ast.Text, start: int, end: int) -> Span:
    """The source span of ``text.value[start:end]`` (strings are one line long;
    escapes are counted as written, so the column is the brace's own)."""
    sp = text.span
    raw_start = 1 + sum(_raw_width(c) for c in text.value[:start])
    raw_end = raw_start + sum(_raw_width(c) for c in text.value[start:end])
    return Span(
        sp.start + raw_start,
        sp.start + raw_end,
        sp.line,
        sp.col + raw_start,
        sp.line,
        sp.col + raw_end,
    )


# ------------------------------------------------------------- references


@dataclass(frozen=True, slots=True)
class Target:
    """What a reference inserts.

    ``what`` is one of ``party`` (legal name), ``value`` (a constant let or KPI),
    ``schedule``, ``rule`` (a committee decision's voting rule), ``deadline``
    (a ladder step's time limit), ``clause`` (a clause number), ``label``;
    ``key`` is the dotted name of the construct (``steering.budget``).
    An ``error`` target carries the E080/E081 code, message and help.
    """

    what: str
    key: str
    error: tuple[str, str, str | None] | None = None
    name: str = ""  # the top-level name it refers to


def _error(key: str, *, code: str, message: str, help_text: str | None) -> Target:
    return Target("error", key, (code, message, help_text))


def _labelled(cc: CheckedContract, parts: tuple[str, ...]) -> bool:
    """Whether ``parts`` names something with a label."""
    head = parts[0]
    if len(parts) == 1:
        return cc.kind_of(head) is not None
    if len(parts) != 2:
        return False
    sub = parts[1]
    if head in cc.committees:
        return any(d.name.name == sub for d in cc.committees[head].decisions)
    if head in cc.escalations:
        return any(s.name.name == sub for s in cc.escalations[head].steps)
    if head in cc.waterfalls:
        return any(t.name is not None and t.name.name == sub for t in cc.waterfalls[head].tiers)
    return False


def _all_names(cc: CheckedContract) -> list[str]:
    out: list[str] = []
    for table in (
        cc.parties,
        cc.measures,
        cc.lets,
        cc.kpis,
        cc.thresholds,
        cc.committees,
        cc.escalations,
        cc.waterfalls,
        cc.contributions,
        cc.clauses,
    ):
        out.extend(table)
    return out


def classify(cc: CheckedContract, parts: tuple[str, ...]) -> Target:
    """What the reference ``{parts}`` inserts, or why it cannot (``Target.error``)."""
    dotted = ".".join(parts)
    head = parts[0]
    kind = cc.kind_of(head)
    if kind is None:
        near = closest(head, _all_names(cc))
        return _error(
            dotted,
            code="E080",
            message=f"undeclared name `{head}` in a clause text",
            help_text=f"did you mean `{{{near}}}`?" if near else None,
        )
    if len(parts) >= 2 and parts[-1] == "label" and _labelled(cc, parts[:-1]):
        return Target("label", ".".join(parts[:-1]), name=head)
    if len(parts) == 1:
        return _simple(cc, head, kind)
    if len(parts) == 2:
        sub = parts[1]
        if kind == COMMITTEE:
            if any(d.name.name == sub for d in cc.committees[head].decisions):
                return Target("rule", dotted, name=head)
            return _unknown_part(
                cc, head, sub, "decision", [d.name.name for d in cc.committees[head].decisions]
            )
        if kind == ESCALATION:
            steps = cc.escalations[head].steps
            step = next((s for s in steps if s.name.name == sub), None)
            if step is None:
                return _unknown_part(cc, head, sub, "step", [s.name.name for s in steps])
            if step.within is None:
                return _error(
                    dotted,
                    code="E081",
                    message=f"step `{dotted}` is final: it has no time limit to insert",
                    help_text=f"write `{{{dotted}.label}}` for its label",
                )
            return Target("deadline", dotted, name=head)
        if kind == WATERFALL:
            tiers = [t.name.name for t in cc.waterfalls[head].tiers if t.name is not None]
            if sub in tiers:
                return _error(
                    dotted,
                    code="E081",
                    message=f"tier `{dotted}` has no value to insert",
                    help_text=f"write `{{{dotted}.label}}` for its label",
                )
            return _unknown_part(cc, head, sub, "tier", tiers)
    return _error(
        dotted,
        code="E080",
        message=f"`{dotted}` names nothing in this contract",
        help_text="a reference is `{name}`, `{committee.decision}`, `{ladder.step}` or `{….label}`",
    )


def _unknown_part(
    cc: CheckedContract, head: str, sub: str, what: str, names: Iterable[str]
) -> Target:
    near = closest(sub, names)
    return _error(
        f"{head}.{sub}",
        code="E080",
        message=f"`{head}` has no {what} `{sub}`",
        help_text=f"did you mean `{{{head}.{near}}}`?"
        if near
        else f"write `{{{head}.label}}` for its label",
    )


def _simple(cc: CheckedContract, name: str, kind: str) -> Target:
    if kind == PARTY:
        return Target("party", name, name=name)
    if kind == CLAUSE:
        return Target("clause", name, name=name)
    if kind == LET:
        let = cc.lets[name]
        if isinstance(let.value, ast.Schedule):
            return Target("schedule", name, name=name)
        if name in cc.constants:
            return Target("value", name, name=name)
        return _timed(name, "let")
    if kind == KPI:
        if name in cc.constants:
            return Target("value", name, name=name)
        return _timed(name, "KPI")
    if kind == MEASURE:
        return _timed(name, "measure")
    hint = {
        COMMITTEE: "`{{{n}.DECISION}}` for a decision's voting rule, ",
        ESCALATION: "`{{{n}.STEP}}` for a step's time limit, ",
    }.get(kind, "")
    return _error(
        name,
        code="E081",
        message=f"`{name}` is {KIND_TEXT[kind]}: it has no value to insert",
        help_text="write " + hint.format(n=name) + f"or `{{{name}.label}}` for its label",
    )


def _timed(name: str, what: str) -> Target:
    return _error(
        name,
        code="E081",
        message=f"{what} `{name}` changes month by month: a clause can only quote a value "
        "that is the same every month",
        help_text=f"quote an agreed constant or schedule, or write `{{{name}.label}}` for its label",
    )


# ------------------------------------------------------------------- pass


def clauses(ck: Checker) -> None:
    cc = ck.cc
    for d in cc.contract.decls:
        if isinstance(d, ast.PartyDecl):
            _particulars(ck, d)
    decls = [d for d in cc.contract.decls if isinstance(d, ast.ClauseDecl)]
    numbers: dict[str, ast.ClauseDecl] = {}
    governed: set[str] = set()
    for d in decls:
        _clause(ck, d, numbers, governed)
    if decls:
        _translations(ck, decls)
        _ungoverned(ck, governed)


def _particulars(ck: Checker, d: ast.PartyDecl) -> None:
    seen: dict[str, ast.PartyItem] = {}
    for item in d.items:
        first = seen.get(item.key)
        if first is not None:
            ck.bag.error(
                "E083",
                f"`{item.key}` is given twice for party `{d.name.name}`",
                item.span,
                help="keep one",
                related=[Related(first.span, f"`{item.key}` is first given here")],
            )
            continue
        seen[item.key] = item
        if not item.value.value.strip():
            ck.bag.error(
                "E083",
                f"`{item.key}` of party `{d.name.name}` is empty",
                item.value.span,
                help="write the particular, or remove the line",
            )


def _clause(
    ck: Checker, d: ast.ClauseDecl, numbers: dict[str, ast.ClauseDecl], governed: set[str]
) -> None:
    name = d.name.name
    number = d.number.value.strip()
    if not number:
        ck.bag.error(
            "E082",
            f"clause `{name}` has an empty number",
            d.number.span,
            help='write the number as it is printed, e.g. `"8.1"`',
        )
    elif number in numbers:
        ck.bag.error(
            "E082",
            f'two clauses are numbered "{number}"',
            d.number.span,
            help="every clause has its own number",
            related=[Related(numbers[number].number.span, f'"{number}" is first used here')],
        )
    else:
        numbers[number] = d
    if not d.texts:
        ck.bag.error(
            "E082",
            f"clause `{name}` has no text",
            d.name.span,
            help='add a paragraph: `text "…"` (with its translations)',
        )
    words = [i for i in d.items if isinstance(i, ast.ClauseBinding)]
    for extra in words[1:]:
        ck.bag.error(
            "E082",
            f"clause `{name}` says `binding` or `non-binding` more than once",
            extra.span,
            help="keep one (a clause is binding unless it says `non-binding`)",
            related=[Related(words[0].span, "first said here")],
        )
    seen: dict[str, ast.Ident] = {}
    for ident in d.governs:
        if ident.name in seen:
            ck.bag.error(
                "E082",
                f"clause `{name}` governs `{ident.name}` twice",
                ident.span,
                help="name each construct once",
                related=[Related(seen[ident.name].span, "first named here")],
            )
            continue
        seen[ident.name] = ident
        if ck.lookup(ident, GOVERNABLE, "construct", "a construct a clause can govern"):
            governed.add(ident.name)
            ck.used.add(ident.name)
    for t in d.texts:
        _text(ck, t.text)
        for tr in t.translations:
            _text(ck, tr.text)


def _text(ck: Checker, text: ast.Text) -> None:
    parts, problems = pieces(text.value)
    for start, end, message in problems:
        ck.bag.error(
            "E082",
            message,
            source_span(text, start, end),
            help="a reference is `{name}`; write `{{` and `}}` for literal braces",
        )
    for p in parts:
        if not isinstance(p, TextRef):
            continue
        if p.parts[0] in ck.broken:
            continue
        target = classify(ck.cc, p.parts)
        span = source_span(text, p.start, p.end)
        if target.error is not None:
            code, message, help_text = target.error
            related: list[Related] = []
            head = p.parts[0]
            if code == "E081" and head in ck.decl:
                related.append(ck.rel(ck.decl_span(head), f"`{head}` is declared here"))
            ck.bag.error(code, message, span, help_text, related)
            continue
        ck.used.add(target.name)


def _translations(ck: Checker, decls: list[ast.ClauseDecl]) -> None:
    langs = sorted({tr.lang.name for d in decls for t in d.texts for tr in t.translations})
    langs = [x for x in langs if x != ck.cc.language]
    for d in decls:
        for t in d.texts:
            have = {tr.lang.name for tr in t.translations}
            missing = [x for x in langs if x not in have]
            if missing:
                shown = ", ".join(f"`{x}`" for x in missing)
                ck.bag.warning(
                    "W006",
                    f"this text of clause `{d.name.name}` has no {shown} translation, "
                    "although other clause texts have one",
                    t.text.span,
                    help=f'add `{missing[0]} "…"` after it: the {missing[0]} annex would '
                    f"show the {ck.cc.language} text",
                )


def _ungoverned(ck: Checker, governed: set[str]) -> None:
    for name, kind in ck.kind.items():
        if kind in MUST_BE_GOVERNED and name not in governed:
            ck.bag.warning(
                "W008",
                f"{KIND_TEXT[kind].split(' ', 1)[1]} `{name}` is governed by no clause: "
                "its logic is stated nowhere in words",
                ck.decl_span(name),
                help=f"add `governs {name}` to the clause that states it",
            )
