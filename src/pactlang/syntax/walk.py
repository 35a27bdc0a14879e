"""Generic traversal of expression trees (iterative, pre-order)."""

from __future__ import annotations

from collections.abc import Iterator

from pactlang.syntax import ast


def children(node: ast.Expr) -> tuple[ast.Expr, ...]:
    if isinstance(node, (ast.Arith, ast.Logic)):
        return node.operands
    if isinstance(node, ast.Compare):
        return (node.left, node.right)
    if isinstance(node, ast.Unary):
        return (node.operand,)
    if isinstance(node, ast.IfThenElse):
        return (node.cond, node.then, node.else_)
    if isinstance(node, ast.Otherwise):
        return (node.value, node.fallback)
    if isinstance(node, ast.Call):
        return node.args
    return ()


def walk(expr: ast.Expr) -> Iterator[ast.Expr]:
    """Every node of ``expr``, parents before children, left to right."""
    stack: list[ast.Expr] = [expr]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(children(node)))


def source_text(source: str, node: object) -> str:
    """The text of ``node`` as written in ``source``, spacing normalised.

    ``?`` when there is no source or the node has no (non-empty) span.
    """
    span = getattr(node, "span", None)
    if span is None or not source or span.end <= span.start:
        return "?"
    return " ".join(source[span.start : span.end].split())
