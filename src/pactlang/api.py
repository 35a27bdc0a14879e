"""The Python API: what the CLI uses, and what programs embedding pactlang call.

>>> import pactlang
>>> contract = pactlang.load("examples/contracts/alliance.pact")
>>> result = contract.evaluate("examples/data/alliance.csv")
>>> result.status("conversion_floor", pactlang.Period(2026, 3))

The top of the API layer: it imports the pieces and nothing of the package
imports it back (but ``pactlang/__init__.py``, ``cli.py`` and the language
server, above it).  Loading and :class:`Contract` are
:mod:`pactlang.contract`'s, ``diff`` and ``redline`` :mod:`pactlang.versions`',
what each ``pact`` command does :mod:`pactlang.commands`' and
:mod:`pactlang.commands_eval`'s, the streamed evaluation
:mod:`pactlang.portfolio`'s; all of it is re-exported here.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

from pactlang.base.values import Period
from pactlang.commands import (
    CommandError,
    Streams,
    analyze_command,
    calendar_command,
    check_command,
    compile_command,
    diff_command,
    distribute_command,
    escalate_command,
    fmt_command,
    handle_error,
    render_command,
    schema_command,
    test_command,
    vote_command,
)
from pactlang.commands_eval import eval_command, report_command, rounded_for_reading
from pactlang.contract import (
    CheckResult,
    Contract,
    PactError,
    SourceFile,
    SourceTooLarge,
    UsageError,
    analyze_file,
    check_file,
    check_source,
    compile_sql,
    load,
    loads,
    parse_amount,
    parse_ballot,
    read_source,
)
from pactlang.io.data_types import DataError
from pactlang.kernel.timeline import EvaluationError
from pactlang.portfolio import Outcome  # light: no engine is imported
from pactlang.versions import diff, redline

if TYPE_CHECKING:
    from pactlang.engine.evaluate import Evaluation


def journal_schema() -> dict[str, object]:
    """The JSON Schema of a journal (``pact schema --journal``)."""
    from pactlang.io.journal import journal_json_schema

    return journal_json_schema()


def write_output(
    path: str | os.PathLike[str],
    data: bytes | str,
    *,
    inputs: Sequence[str | os.PathLike[str]] = (),
) -> None:
    """Write an output file (``-`` is standard output) through :mod:`pactlang.io.files`:
    whole or not at all, through symlinks, special files written directly, a
    read-only file or one of ``inputs`` refused (``FileProblem``, exit 2)."""
    import sys

    from pactlang.io.files import write_bytes

    body = data.encode("utf-8") if isinstance(data, str) else data
    if str(path) == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(body)
        sys.stdout.flush()
        return
    write_bytes(path, body, inputs=inputs)



def default_calendar(code: str | None) -> Callable[[], None]:
    """Public holidays of country ``code`` for the contracts checked from now on
    that state no ``calendar`` (``pact --calendar CC``, ``calendar = "CC"`` in
    ``[tool.pact]``: CLI.md); a contract's own ``calendar`` line wins.  Returns
    the function that restores the previous default.  An unknown country is a
    :class:`UsageError`."""
    from pactlang.sema.declare import DEFAULT_CALENDAR, known_calendar

    if code is not None and not known_calendar(code):
        raise UsageError(
            f"calendar: `{code}` is not a country with a public-holiday calendar "
            "(an ISO 3166 code such as FR, DE, GB or US)"
        )
    token = DEFAULT_CALENDAR.set(code)
    return lambda: DEFAULT_CALENDAR.reset(token)


def evaluate_to(contract: Contract, data_path: str | os.PathLike[str], **options: object) -> Outcome:
    """Evaluate a data file with an engine and write the results in a format
    (``pact eval --format json|jsonl|csv|parquet [-o FILE] [--engine …]``);
    see :func:`pactlang.portfolio.evaluate_to`."""
    from pactlang.portfolio import evaluate_to as run

    return run(contract, data_path, **options)  # type: ignore[arg-type]


def runs_of(
    contract: Contract,
    data_path: str | os.PathLike[str],
    by: str | None,
    strict: bool,
    outcome: Outcome,
    *,
    engine: str = "interpreter",
) -> Iterator[Evaluation]:
    """Each key's finished evaluation, in the data's order (one at a time)."""
    from pactlang.portfolio import runs_of as runs

    return runs(contract, data_path, by, strict, outcome, engine)  # type: ignore[return-value]



__all__ = [
    "CheckResult",
    "CommandError",
    "Streams",
    "analyze_command",
    "calendar_command",
    "check_command",
    "compile_command",
    "diff_command",
    "distribute_command",
    "escalate_command",
    "eval_command",
    "fmt_command",
    "handle_error",
    "render_command",
    "report_command",
    "rounded_for_reading",
    "schema_command",
    "test_command",
    "vote_command",
    "Contract",
    "DataError",
    "EvaluationError",
    "Outcome",
    "compile_sql",
    "default_calendar",
    "evaluate_to",
    "runs_of",
    "PactError",
    "Period",
    "SourceFile",
    "SourceTooLarge",
    "UsageError",
    "analyze_file",
    "check_file",
    "check_source",
    "diff",
    "journal_schema",
    "load",
    "loads",
    "parse_amount",
    "parse_ballot",
    "read_source",
    "redline",
    "write_output",
]

