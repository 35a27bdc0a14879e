"""Completion: keywords in context, names in scope, parties, statuses.

While a file is being typed it rarely parses, so the context is read from the
text before the cursor with a tolerant scanner, not from the AST: the blocks
that are open around the cursor (``contract``, ``threshold``, ``committee``,
``tier``, ``test``, ``data``, …, found by matching braces and the keyword that
opened each one) and the words already written on the current line.  The
names come from the last version of the file that checked (see the server),
so a half-written declaration does not hide the others.

What is offered:

* at the start of a line: the keywords that can start an item of the
  enclosing block (the declarations of a contract, ``when``/``otherwise``/
  ``checked`` in a threshold, ``member``/``quorum``/… in a committee, the
  attributes of a measure, KPI or step, ``data``/``expect`` in a test, …);
* after ``=>``: the actions (``pay``, ``escalate``, ``notify``, ``action``,
  ``once``);
* where a party goes (``from``/``to`` of a payment, ``notify``, ``member``,
  ``veto``, ``owner``, a waterfall's ``pay`` and ``split``, ``paid(``):
  the parties;
* after ``escalate`` and ``expect escalation``: the ladders; after ``expect
  vote`` and in ``banzhaf(``/``shapley(``: the committees; after
  ``COMMITTEE.``, ``WATERFALL.`` and ``LADDER.``: its decisions, tiers or
  steps; in ``status(``: the thresholds; in ``distributed(``/``retained(``:
  the waterfalls;
* after the ``:`` of a threshold rule: the statuses; after ``is`` in a test:
  the statuses, ``no-data`` and ``missing`` (or the vote outcomes, or the
  steps and ``resolved`` of a ladder); after ``checked``, ``meets`` and
  ``frequency``: the cadences; after ``requires``: the voting rules; after the
  ``:`` of a measure, let or KPI: the types;
* anywhere else in an expression: the measures, lets and KPIs (with their
  type and label), the built-in functions and the expression keywords.

Nothing is offered inside a string or a comment.  Nothing here depends on
pygls: the server turns :class:`Candidate` objects into LSP items.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from pactlang.base.types import Type
from pactlang.lsp.hover import FUNCTIONS, KIND_TITLE
from pactlang.lsp.index import DECISION, STEP, TIER, Symbol
from pactlang.sema.clauses import GOVERNABLE
from pactlang.sema.context import BUILTINS, LANGUAGES
from pactlang.sema.structure import MEASURE_ATTRS, STEP_ATTRS
from pactlang.sema.testblocks import OUTCOMES

# Candidate kinds (mapped to LSP CompletionItemKind by the server).
KEYWORD, NAME, FUNCTION, VALUE = "keyword", "name", "function", "value"

CONTRACT_ITEMS = (
    "id",
    "version",
    "effective",
    "currency",
    "language",
    "calendar",
    "party",
    "measure",
    "let",
    "kpi",
    "threshold",
    "committee",
    "escalation",
    "waterfall",
    "signed",
    "clause",
    "contribution",
)
BLOCK_ITEMS: dict[str, tuple[str, ...]] = {
    "file": ("contract", "tests for", "test"),
    "contract": CONTRACT_ITEMS,
    "measure": MEASURE_ATTRS,
    "kpi": MEASURE_ATTRS,
    "step": STEP_ATTRS,
    "threshold": ("when", "otherwise", "checked"),
    "committee": ("member", "quorum", "meets", "consensus", "chair", "decision"),
    "escalation": ("step",),
    "waterfall": ("distributes", "tier"),
    "contribution": ("amount", "split"),
    "tier": ("pay", "pro rata", "in order", "split", "up to"),
    "test": ("data", "expect"),
    "party": ("legal_name", "legal_form", "office", "registration", "represented_by"),
    "clause": ("text", "governs", "binding", "non-binding"),
}
BLOCK_OPENERS = frozenset(
    {
        "contract",
        "measure",
        "kpi",
        "threshold",
        "committee",
        "escalation",
        "step",
        "waterfall",
        "contribution",
        "tier",
        "test",
        "data",
        "vote",
        "party",
        "clause",
    }
)
ACTIONS = ("pay", "escalate", "notify", "action", "terminate", "suspend", "oblige", "once")
STATUSES = ("ok", "watch", "breach", "bonus")
CADENCES = ("monthly", "quarterly", "yearly")
TYPES = tuple(t.value for t in Type if t not in (Type.STATUS, Type.ERROR))
VOTE_RULES = ("majority", "unanimity", ">=", ">")
VOTE_BASES = ("weight", "present", "cast")
EXPR_KEYWORDS = ("if", "then", "else", "and", "or", "not", "otherwise", "missing", "true", "false")
VALUE_KINDS = ("measure", "let", "kpi")
PARTY_WORDS = frozenset({"member", "veto", "owner", "notify"})

_TOKEN = re.compile(
    r"""
      (?P<string>"(?:\\.|[^"\\\n])*"?)
    | (?P<comment>\#[^\n]*)
    | (?P<word>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*\.?)
    | (?P<number>\d[\d_.-]*%?)
    | (?P<punct>=>|>=|<=|==|!=|\S)
    """,
    re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class Candidate:
    """One completion item."""

    label: str
    kind: str  # keyword, name, function, value
    detail: str = ""
    symbol_kind: str | None = None  # party, measure, … for names


#: ``names(*kinds)``: the candidates for the declared names of some kinds.
NamesFn = Callable[..., list["Candidate"]]


@dataclass(frozen=True, slots=True)
class _Tok:
    kind: str
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Context:
    """Where the cursor is: the enclosing blocks and the words before it on its line."""

    blocks: tuple[str, ...]  # outermost first; "file" at the bottom
    line: tuple[str, ...]  # the words and symbols of the line before the typed word
    word: str  # the part of a word already typed (may contain dots)
    calls: tuple[str, ...]  # the functions whose parentheses are open, innermost last

    @property
    def block(self) -> str:
        return self.blocks[-1]


def _tokens(text: str) -> list[_Tok]:
    return [
        _Tok(m.lastgroup or "punct", m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)
    ]


def context_at(text: str, offset: int) -> Context | None:
    """The completion context at ``offset``; None inside a string or a comment."""
    before = text[:offset]
    toks = _tokens(before)
    word = ""
    if toks and toks[-1].end == offset:
        last = toks[-1]
        if last.kind in ("string", "comment"):
            closed = last.kind == "string" and len(last.text) > 1 and last.text.endswith('"')
            if not closed:
                return None
        elif last.kind == "word":
            word = last.text
            toks = toks[:-1]
    blocks = ["file"]
    for i, t in enumerate(toks):
        if t.text == "{":
            blocks.append(_opener(toks, i))
        elif t.text == "}" and len(blocks) > 1:
            blocks.pop()
    line_start = before.rfind("\n") + 1
    line = [t for t in toks if t.start >= line_start and t.kind != "comment"]
    calls: list[str] = []
    for i, t in enumerate(line):
        if t.text == "(":
            calls.append(line[i - 1].text if i > 0 and line[i - 1].kind == "word" else "")
        elif t.text == ")" and calls:
            calls.pop()
    return Context(tuple(blocks), tuple(t.text for t in line), word, tuple(calls))


def _opener(toks: list[_Tok], i: int) -> str:
    """The kind of the block whose ``{`` is ``toks[i]``: the nearest opener keyword before it."""
    j = i - 1
    while j >= 0 and toks[j].text not in ("{", "}"):
        if toks[j].kind == "word" and toks[j].text in BLOCK_OPENERS:
            return toks[j].text
        j -= 1
    return "block"


def candidates(
    text: str, offset: int, symbols: Mapping[str, Symbol], value_types: Mapping[str, Type]
) -> list[Candidate]:
    """What may be written at ``offset``, given the names of the contract."""
    ctx = context_at(text, offset)
    if ctx is None:
        return []
    return list(_dedupe(_for(ctx, symbols, value_types)))


def _dedupe(items: Iterable[Candidate]) -> Iterable[Candidate]:
    seen: set[str] = set()
    for c in items:
        if c.label not in seen:
            seen.add(c.label)
            yield c


def _keywords(words: Iterable[str], detail: str = "") -> list[Candidate]:
    return [Candidate(w, KEYWORD, detail) for w in words]


def _values(words: Iterable[str], detail: str) -> list[Candidate]:
    return [Candidate(w, VALUE, detail) for w in words]


def _names(
    symbols: Mapping[str, Symbol], kinds: Iterable[str], value_types: Mapping[str, Type]
) -> list[Candidate]:
    kinds = tuple(kinds)
    out = []
    for sym in symbols.values():
        if sym.kind not in kinds or sym.parent is not None:
            continue
        out.append(_name(sym, sym.name, value_types))
    return out


def _name(sym: Symbol, label: str, value_types: Mapping[str, Type]) -> Candidate:
    detail = KIND_TITLE.get(sym.kind, sym.kind)
    t = value_types.get(sym.key) if sym.parent is None else None
    if t is not None and sym.kind in VALUE_KINDS:
        detail += f": {t}"
    labels = sym.labels
    if labels is not None and labels.primary is not None:
        detail += f" — {labels.primary.value}"
    return Candidate(label, NAME, detail, sym.kind)


def _parts(symbols: Mapping[str, Symbol], parent: str, kinds: tuple[str, ...]) -> list[Candidate]:
    return [
        _name(s, s.name, {}) for s in symbols.values() if s.parent == parent and s.kind in kinds
    ]


def _expression(symbols: Mapping[str, Symbol], value_types: Mapping[str, Type]) -> list[Candidate]:
    out = _names(symbols, VALUE_KINDS, value_types)
    out += [Candidate(f, FUNCTION, FUNCTIONS[f][0]) for f in sorted(BUILTINS)]
    out += _keywords(EXPR_KEYWORDS)
    return out


def _for(
    ctx: Context, symbols: Mapping[str, Symbol], value_types: Mapping[str, Type]
) -> list[Candidate]:
    def names(*kinds: str) -> list[Candidate]:
        return _names(symbols, kinds, value_types)

    block, line, word = ctx.block, ctx.line, ctx.word
    prev = line[-1] if line else ""

    # a dotted name: the parts of its head
    if "." in word:
        head = word.split(".", 1)[0]
        return _parts(symbols, head, (DECISION, TIER, STEP))

    # inside the parentheses of a call
    if ctx.calls:
        fn = ctx.calls[-1]
        first_arg = prev == "(" or (prev != "," and line.count(",") == 0)
        if fn == "status":
            return names("threshold")
        if fn in ("distributed", "retained") and prev == "(":
            return names("waterfall")
        if fn == "distributed" and prev == ",":
            return names("party") + _keywords(["to date"])
        if fn == "paid":
            return names("party") + (_keywords(["to date"]) if prev == "," else [])
        if fn == "contributed":
            return names("contribution") if prev == "(" else names("party") + _keywords(["to date"])
        if fn in ("banzhaf", "shapley"):
            return names("committee") if prev == "(" else names("party")
        if fn in ("sum", "avg", "min", "max") and prev == "," and not first_arg:
            return _keywords(["to date", "year to date"]) + _expression(symbols, value_types)

    # the first word of an item
    if not line:
        if block in ("block", "data", "vote"):
            return names("measure") if block == "data" else names("party")
        return _keywords(BLOCK_ITEMS.get(block, ()))
    first = line[0]

    if first == "=>" or (block == "threshold" and "=>" in line):
        return _action(line, prev, names, symbols, value_types)

    if prev in ("member", "veto", "owner", "notify") or (
        prev == "," and _last_of(line, PARTY_WORDS | {"split"}) is not None
    ):
        return names("party")
    if block == "tier" and prev in ("pay", "split"):
        return names("party")
    if prev == "escalate":
        return names("escalation")
    if block == "clause" and (prev == "governs" or (prev == "," and first == "governs")):
        return names(*GOVERNABLE)
    if prev in ("checked", "meets", "frequency"):
        return _values(CADENCES, "cadence")
    if prev == "requires":
        return _keywords(VOTE_RULES, "voting rule")
    if prev == "of" and block == "committee":
        return _keywords(VOTE_BASES if first == "decision" else ("weight",))
    if first == "language" and len(line) == 1:
        return _values(LANGUAGES, "language")

    if block == "threshold" and prev == ":" and first in ("when", "otherwise"):
        return _values(STATUSES, "status")
    if prev == ":" and first in ("measure", "let", "kpi"):
        return _keywords(TYPES, "type")

    if block == "test" or block == "vote":
        got = _test(line, prev, names, symbols, value_types)
        if got is not None:
            return got
    if block == "data" and prev in (":", ","):
        return names("measure")

    return _expression(symbols, value_types)


def _last_of(line: tuple[str, ...], words: frozenset[str]) -> str | None:
    for w in reversed(line):
        if w in words:
            return w
    return None


def _action(
    line: tuple[str, ...],
    prev: str,
    names: NamesFn,
    symbols: Mapping[str, Symbol],
    value_types: Mapping[str, Type],
) -> list[Candidate]:
    if prev in ("=>", "once"):
        return _keywords(ACTIONS if prev == "=>" else ACTIONS[:-1], "action")
    verb = _last_of(line, frozenset({"pay", "escalate", "notify", "action"}))
    if verb == "pay":
        if prev in ("from", "to"):
            return names("party")
        if len(line) >= 2 and line[-2] in ("from", "to"):
            return _keywords(["to"] if line[-2] == "from" else [])
        return _expression(symbols, value_types) + _keywords(["from"])
    if verb == "notify":
        return names("party")
    if verb == "escalate":
        return names("escalation")
    return []


def _test(
    line: tuple[str, ...],
    prev: str,
    names: NamesFn,
    symbols: Mapping[str, Symbol],
    value_types: Mapping[str, Type],
) -> list[Candidate] | None:
    first = line[0]
    if first != "expect":
        return None
    if prev == "expect":
        return _keywords(["vote", "escalation"]) + _expression(symbols, value_types)
    second = line[1] if len(line) > 1 else ""
    if second == "vote":
        if prev == "vote":
            return names("committee")
        if prev == "is":
            return _values(OUTCOMES, "vote outcome")
        if prev in ("{", ","):
            return names("party")
        if prev == "}":
            return _keywords(["is", "round"])
        return _values(("yes", "no", "abstain", "absent"), "vote")
    if second == "escalation":
        ladder = line[2] if len(line) > 2 else ""
        if prev == "escalation":
            return names("escalation")
        if prev in ("deadline", "with", ",") or (prev == "is" and "on" in line):
            steps = _parts(symbols, ladder, (STEP,))
            return steps + (_values(["resolved"], "state") if prev == "is" else [])
        if prev in _step_names(symbols, ladder):
            return _values(["failed", "resolved"], "event")
        return _keywords(["opened", "with", "on", "deadline", "is"])
    if prev == "is":
        return _values((*STATUSES, "no-data", "missing"), "status")
    if prev == "at":
        return []
    return None


def _step_names(symbols: Mapping[str, Symbol], ladder: str) -> set[str]:
    return {s.name for s in symbols.values() if s.parent == ladder and s.kind == STEP}
