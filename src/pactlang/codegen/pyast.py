"""Building Python syntax trees from fixed templates (``pact compile``).

The generator writes code only through :mod:`ast`: a *template* is a short
piece of Python written in this package (never user text) in which
placeholder names — an underscore and capitals, ``_A``, ``_BODY`` — stand for
nodes.  :func:`stmts` and :func:`expr` parse the template once, copy it and put
the given nodes in place of the placeholders:

* an :class:`ast.expr` replaces a placeholder used as an expression;
* a ``str`` becomes an identifier, after :func:`~pactlang.codegen.names.check`;
* a ``list`` of statements replaces a placeholder standing alone as a statement.

User data enters a tree only as :class:`ast.Constant` nodes (``ast.unparse``
writes them with ``repr``) or as checked identifiers, so it can never become
code.
"""

from __future__ import annotations

import ast
import copy
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any, TypeAlias, cast

from pactlang.codegen.names import check

Sub: TypeAlias = "ast.expr | str | list[ast.stmt]"


@cache
def _parsed(template: str, mode: str) -> ast.AST:
    return ast.parse(template, mode=mode)


class _Fill(ast.NodeTransformer):
    def __init__(self, subs: Mapping[str, Sub]) -> None:
        self.subs = subs
        self.used: set[str] = set()

    def _lookup(self, ident: str) -> Sub | None:
        if ident.startswith("_") and ident[1:2].isupper() and ident in self.subs:
            self.used.add(ident)
            return self.subs[ident]
        if ident.startswith("_") and ident[1:2].isupper() and ident != "_rt":
            raise KeyError(f"template placeholder {ident} has no value")
        return None

    def visit_Name(self, node: ast.Name) -> ast.AST:
        value = self._lookup(node.id)
        if value is None:
            return node
        if isinstance(value, str):
            return ast.Name(id=check(value), ctx=node.ctx)
        if isinstance(value, ast.expr):
            new = copy.deepcopy(value)
            if hasattr(new, "ctx"):
                new.ctx = node.ctx  # type: ignore[attr-defined]
            return new
        raise TypeError(f"{node.id}: a statement list used as an expression")

    def visit_Expr(self, node: ast.Expr) -> Any:
        if isinstance(node.value, ast.Name):
            value = self._lookup(node.value.id)
            if isinstance(value, list):
                return [copy.deepcopy(s) for s in value]
            if value is not None:
                return ast.Expr(value=self.visit(node.value))
            return node
        self.generic_visit(node)
        return node

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.AST:
        value = self._lookup(node.name)
        if value is not None:
            if not isinstance(value, str):
                raise TypeError(f"{node.name}: a function name must be an identifier")
            node.name = check(value)
        self.generic_visit(node)
        return node

    def visit_Nonlocal(self, node: ast.Nonlocal) -> ast.AST:
        names: list[str] = []
        for n in node.names:
            value = self._lookup(n)
            if value is None:
                names.append(n)
            elif isinstance(value, list):
                names.extend(check(cast(str, v)) for v in value)
            elif isinstance(value, str):
                names.append(check(value))
            else:
                raise TypeError(f"{n}: nonlocal needs identifiers")
        node.names = names
        return node


def stmts(template: str, **subs: Sub) -> list[ast.stmt]:
    """The statements of ``template`` with its placeholders filled."""
    tree = copy.deepcopy(cast(ast.Module, _parsed(template, "exec")))
    filler = _Fill(subs)
    new = filler.visit(tree)
    unused = set(subs) - filler.used
    if unused:
        raise KeyError(f"unused template values: {sorted(unused)}")
    return cast(list[ast.stmt], new.body)


def expr(template: str, **subs: Sub) -> ast.expr:
    """The expression ``template`` with its placeholders filled."""
    tree = copy.deepcopy(cast(ast.Expression, _parsed(template, "eval")))
    filler = _Fill(subs)
    new = filler.visit(tree)
    unused = set(subs) - filler.used
    if unused:
        raise KeyError(f"unused template values: {sorted(unused)}")
    return cast(ast.expr, new.body)


