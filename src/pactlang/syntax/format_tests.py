"""The canonical layout of test blocks (part of :mod:`pactlang.syntax.format`).

The functions take the formatter's printer as ``self`` (typed by its
interface, :class:`pactlang.syntax.format_base.Printer`); the formatter calls
:func:`test_block` for each ``test "…" { … }`` of a file.
"""

from __future__ import annotations

from pactlang.syntax import ast
from pactlang.syntax.format_base import P_SUM, Printer, quote

__all__ = ["expectation", "test_block", "votes"]


def test_block(self: Printer, t: ast.TestBlock) -> None:
    """``test "…" {`` its data blocks and expectations in source order ``}``."""
    s, e = t.span.start, t.span.end
    self.emit(0, f"test {quote(t.name.value)} {{", s, e, opening=True)
    items: list[ast.InlineData | ast.FileData | ast.Expectation] = [*t.data, *t.expects]
    items.sort(key=lambda x: x.span.start)
    for item in items:
        if isinstance(item, ast.InlineData):
            self.emit(1, "data {", item.span.start, item.span.end, opening=True)
            for row in item.rows:
                cells = ", ".join(f"{c.name.name} = {self.expr(c.value)}" for c in row.cells)
                self.emit(2, f"{row.period.value}: {cells}", row.span.start, row.span.end)
            self.close(1, item.span.end)
        elif isinstance(item, ast.FileData):
            self.emit(1, f"data {quote(item.path.value)}", item.span.start, item.span.end)
        elif isinstance(item, ast.ExpectVotes):
            votes(self, item)
        else:
            self.emit(1, expectation(self, item), item.span.start, item.span.end)
    self.close(0, e)


def votes(self: Printer, x: ast.ExpectVotes) -> None:
    """``expect vote C.D {`` one dated ballot per line ``} is OUTCOME [on DATE]``."""
    s, e = x.span.start, x.span.end
    self.emit(1, f"expect vote {x.committee.name}.{x.decision.name} {{", s, e, opening=True)
    last = s
    for b in x.ballots:
        entries = ", ".join(f"{v.party.name} {v.vote}" for v in b.ballot)
        rnd = ""
        if b.round is not None:
            rnd = f" round {self.whole(b.span.start, b.span.end, b.round)}"
        self.emit(2, f"{b.date.value.isoformat()}: {entries}{rnd}", b.span.start, b.span.end)
        last = b.span.end
    tail = f"}} is {x.outcome.name}"
    if x.on is not None:
        tail += f" on {x.on.value.isoformat()}"
    brace = self._keyword_before(x.outcome.span.start, "}", last)
    self.emit(1, tail, brace, e)


def expectation(self: Printer, x: ast.Expectation) -> str:
    """One expectation on one line."""
    if isinstance(x, ast.ExpectValue):
        if x.at is None:
            # parsed as one comparison `expect L == R`: both sides are sums
            text = f"expect {self.expr(x.expr, P_SUM)} == {self.expr(x.expected, P_SUM)}"
        else:
            text = f"expect {self.expr(x.expr)} at {x.at.value} == {self.expr(x.expected)}"
        if x.within is not None:
            text += f" within {self.expr(x.within)}"
        return text
    if isinstance(x, ast.ExpectMissing):
        at = f" at {x.at.value}" if x.at is not None else ""
        return f"expect {self.expr(x.expr)}{at} is missing"
    if isinstance(x, ast.ExpectStatus):
        return f"expect {x.threshold.name} at {x.at.value} is {x.status.name}"
    if isinstance(x, ast.ExpectVotes):  # pragma: no cover - printed by votes()
        raise TypeError("a sequence of votes spans several lines")
    if isinstance(x, ast.ExpectVote):
        ballot = ", ".join(f"{b.party.name} {b.vote}" for b in x.ballot)
        rnd = ""
        if x.round is not None:
            rnd = f" round {self.whole(x.span.start, x.span.end, x.round)}"
        return (
            f"expect vote {x.committee.name}.{x.decision.name} {{ {ballot} }}{rnd}"
            f" is {x.outcome.name}"
        )
    text = f"expect escalation {x.ladder.name} opened {x.opened.value.isoformat()}"
    if x.events:
        text += " with " + ", ".join(
            f"{ev.step.name} {ev.kind} {ev.date.value.isoformat()}" for ev in x.events
        )
    if isinstance(x, ast.ExpectEscalationState):
        return text + f" on {x.on.value.isoformat()} is {x.state.name}"
    return text + f" deadline {x.step.name} == {x.date.value.isoformat()}"
