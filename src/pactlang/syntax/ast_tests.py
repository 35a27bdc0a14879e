"""The typed AST, part 3: test blocks (``test "…" { data … expect … }``) and
``tests for "X.pact"``.

Re-exported by :mod:`pactlang.syntax.ast` (``ast.TestBlock``, ``ast.ExpectValue``, …).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypeAlias

from pactlang.diagnostics import Span
from pactlang.syntax.ast_expr import DateLit, Expr, Ident, PeriodLit, Text

__all__ = [
    "BallotEntry",
    "DataCell",
    "DataRow",
    "DatedBallot",
    "EscalationEvent",
    "ExpectEscalationDeadline",
    "ExpectEscalationState",
    "ExpectMissing",
    "ExpectStatus",
    "ExpectValue",
    "ExpectVote",
    "ExpectVotes",
    "Expectation",
    "FileData",
    "InlineData",
    "TestBlock",
    "TestsFor",
]


@dataclass(frozen=True, slots=True)
class DataCell:
    name: Ident
    value: Expr  # a literal (number, money, percent, bool, missing)
    span: Span


@dataclass(frozen=True, slots=True)
class DataRow:
    period: PeriodLit
    cells: tuple[DataCell, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class InlineData:
    rows: tuple[DataRow, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class FileData:
    path: Text
    span: Span


@dataclass(frozen=True, slots=True)
class ExpectValue:
    """``expect EXPR [at PERIOD] == VALUE [within TOL]``."""

    expr: Expr
    at: PeriodLit | None
    expected: Expr
    within: Expr | None
    span: Span


@dataclass(frozen=True, slots=True)
class ExpectMissing:
    expr: Expr
    at: PeriodLit | None
    span: Span


@dataclass(frozen=True, slots=True)
class ExpectStatus:
    threshold: Ident
    at: PeriodLit
    status: Ident  # ok | watch | breach | bonus | no-data (checked by sema)
    span: Span


@dataclass(frozen=True, slots=True)
class BallotEntry:
    party: Ident
    vote: Literal["yes", "no", "abstain", "absent"]
    span: Span


@dataclass(frozen=True, slots=True)
class ExpectVote:
    committee: Ident
    decision: Ident
    ballot: tuple[BallotEntry, ...]
    round: int | None
    outcome: Ident  # passed | rejected | vetoed | no-quorum (checked by sema)
    span: Span


@dataclass(frozen=True, slots=True)
class DatedBallot:
    """``DATE: acme yes, orbis no [round N]``: one recorded vote of a sequence."""

    date: DateLit
    ballot: tuple[BallotEntry, ...]
    round: int | None
    span: Span


@dataclass(frozen=True, slots=True)
class ExpectVotes:
    """``expect vote C.D { DATE: … DATE: … } is OUTCOME [on DATE]``: recorded votes in
    order; OUTCOME is the last vote's, or ``deadlocked`` when the decision's
    ``deadlock`` clause opens a dispute (``on`` the date it does)."""

    committee: Ident
    decision: Ident
    ballots: tuple[DatedBallot, ...]
    outcome: Ident
    on: DateLit | None
    span: Span


@dataclass(frozen=True, slots=True)
class EscalationEvent:
    step: Ident
    kind: Literal["failed", "resolved"]
    date: DateLit
    span: Span


@dataclass(frozen=True, slots=True)
class ExpectEscalationState:
    ladder: Ident
    opened: DateLit
    events: tuple[EscalationEvent, ...]
    on: DateLit
    state: Ident  # a step name, or "resolved"
    span: Span


@dataclass(frozen=True, slots=True)
class ExpectEscalationDeadline:
    ladder: Ident
    opened: DateLit
    events: tuple[EscalationEvent, ...]
    step: Ident
    date: DateLit
    span: Span


Expectation: TypeAlias = (
    ExpectValue
    | ExpectMissing
    | ExpectStatus
    | ExpectVote
    | ExpectVotes
    | ExpectEscalationState
    | ExpectEscalationDeadline
)


@dataclass(frozen=True, slots=True)
class TestBlock:
    name: Text
    data: tuple[InlineData | FileData, ...]
    expects: tuple[Expectation, ...]
    span: Span

    __test__ = False  # not a pytest class


@dataclass(frozen=True, slots=True)
class TestsFor:
    path: Text
    span: Span