# ------------------------------------------------------------ small nodes


def name(ident: str) -> ast.Name:
    return ast.Name(id=check(ident), ctx=ast.Load())


_BUILTINS = frozenset({"abs", "min", "max", "zip", "range", "dict", "list", "str"})


def builtin(ident: str) -> ast.Name:
    """One of the few builtins generated code calls (never a user's name)."""
    if ident not in _BUILTINS:
        raise ValueError(f"not an allowed builtin: {ident!r}")
    return ast.Name(id=ident, ctx=ast.Load())


def store(ident: str) -> ast.Name:
    return ast.Name(id=check(ident), ctx=ast.Store())


def const(value: str | int | bool | None) -> ast.Constant:
    """A literal: strings and numbers are written by ``ast.unparse`` with ``repr``."""
    if value is not None and not isinstance(value, str | int | bool):
        raise TypeError(f"not a literal: {type(value).__name__}")
    return ast.Constant(value=value)


def assign(target: str, value: ast.expr) -> ast.Assign:
    return ast.Assign(targets=[store(target)], value=value, lineno=0)


def is_none(e: ast.expr) -> ast.Compare:
    return ast.Compare(left=e, ops=[ast.Is()], comparators=[ast.Constant(value=None)])


def is_const(e: ast.expr, value: bool | None) -> ast.Compare:
    return ast.Compare(left=e, ops=[ast.Is()], comparators=[ast.Constant(value=value)])


def any_of(tests: Sequence[ast.expr]) -> ast.expr:
    """``a or b or …`` (the test itself when there is one)."""
    if len(tests) == 1:
        return tests[0]
    return ast.BoolOp(op=ast.Or(), values=list(tests))


def if_exp(test: ast.expr, body: ast.expr, orelse: ast.expr) -> ast.IfExp:
    return ast.IfExp(test=test, body=body, orelse=orelse)


def attr(obj: str, attribute: str) -> ast.Attribute:
    return ast.Attribute(value=name(obj), attr=attribute, ctx=ast.Load())


def call(func: ast.expr, *args: ast.expr, **kwargs: ast.expr) -> ast.Call:
    return ast.Call(
        func=func, args=list(args), keywords=[ast.keyword(arg=k, value=v) for k, v in kwargs.items()]
    )


def tuple_(items: Sequence[ast.expr]) -> ast.Tuple:
    return ast.Tuple(elts=list(items), ctx=ast.Load())


def list_(items: Sequence[ast.expr]) -> ast.List:
    return ast.List(elts=list(items), ctx=ast.Load())


def dict_(items: Sequence[tuple[ast.expr, ast.expr]]) -> ast.Dict:
    return ast.Dict(keys=[k for k, _ in items], values=[v for _, v in items])


def subscript(value: ast.expr, index: ast.expr) -> ast.Subscript:
    return ast.Subscript(value=value, slice=index, ctx=ast.Load())


def binop(left: ast.expr, op: str, right: ast.expr) -> ast.BinOp:
    ops: dict[str, ast.operator] = {"+": ast.Add(), "-": ast.Sub(), "*": ast.Mult(), "/": ast.Div()}
    return ast.BinOp(left=left, op=ops[op], right=right)


def offset(base: str, delta: int) -> ast.expr:
    """``base + delta`` / ``base - delta`` / ``base``."""
    if delta == 0:
        return name(base)
    op: ast.operator = ast.Add() if delta > 0 else ast.Sub()
    return ast.BinOp(left=name(base), op=op, right=ast.Constant(value=abs(delta)))


def docstring(text: str) -> ast.Expr:
    return ast.Expr(value=ast.Constant(value=text))


def tuple_store(idents: Sequence[str]) -> ast.Tuple:
    """``a, b = …``: an assignment target of several names."""
    return ast.Tuple(elts=[store(i) for i in idents], ctx=ast.Store())
