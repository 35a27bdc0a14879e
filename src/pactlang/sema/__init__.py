"""Semantic analysis: names, dimension types, dependency order and lints.

``check(module, path)`` turns a parsed file into a :class:`CheckedContract`
and a list of diagnostics; see :mod:`pactlang.sema.check` for the passes.
"""

from .check import PASSES, check, check_tests, check_tests_for
from .model import CheckedContract
from .types import Type

__all__ = ["PASSES", "CheckedContract", "Type", "check", "check_tests", "check_tests_for"]
