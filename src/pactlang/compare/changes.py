"""The means of :mod:`pactlang.compare.meaning` and of its helper
:mod:`pactlang.compare.meaning_extra`: a change in meaning (:class:`Change`),
structural equality ignoring spans (:func:`same`), the smallest differing
sub-expressions (:func:`delta`), one version's source text (:class:`Side`)
and the recorder of changes (:class:`Changes`).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pactlang.diagnostics import Span
from pactlang.ir import nodes
from pactlang.sema.model import CheckedContract

__all__ = ["Change", "Changes", "Side", "delta", "key", "same"]

@dataclass(frozen=True, slots=True)
class Change:
    """One difference in meaning.

    ``subject`` names what changed (``conversion_floor rule 1``); ``old`` and
    ``new`` are its two versions in contract notation, ``None`` for a thing
    that one version does not have (added: ``old`` is None; removed: ``new``
    is None)."""

    section: str
    subject: str
    old: str | None
    new: str | None

    @property
    def kind(self) -> str:
        if self.old is None:
            return "added"
        if self.new is None:
            return "removed"
        return "changed"

    @property
    def text(self) -> str:
        if self.old is None:
            return f"{self.subject}: added: {self.new}"
        if self.new is None:
            return f"{self.subject}: removed (was {self.old})"
        return f"{self.subject}: {self.old} → {self.new}"

    def to_json(self) -> dict[str, Any]:
        return {
            "section": self.section,
            "subject": self.subject,
            "kind": self.kind,
            "old": self.old,
            "new": self.new,
            "text": self.text,
        }


# ------------------------------------------------------- structural equality


def key(obj: object) -> object:
    """A hashable picture of ``obj`` that ignores where it is written: frozen
    dataclasses (AST, IR and kernel models alike) by their fields without
    ``span``; sequences element by element; exact numbers by value."""
    if isinstance(obj, Span):
        return None
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return (
            type(obj).__name__,
            tuple(
                (f.name, key(getattr(obj, f.name)))
                for f in dataclasses.fields(obj)
                if f.name != "span"
            ),
        )
    if isinstance(obj, tuple | list):
        return tuple(key(x) for x in obj)
    if isinstance(obj, dict):
        return tuple(sorted((str(k), key(v)) for k, v in obj.items()))
    if isinstance(obj, frozenset | set):
        return tuple(sorted(repr(key(x)) for x in obj))
    return obj


def same(a: object, b: object) -> bool:
    """Whether two things mean the same (structurally equal, spans ignored)."""
    return key(a) == key(b)


_EXPR_TYPES = (
    nodes.Const, nodes.Ref, nodes.Neg, nodes.Not, nodes.Arith, nodes.Logic, nodes.Compare,
    nodes.Choose, nodes.Otherwise, nodes.Window, nodes.ToDate, nodes.Lag, nodes.Call,
    nodes.Distributed, nodes.Retained, nodes.Paid, nodes.Status, nodes.Power,
)


def _shallow(e: nodes.Expr) -> object:
    """A node's own fields: not its operands, its span or its type."""
    skip = {"span", "type", "operand", "operands", "left", "right", "cond", "then", "else_",
            "value", "fallback", "args"}
    if isinstance(e, nodes.Const):
        return (type(e).__name__, key(e.value), e.type)
    return (type(e).__name__,) + tuple(
        key(getattr(e, f.name)) for f in dataclasses.fields(e) if f.name not in skip
    )


def delta(a: nodes.Expr, b: nodes.Expr) -> list[tuple[nodes.Expr, nodes.Expr]]:
    """The smallest pairs of sub-expressions where ``a`` and ``b`` differ: the
    two trees are walked together while their nodes agree on everything but
    their operands, and each pair of operands that differs is kept."""
    out: list[tuple[nodes.Expr, nodes.Expr]] = []
    stack = [(a, b)]
    while stack:
        x, y = stack.pop()
        if same(x, y):
            continue
        cx, cy = nodes.children(x), nodes.children(y)
        if (
            type(x) is not type(y)
            or not isinstance(x, _EXPR_TYPES)
            or _shallow(x) != _shallow(y)
            or len(cx) != len(cy)
            or not cx
        ):
            out.append((x, y))
            continue
        stack.extend(reversed(list(zip(cx, cy, strict=True))))
    return out


# ------------------------------------------------------------- source text


class Side:
    """One version: its checked contract and program, and the text of a span."""

    def __init__(self, cc: CheckedContract, ir: nodes.Program) -> None:
        self.cc = cc
        self.ir = ir
        self.source = ir.source or cc.source

    def text(self, span: Span | None) -> str:
        if span is None or span.end <= span.start:
            return ""
        return re.sub(r"\s+", " ", self.source[span.start : span.end]).strip()

_COMPOUND = (nodes.Arith, nodes.Logic, nodes.Compare, nodes.Choose, nodes.Otherwise, nodes.Neg, nodes.Not)


def _part(side: Side, e: nodes.Expr) -> str:
    """A part of an expression, in parentheses when it is an operation (so
    that ``won / (leads + 1)`` shows its part as ``(leads + 1)``)."""
    text = side.text(e.span)
    return f"({text})" if isinstance(e, _COMPOUND) and not text.startswith("(") else text


# ----------------------------------------------------------------- compare


class Changes:
    """The changes found between two sides, and the ways of recording them: a
    pair of texts, an expression cut down to the parts that differ, things
    matched by name.  :func:`pactlang.compare.meaning.meaning_changes` walks the
    constructs with a subclass of it."""

    def __init__(self, old: Side, new: Side) -> None:
        self.old = old
        self.new = new
        self.out: list[Change] = []

    def add(self, section: str, subject: str, old: str | None, new: str | None) -> None:
        if old != new or old is None or new is None:
            self.out.append(Change(section, subject, old, new))

    def expr(self, section: str, subject: str, a: nodes.Expr, b: nodes.Expr) -> None:
        """An expression that changed, cut down to the parts that differ (at most
        two; beyond that the whole expression is shown)."""
        if same(a, b):
            return
        parts = delta(a, b)
        if 1 <= len(parts) <= 2 and parts[0][0] is not a:
            for x, y in parts:
                self.add(section, subject, _part(self.old, x), _part(self.new, y))
            return
        self.add(section, subject, self.old.text(a.span), self.new.text(b.span))

    # -- by name
    def by_name(
        self,
        section: str,
        olds: Mapping[str, Any],
        news: Mapping[str, Any],
        show: Callable[[Side, str, Any], str],
        compare: Callable[[str, Any, Any], None],
        what: str = "",
    ) -> None:
        prefix = f"{what} " if what else ""
        for name, o in olds.items():
            if name not in news:
                self.add(section, f"{prefix}{name}", show(self.old, name, o), None)
        for name, n in news.items():
            if name not in olds:
                self.add(section, f"{prefix}{name}", None, show(self.new, name, n))
            else:
                compare(name, olds[name], n)
