"""``pact eval`` outputs that stream, on every engine (docs/engines.md, docs/cli.md).

:func:`evaluate_to` evaluates a data file with an engine — ``interpreter``,
``duckdb`` or ``spark`` — and writes the results in a format (``json``,
``jsonl``, ``csv``, ``parquet``) to standard output or to a file
(written whole or not at all), one key at a time: a portfolio's output is
never one joined string.  The JSON of every engine is the same, byte for byte
(:func:`pactlang.report.stream.result_line` or DuckDB's own text, compared by
the differential tests).
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pactlang.base.values import Period
from pactlang.kernel.run import Run
from pactlang.kernel.timeline import EvaluationError
from pactlang.report.results import Window, status_hits

if TYPE_CHECKING:
    from pactlang.contract import Contract
    from pactlang.io.data import MeasureSpec

__all__ = ["ENGINES", "FORMATS", "Outcome", "evaluate_to", "runs_of"]

ENGINES = ("interpreter", "duckdb", "spark")
FORMATS = ("json", "jsonl", "csv", "parquet")


@dataclass(slots=True)
class Outcome:
    """What an evaluation found besides its output: threshold hits for
    ``--fail-on`` (key, threshold, month), notes (what fell back to the kernel),
    warnings (data outside the term)."""

    hits: list[tuple[str | None, str, Period]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    count: int = 0


def _record(ev: Run, fail_on: str | None, window: Window, out: Outcome) -> None:
    out.count += 1
    if fail_on:
        out.hits.extend(status_hits(ev, fail_on, window))


def runs_of(
    contract: Contract,
    path: str | os.PathLike[str],
    by: str | None,
    strict: bool,
    out: Outcome,
    engine: str = "interpreter",
) -> Iterator[Run]:
    """Each key's finished run, in order: the interpreter over the column loader,
    or (``duckdb``) SQL's columns finished by the kernel."""
    if engine == "duckdb":
        _, runs = _duckdb(contract, path, by, "text", strict, (None, None), out)
        if runs is not None:
            return runs
    elif engine == "spark":
        raise EvaluationError(["--engine spark writes --format json or jsonl"])
    return _interpreted(contract, path, by, strict, out)


def _interpreted(
    contract: Contract, path: str | os.PathLike[str], by: str | None, strict: bool, out: Outcome
) -> Iterator[Run]:
    c = contract.checked
    program = contract.program
    return keyed_runs(
        path, contract.measure_specs(), c.currency, c.effective, c.until, by, strict,  # type: ignore[arg-type]
        lambda data, key, strict: program.run(data, key=key, strict=strict),
        program.check_strict, out.warnings,
    )


def keyed_runs(
    path: str | os.PathLike[str],
    specs: Sequence[MeasureSpec],
    currency: str,
    effective: datetime.date | None,
    until: datetime.date | None,
    by: str | None,
    strict: bool,
    run: Callable[[Any, str | None, bool], Run],
    check_strict: Callable[[Any, str | None], None],
    warnings: list[str],
) -> Iterator[Run]:
    """Each key's finished run, in order, over the column loader (the whole file
    validated before the first run; its warnings appended to ``warnings`` then):
    ``run(data, key, strict)`` evaluates a key — the interpreter's, or a
    compiled module's.  With ``strict``, every key's missing values are listed
    before any is evaluated."""
    from pactlang.io.columns import read_columns, stream_columns

    if strict:
        loaded = read_columns(path, specs, currency=currency, effective=effective, until=until, by=by)  # type: ignore[arg-type]
        warnings.extend(str(w) for w in loaded.warnings)
        problems: list[str] = []
        for key, data in loaded.datasets.items():
            try:
                check_strict(data, None if key is None else str(key))
            except EvaluationError as exc:
                problems.extend(exc.problems)
        if problems:
            raise EvaluationError(problems)
        items: Iterable[Any] = ((k, d, loaded.warnings_for(k)) for k, d in loaded.datasets.items())
    else:
        found: list[Any] = []
        items = stream_columns(path, specs, currency=currency, effective=effective, until=until, by=by, problems=found)  # type: ignore[arg-type]
    first = True
    for key, data, key_warnings in items:
        if first and not strict:
            warnings.extend(str(w) for w in found)
            first = False
        ev = run(data, None if key is None else str(key), strict)
        ev.warnings[:0] = [str(w) for w in key_warnings]
        yield ev


