"""Semantic analysis: names, dimension types, dependency order and lints.

``check(module, path)`` turns a parsed file into a :class:`CheckedContract`
and a list of diagnostics; see :mod:`pactlang.sema.check` for the passes.
"""

from pactlang.base.types import Type
from pactlang.sema.check import PASSES, check, check_tests, check_tests_for
from pactlang.sema.model import CheckedContract

__all__ = ["PASSES", "CheckedContract", "Type", "check", "check_tests", "check_tests_for"]
