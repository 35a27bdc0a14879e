"""Semantic analysis: a pipeline of passes over one parsed file.

``check(module, path)`` runs :data:`PASSES` in turn on a shared
:class:`~pactlang.sema.context.Checker`, then checks the file's ``test``
blocks.  Every pass reports into one diagnostic bag and carries on, so a file
gets all its errors in one run; the result is a :class:`CheckedContract`
(whenever the file has a contract, errors or not) and the diagnostics, sorted
by position.

1. ``declare.header``      header items (currency, language, term, calendar)
2. ``declare.names``       the table of every name; duplicates; label languages
3. ``resolve.references``  what each construct refers to; waterfall cap cycles
4. ``graph.order``         the evaluation schedule, aware of time; same-month cycles
5. ``typecheck.expressions`` the dimension type of every expression
6. ``structure.constructs``  attributes, parties, committees, rules, ladders, tiers
7. ``clauses.clauses``     party particulars; clause texts, references and ``governs``
8. ``lints.warnings``      unused values, unreachable rules, missing quorum, KPI facts
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterator
from pathlib import Path

from pactlang.diagnostics import Diagnostic, DiagnosticBag, sort_key
from pactlang.sema import clauses, declare, graph, lints, resolve, structure, testblocks, typecheck
from pactlang.sema.context import KIND_OF_DECL, Checker
from pactlang.sema.model import CheckedContract
from pactlang.syntax import ast

Pass = Callable[[Checker], None]

PASSES: tuple[Pass, ...] = (
    declare.header,
    declare.names,
    resolve.references,
    graph.order,
    typecheck.expressions,
    structure.constructs,
    clauses.clauses,
    lints.warnings,
)


def check(
    module: ast.Module,
    path: str,
    broken_names: frozenset[str] = frozenset(),
    *,
    base_dir: str | Path | None = None,
    mentioned: frozenset[str] = frozenset(),
) -> tuple[CheckedContract | None, list[Diagnostic]]:
    """Check a parsed file: its contract and the tests that follow it.

    ``broken_names`` are names whose declarations had syntax errors (from
    ``ParseResult.broken_names``): their uses are not reported as undeclared.
    ``mentioned`` are the names written in those broken declarations
    (``ParseResult.mentioned``): they are not reported as unused.
    ``base_dir`` is the folder data-file and ``tests for`` paths are relative to
    (default: the folder of ``path``).

    Returns ``(None, diagnostics)`` for a file without a contract (a
    ``tests for "X.pact"`` file: see :func:`check_tests_for`).
    """
    bag = DiagnosticBag(path)
    base = _base(path, base_dir)
    contract = module.contract
    if contract is None:
        _no_contract(module, bag, base)
        return None, sorted(bag.items, key=sort_key)
    cc = CheckedContract(module=module, path=path, contract=contract, title=contract.title.value)
    ck = Checker(bag, cc, broken_names, base)
    ck.used.update(mentioned)
    with _gc_paused():
        for p in PASSES:
            p(ck)
        testblocks.check_blocks(ck, module.tests)
    return cc, sorted(bag.items, key=sort_key)


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """The passes allocate many small, long-lived objects and free none of them
    in cycles: pausing the cyclic collector avoids full collections over the
    (large) AST, which would otherwise cost more than the check itself."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def check_tests(
    module: ast.Module,
    contract: CheckedContract,
    path: str,
    *,
    base_dir: str | Path | None = None,
) -> list[Diagnostic]:
    """Check the ``test`` blocks of ``module`` (a ``tests for`` file) against a
    contract checked separately.  Types of the tests' expressions are added to
    ``contract.types``."""
    bag = DiagnosticBag(path)
    ck = checker_for(contract, bag, _base(path, base_dir))
    testblocks.check_blocks(ck, module.tests)
    return sorted(bag.items, key=sort_key)


def check_tests_for(
    module: ast.Module,
    path: str,
    *,
    base_dir: str | Path | None = None,
) -> tuple[CheckedContract | None, list[Diagnostic]]:
    """Check a ``tests for "X.pact"`` file completely: load, parse and check the
    contract it names (relative to ``base_dir``, default the file's folder),
    then its tests.  Diagnostics of the contract itself keep their own path;
    an E072 on the ``tests for`` line says when the contract is missing or has
    errors.  Returns the contract (None if it could not be loaded)."""
    from pactlang.syntax.parser import parse_source

    cc, diags = check(module, path, base_dir=base_dir)
    if cc is not None or module.tests_for is None or any(d.code == "E072" for d in diags):
        return cc, diags
    base = _base(path, base_dir)
    target = base / module.tests_for.path.value
    bag = DiagnosticBag(path)
    try:
        text = target.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        bag.error(
            "E072",
            f'cannot read "{module.tests_for.path.value}": {exc.__class__.__name__}',
            module.tests_for.path.span,
        )
        return None, diags + bag.items
    parsed = parse_source(text, str(target))
    contract, target_diags = check(
        parsed.module,
        str(target),
        parsed.broken_names,
        base_dir=target.parent,
        mentioned=parsed.mentioned,
    )
    target_diags = sorted(parsed.diagnostics + target_diags, key=sort_key)
    errors = sum(1 for d in target_diags if d.is_error)
    if contract is None:
        bag.error(
            "E072",
            f'"{module.tests_for.path.value}" holds no contract',
            module.tests_for.path.span,
            help="`tests for` names the .pact file of a contract",
        )
        return None, target_diags + diags + bag.items
    contract.source = text
    if errors:
        bag.error(
            "E072",
            f'the contract "{module.tests_for.path.value}" has '
            f"{errors} error{'s' if errors != 1 else ''}",
            module.tests_for.path.span,
            help="fix the contract first; its errors are listed with its own path",
        )
    own = check_tests(module, contract, path, base_dir=base_dir)
    return contract, target_diags + sorted(diags + bag.items + own, key=sort_key)


def checker_for(cc: CheckedContract, bag: DiagnosticBag, base: Path | None) -> Checker:
    """A checker primed with the tables of an already checked contract."""
    ck = Checker(bag, cc, frozenset(), base, currency_known=True)
    if cc.path != bag.path:
        ck.decl_path = cc.path
    for i, d in enumerate(cc.contract.decls):
        kind = KIND_OF_DECL.get(type(d))
        if kind is None:
            continue
        name = d.name.name  # type: ignore[union-attr]
        if name not in ck.kind:
            ck.kind[name] = kind
            ck.decl[name] = d  # type: ignore[assignment]
            ck.index[name] = i
    return ck


def _base(path: str, base_dir: str | Path | None) -> Path:
    return Path(base_dir) if base_dir is not None else Path(path).parent


def _no_contract(module: ast.Module, bag: DiagnosticBag, base: Path) -> None:
    tf = module.tests_for
    if tf is None:
        if module.tests:
            bag.error(
                "E072",
                "these tests have no contract: the file holds no `contract` block",
                module.tests[0].name.span,
                help='start the file with `tests for "CONTRACT.pact"`, or put the tests '
                "after the contract",
            )
        return
    rel = tf.path.value
    if not rel.endswith(".pact"):
        bag.error(
            "E072",
            f'"{rel}" is not a .pact file',
            tf.path.span,
            help='`tests for` names the contract\'s file, e.g. `tests for "alliance.pact"`',
        )
        return
    target = base / rel
    if not target.is_file():
        bag.error(
            "E072",
            f'contract file "{rel}" not found (looked for {target.as_posix()})',
            tf.path.span,
            help="the path is relative to the folder of this test file",
        )