def evaluate_to(
    contract: Contract,
    data_path: str | os.PathLike[str],
    *,
    by: str | None,
    fmt: str,
    output: str | None,
    engine: str = "interpreter",
    spark_master: str | None = None,
    strict: bool = False,
    window: Window = (None, None),
    fail_on: str | None = None,
    progress: Callable[[], None] | None = None,
    warn: Callable[[str], None] | None = None,
    inputs: Sequence[str | os.PathLike[str]] = (),
) -> Outcome:
    """Evaluate ``data_path`` and write the results (see the module's documentation)."""
    from pactlang.io.files import open_output, output_file

    out = Outcome()
    if fmt not in FORMATS:  # pragma: no cover - the CLI offers only these
        raise ValueError(fmt)
    if fmt == "parquet" and (output is None or output == "-"):
        raise EvaluationError([f"--format {fmt} is a binary format: give an output file with -o FILE"])
    inputs = [data_path, *inputs]
    if output is not None and output != "-":
        from pactlang.io.files import refuse_inputs

        refuse_inputs(output, inputs)  # before any work
    lines: Iterator[str] | None = None
    runs: Iterator[Run] | None = None
    table: Any = None
    if engine == "duckdb":
        lines, runs = _duckdb(contract, data_path, by, fmt, strict, window, out, fail_on)
        if isinstance(runs, _Table):
            table, runs = runs.run, None
    elif engine == "spark":
        from pactlang.sql.spark import spark_lines

        if fmt not in ("json", "jsonl"):
            raise EvaluationError(["--engine spark writes --format json or jsonl (tables: --engine duckdb or interpreter)"])
        if strict:
            out.notes.append("--engine spark: --strict: the interpreter lists missing values")
        elif contract.program.base is not None:
            out.notes.append("--engine spark: an amended contract is evaluated by the interpreter")
        else:
            lines = spark_lines(contract, data_path, by, strict, window, out, spark_master, fail_on, out.hits)
    if lines is None and runs is None:
        runs = runs_of(contract, data_path, by, strict, out)
    if warn is not None:
        for n in out.notes:
            warn(n)

    def counted(rs: Iterator[Run]) -> Iterator[Run]:
        for ev in rs:
            _record(ev, fail_on, window, out)
            if progress is not None:
                progress()
            yield ev

    if fmt in ("json", "jsonl"):
        from pactlang.report.stream import portfolio_pieces, result_line

        pieces: Iterable[str | memoryview]
        if isinstance(lines, _Pieces):  # DuckDB's output, framed (its query already ran)
            pieces = lines.pieces
        else:
            if lines is None:
                assert runs is not None
                lines = (result_line(ev, window) for ev in counted(runs))
            lines = _peeked(lines)  # the data is validated before anything is written
            if by is None:
                one = next(iter(lines), None)
                if one is None:  # pragma: no cover - a single dataset always gives one result
                    raise EvaluationError(["no result"])
                import json

                from pactlang.report.results import dumps

                pieces = [dumps(json.loads(one)) + "\n"] if fmt == "json" else [one + "\n"]
            else:
                pieces = portfolio_pieces(lines, fmt)
        with open_output(output, inputs=inputs) as fh:
            for piece in pieces:
                fh.write(piece.encode("utf-8") if isinstance(piece, str) else piece)
        _warn(out, warn)
        return out
    if table is not None:  # DuckDB writes the values table itself
        _copy(table, fmt, output, by, window, out, inputs, fail_on)
        _warn(out, warn)
        return out
    assert runs is not None
    runs = _peeked(runs)
    meta = contract.program.meta
    from pactlang.report import tables

    if fmt == "csv":
        with open_output(output, inputs=inputs) as fh:
            tables.write_csv(counted(runs), fh, meta, by, window)
    else:
        if output is None or output == "-":
            raise EvaluationError([f"--format {fmt} is a binary format: give an output file with -o FILE"])
        with output_file(output, inputs=inputs) as tmp:
            tables.write_parquet(counted(runs), tmp, meta, by, window)
    _warn(out, warn)
    return out


