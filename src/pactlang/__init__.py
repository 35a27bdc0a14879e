"""pactlang: contract logic as code.

The public API lives in :mod:`pactlang.api` and is re-exported here lazily, so
``import pactlang`` (and ``pact --help``) stays fast:

>>> import pactlang
>>> contract = pactlang.load("examples/contracts/alliance.pact")
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pactlang.base.version import __version__

_API = {
    "CheckResult",
    "Contract",
    "DataError",
    "EvaluationError",
    "PactError",
    "UsageError",
    "check_file",
    "check_source",
    "diff",
    "load",
    "loads",
    "redline",
}

if TYPE_CHECKING:
    from pactlang.api import (
        CheckResult,
        Contract,
        DataError,
        EvaluationError,
        PactError,
        UsageError,
        check_file,
        check_source,
        diff,
        load,
        loads,
        redline,
    )
    from pactlang.base.values import Period


def __getattr__(name: str) -> Any:
    if name in _API:
        from pactlang import api

        return getattr(api, name)
    if name == "Period":
        from pactlang.base.values import Period

        return Period
    raise AttributeError(f"module 'pactlang' has no attribute {name!r}")


__all__ = [
    "CheckResult",
    "Contract",
    "DataError",
    "EvaluationError",
    "PactError",
    "Period",
    "UsageError",
    "__version__",
    "check_file",
    "check_source",
    "diff",
    "load",
    "loads",
    "redline",
]
