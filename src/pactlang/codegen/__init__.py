"""``pact compile``: contracts as standalone Python modules.

>>> import pactlang
>>> from pactlang.codegen import compile_module_source
>>> source = compile_module_source(pactlang.load("examples/contracts/alliance.pact"))

The module's ``evaluate(rows, key=None, *, strict=False)`` returns what ``pact
eval --format json`` prints for the same rows, and ``main()`` reads a data
file; see ``docs/codegen.md``.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pactlang.codegen.generate import CodegenError, generate_module
from pactlang.codegen.names import escape, mangle, unescape

if TYPE_CHECKING:
    from pactlang.sema.model import CheckedContract, Loaded

__all__ = [
    "CodegenError",
    "compile_module_source",
    "escape",
    "load_module",
    "mangle",
    "unescape",
]


def compile_module_source(contract: Loaded | CheckedContract, source_name: str | None = None) -> str:
    """The Python source of the module evaluating ``contract``.

    ``contract`` is a loaded contract (:func:`pactlang.load`) or a checked one;
    ``source_name`` is the name shown in the module's docstrings (default: the
    contract file's name).  Deterministic: the same contract gives the same text.
    """
    from pactlang.sema.model import CheckedContract

    checked = contract if isinstance(contract, CheckedContract) else contract.checked
    if checked.amends is not None:
        a = checked.amends
        raise CodegenError(
            f'it amends "{a.target.value}" from {a.start.value}: a compiled module evaluates one version, '
            "and amended contracts are evaluated by the interpreter only (`pact eval`); "
            "the amended version alone can be compiled"
        )
    if source_name is None:
        source_name = Path(checked.path).name
    tree = generate_module(checked, source_name)
    return ast.unparse(tree) + "\n"


def load_module(source: str, name: str = "pact_compiled") -> Any:
    """Execute generated ``source`` as a fresh module object (not added to ``sys.modules``)."""
    import types

    module = types.ModuleType(name)
    module.__file__ = f"<{name}>"
    exec(compile(source, f"<{name}>", "exec"), module.__dict__)  # our own generated code
    return module