def _warn(out: Outcome, warn: Callable[[str], None] | None) -> None:
    if warn is not None:
        for w in out.warnings:
            warn(f"warning: {w}")


@dataclass(slots=True)
class _Pieces:
    """DuckDB's whole output, framed (:func:`_fast_pieces`)."""

    pieces: Iterator[str | memoryview]


@dataclass(slots=True)
class _Table:
    """DuckDB writes the values table itself (``COPY``)."""

    run: Any


def _copy(
    run: Any, fmt: str, output: str | None, by: str | None, window: Window, out: Outcome, inputs: Sequence[Any],
    fail_on: str | None = None,
) -> None:
    from pactlang.io.files import open_output, output_file
    from pactlang.report.tables import table_rows

    order = run.order()
    kernel = run.kernel_runs([k for k, ok in order if not ok], False)
    rows: list[tuple[Any, ...]] = []
    first = dict(run.con.execute("SELECT k, first FROM keys").fetchall())
    for key, ev in kernel.items():
        if isinstance(ev, EvaluationError):
            raise ev
        rows.extend((first[key], p.index, *row) for p, row in zip(ev.months, table_rows(ev, by, window), strict=True))
    _sql_hits(run, order, kernel, fail_on, out)
    if output is None or output == "-":
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"out.{fmt}"
            run.copy_table(path, fmt, rows)
            with open_output(output, inputs=inputs) as fh, open(path, "rb") as src:
                while chunk := src.read(1 << 20):
                    fh.write(chunk)
        return
    with output_file(output, inputs=inputs) as tmp_path:
        run.copy_table(tmp_path, fmt, rows)


def _sql_hits(run: Any, order: Sequence[tuple[str, bool]], kernel: Mapping[str, Any], fail_on: str | None, out: Outcome) -> None:
    """What ``--fail-on`` needs of a DuckDB evaluation, key after key: SQL's
    checks for the keys it gave whole, the kernel's runs' for the others."""
    out.count = len(order)
    if not fail_on:
        return
    found = run.hits(fail_on)
    for key, ok in order:
        if ok:
            out.hits.extend((key if run.by else None, name, Period.from_index(m)) for name, m in found.get(key, []))
        elif not isinstance(kernel[key], EvaluationError):
            out.hits.extend(status_hits(kernel[key], fail_on))


def _peeked(items: Iterator[Any]) -> Iterator[Any]:
    """The same items, the first one already computed (so errors come before output)."""
    import itertools

    first = next(items, _END)
    return iter(()) if first is _END else itertools.chain([first], items)


_END = object()


def _duckdb(
    contract: Contract, data_path: Any, by: str | None, fmt: str, strict: bool, window: Window, out: Outcome,
    fail_on: str | None = None,
) -> tuple[Iterator[str] | None, Iterator[Run] | None]:
    from pactlang.sql.duck import DuckRun, NotPlain, engine_errors

    if contract.program.base is not None:
        out.notes.append("--engine duckdb: an amended contract is evaluated by the interpreter")
        return None, None
    try:
        lean = fmt in ("json", "jsonl", "csv", "parquet") and window == (None, None) and not strict
        run = DuckRun(contract.program, data_path, by, lean=lean)
        out.notes.extend(f"--engine duckdb: {n}" for n in run.notes)
        out.warnings.extend(run.warnings)
        if run.lean and fmt in ("json", "jsonl"):  # SQL computes every construct: its results as they are
            if by is not None:
                return _Pieces(_fast_pieces(run, fmt, fail_on, out)), None  # type: ignore[return-value]
            return _fast_lines(run, strict, fail_on, out), None
        if run.lean:  # csv, parquet
            return None, _Table(run)  # type: ignore[return-value]
    except NotPlain as exc:
        out.notes.append(f"--engine duckdb: the data has {exc}: read by the column loader, evaluated by the interpreter")
        return None, None
    except engine_errors() as exc:
        out.notes.append(f"--engine duckdb: DuckDB failed ({type(exc).__name__}: {exc}); evaluated by the interpreter")
        return None, None
    if strict and run.con.execute(
        "SELECT count(*) FROM base WHERE " + (" OR ".join(f"c{i} IS NULL" for i in range(len(run.measure_cols))) or "FALSE")
    ).fetchone()[0]:
        out.notes.append("--engine duckdb: missing values with --strict: the interpreter lists them")
        return None, None
    return None, run.hybrid_runs(strict)


def _fast_lines(run: Any, strict: bool, fail_on: str | None, out: Outcome) -> Iterator[str]:
    """Each key's JSON line from DuckDB; keys whose guards failed from the kernel.
    The query runs at once (an engine failure is known before anything is written)."""
    from pactlang.report.stream import result_line

    order = run.order()
    # the keys the kernel computes (few: guards that failed, keys with no month in the
    # term), fetched before the stream of lines (one query at a time per connection)
    kernel = run.kernel_runs([k for k, ok in order if not ok], strict)
    _sql_hits(run, order, kernel, fail_on, out)
    return _merged(order, kernel, run.json_lines(), result_line)


def _fast_pieces(run: Any, fmt: str, fail_on: str | None, out: Outcome) -> Iterator[str | memoryview]:
    """A portfolio's whole output in ``fmt`` (json, jsonl) from DuckDB, piece
    by piece: the framing of :data:`~pactlang.report.stream.FRAMING`; the lines
    SQL gives as the bytes Arrow joined them into (never a Python string);
    the kernel's keys' lines at their places.  The query runs, and its first
    batch is read, before this returns (errors come before any output)."""
    import itertools

    from pactlang.report.stream import FRAMING, result_line
    from pactlang.sql.lines import text_bytes

    f = FRAMING[fmt]
    assert f.before.endswith(f.first)
    order = run.order()
    kernel = run.kernel_runs([k for k, ok in order if not ok], False)
    _sql_hits(run, order, kernel, fail_on, out)
    batches = _peeked(run.json_batches(f.before, f.after))

    skip = len(f.before) - len(f.first)  # the first line's `before` is `first`, its suffix
    got: list[str] = []  # the current batch's keys, its lines, the next line's place
    text: Any = None
    at = 0

    def sql_lines(keys: list[str]) -> Iterator[tuple[Any, int, int]]:
        """The next lines SQL gives, those of ``keys``: (lines, from, to) batch by batch."""
        nonlocal got, text, at
        while keys:
            while at == len(got):  # the next batch (one of kernel keys only is empty)
                got, text = next(batches)
                at = 0
            hi = min(len(got), at + len(keys))
            assert got[at:hi] == keys[: hi - at]
            yield text, at, hi
            keys, at = keys[hi - at :], hi

    def pieces() -> Iterator[str | memoryview]:
        if f.head:
            yield f.head
        first = True
        for ok, group in itertools.groupby(order, key=lambda item: item[1]):
            keys = [key for key, _ok in group]
            if ok:
                for lines, lo, hi in sql_lines(keys):
                    yield text_bytes(lines, lo, hi, skip if first else 0)
                    first = False
                continue
            for key in keys:
                ev = kernel[key]
                if isinstance(ev, EvaluationError):
                    raise ev
                yield (f.first if first else f.before) + result_line(ev) + f.after
                first = False
        if f.tail or f.empty:
            yield f.empty if first else f.tail

    return pieces()


def _merged(order: Any, kernel: Any, lines: Iterator[tuple[str, str]], result_line: Any) -> Iterator[str]:
    for key, ok in order:
        if ok:
            k, line = next(lines)
            assert k == key
            yield line
        else:
            got = kernel[key]
            if isinstance(got, EvaluationError):
                raise got
            yield result_line(got)
