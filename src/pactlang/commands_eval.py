"""``pact eval`` and ``pact report`` as functions of the API (see :mod:`pactlang.commands`).

Explanations for reading (docs/cli.md, "Rounded for reading"): in the text
output of ``pact eval --explain`` a decimal with more than four digits after
the point (a percentage: more than two) is shown rounded half-even to four
(two) digits and followed by ``…``: ``0.2857142857142857142857142857`` reads
``0.2857…``, ``28.57142857142857142857142857%`` reads ``28.57…%``.  ``--exact``
shows every digit; JSON is always exact.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from decimal import ROUND_HALF_EVEN, Decimal
from typing import TYPE_CHECKING, Any

from pactlang.commands import (
    EXIT_OK,
    EXIT_PROBLEMS,
    STDIN,
    Streams,
    fail,
    is_stdout,
    one_stdin,
    parse_period,
    refuse,
    shown,
    spooled,
    with_amended,
    write_to,
)

if TYPE_CHECKING:
    from pactlang.base.values import Period
    from pactlang.engine.evaluate import Evaluation

#: digits kept after the point when a value is rounded for reading
READING_PLACES = 4
READING_PERCENT_PLACES = 2
_NUMBER = re.compile(r"(?<![\w.])(-?\d{1,3}(?:,\d{3})+|-?\d+)\.(\d+)(%?)(?![\w.])")


def rounded_for_reading(line: str) -> str:
    """The line with every long decimal rounded for reading (see the module docs)."""

    def one(m: re.Match[str]) -> str:
        whole, frac, pct = m.group(1), m.group(2), m.group(3)
        places = READING_PERCENT_PLACES if pct else READING_PLACES
        if len(frac) <= places:
            return m.group(0)
        value = Decimal(f"{whole.replace(',', '')}.{frac}")
        q = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)
        text = format(q, "f")
        if "," in whole:
            head, _, tail = text.partition(".")
            sign = "-" if head.startswith("-") else ""
            text = sign + f"{int(head.lstrip('-')):,}" + "." + tail
        return f"{text}…{pct}"

    return _NUMBER.sub(one, line)


def eval_command(
    contract: str,
    data_path: str,
    *,
    from_: str | None,
    to: str | None,
    by: str | None,
    explain: bool,
    exact: bool,
    strict: bool,
    fail_on: str | None,
    fmt: str,
    journal_path: str | None,
    output: str | None,
    engine: str,
    spark_master: str | None,
    streams: Streams,
) -> int:
    """``pact eval``: month-by-month values, statuses, payments, distributions."""
    one_stdin(CONTRACT=contract, __data=data_path, __journal=journal_path)
    window = (parse_period(from_, "--from"), parse_period(to, "--to"))
    if window[0] and window[1] and window[0] > window[1]:
        fail("--from is after --to")
    if fmt in ("xlsx", "parquet") and output is None:
        fail(f"--format {fmt} is a binary format: give an output file with -o FILE")
    if engine != "interpreter" and (explain or journal_path):
        fail("--explain and --journal need --engine interpreter")
    refuse(output, [*with_amended(contract), data_path, journal_path])  # before any work
    with spooled(data_path, streams) as data, spooled(journal_path, streams) as journal_file:
        assert data is not None
        inputs = [*with_amended(contract), data_path, journal_path]
        return _eval(
            contract, data, inputs, window, by, explain, exact, strict, fail_on, fmt, journal_file, output,
            engine, spark_master, streams,
        )


def _eval(
    contract: str,
    data_path: str,
    inputs: Sequence[str | None],
    window: tuple[Period | None, Period | None],
    by: str | None,
    explain: bool,
    exact: bool,
    strict: bool,
    fail_on: str | None,
    fmt: str,
    journal_path: str | None,
    output: str | None,
    engine: str,
    spark_master: str | None,
    streams: Streams,
) -> int:
    import io
    import sys

    from pactlang.contract import load
    from pactlang.engine.evaluate import EvaluationError
    from pactlang.portfolio import evaluate_to
    from pactlang.report.results import status_hits

    c = load(contract)
    journal = c.read_journal(journal_path) if journal_path else None
    hits: list[tuple[str | None, str, Period]] = []
    files = [p for p in inputs if p and p != STDIN]

    def record(ev: Evaluation) -> None:
        if fail_on:
            hits.extend(status_hits(ev, fail_on, window))

    def hit_exit() -> int:
        if fail_on and hits:
            key, name, period = hits[0]
            where = f" ({key})" if key else ""
            streams.err(shown(f"fail-on {fail_on}: {len(hits)} check(s), first {name} at {period}{where}"))
            return EXIT_PROBLEMS
        return EXIT_OK

    if fmt == "xlsx":
        assert output is not None
        book = c.workbook(data_path, by=by, journal=journal, window=window, strict=strict, on_run=record)
        for note in book.warnings:
            streams.warn(note)
        write_to(output, book.data, files, streams)
        if not is_stdout(output):
            streams.err(f"wrote {shown(output)} ({book.count} evaluation(s))")
        return hit_exit()
    if fmt in ("jsonl", "csv", "parquet") or (fmt == "json" and not explain and journal is None) or engine != "interpreter":
        # streamed outputs, on every engine (pactlang.portfolio, docs/engines.md)
        if fmt == "text":
            _text_from(c, data_path, by, strict, engine, window, record, streams)
            return hit_exit()
        with streams.progress(0, "evaluating") as advance:
            outcome = evaluate_to(
                c, data_path, by=by, fmt=fmt, output=output, engine=engine, spark_master=spark_master,
                strict=strict, window=window, fail_on=fail_on, progress=advance, warn=streams.err,
                inputs=[p for p in files if p != data_path],
            )
        hits.extend(outcome.hits)
        if not is_stdout(output):
            streams.err(f"wrote {shown(str(output))}")
        return hit_exit()
    loaded = c.read_data(data_path, by=by)
    for w in loaded.warnings:
        streams.warn(w)

    if strict and by:
        # every key's missing cells at once, before anything is printed
        problems: list[str] = []
        for key, rows in loaded.datasets.items():
            try:
                c.program.check_strict(rows, str(key))
            except EvaluationError as exc:
                problems.extend(exc.problems)
        if problems:
            raise EvaluationError(problems)

    def evaluations() -> Iterator[Evaluation]:
        with streams.progress(len(loaded.datasets) if by else 0, "evaluating") as advance:
            for key, rows in loaded.datasets.items():
                ev = c.program.run(rows, key=None if key is None else str(key), strict=strict)
                ev.warnings[:0] = [str(w) for w in loaded.warnings_for(key)]
                record(ev)
                yield ev
                advance()

    sink: Any = io.StringIO() if not is_stdout(output) or fmt == "json" else sys.stdout
    if fmt == "json":
        # a portfolio is streamed: never held in memory as a whole
        sink.write("".join(c.results_json(evaluations(), window=window, explain=explain, journal=journal, portfolio=bool(by))))
        sink.write("\n")
    else:
        color = streams.color_out and is_stdout(output)
        for ev in evaluations():
            _print_text(ev, window, explain, exact, color, sink)
            if journal is not None:
                sink.write("\n".join(c.journal_lines(ev, journal)) + "\n")
    if sink is not sys.stdout:
        write_to(output, sink.getvalue().encode("utf-8"), files, streams)
    return hit_exit()


def _print_text(ev: Evaluation, window: Any, explain: bool, exact: bool, color: bool, file: Any) -> None:
    """One evaluation for people: the tables, then the explanations (rounded for reading unless ``exact``)."""
    from pactlang.report import text as text_out

    text_out.print_evaluation(ev, window, False, color=color, file=file)
    if not explain:
        return
    from rich.markup import escape

    from pactlang.base.text import escape_controls
    from pactlang.present.tables import console
    from pactlang.report.results import explanation_lines

    con = console(color, file)
    con.print("[bold]Explanations[/bold]")
    for line in explanation_lines(ev, window):
        con.print(escape(escape_controls(line if exact else rounded_for_reading(line))), soft_wrap=True)


def _text_from(
    c: Any, data_path: str, by: str | None, strict: bool, engine: str, window: Any, record: Any, streams: Streams
) -> None:
    """``--format text`` from an SQL engine's runs (SQL's columns, the kernel's rest)."""
    import sys

    from pactlang.portfolio import Outcome, runs_of
    from pactlang.report import text as text_out

    outcome = Outcome()
    runs = runs_of(c, data_path, by, strict, outcome, engine=engine)
    first = next(runs, None)
    for w in outcome.warnings:
        streams.warn(w)
    for n in outcome.notes:
        streams.err(n)
    ev = first
    while ev is not None:
        record(ev)
        # a run without its program: printed without explanations
        text_out.print_evaluation(ev, window, False, color=streams.color_out, file=sys.stdout)  # type: ignore[arg-type]
        ev = next(runs, None)


def report_command(
    contract: str,
    data_path: str,
    output: str,
    lang: str | None,
    by: str | None,
    strict: bool,
    journal_path: str | None,
    fmt: str | None,
    streams: Streams,
) -> int:
    """``pact report``: the steering committee's HTML report (or the XLSX workbook)."""
    from pathlib import Path

    from pactlang.contract import load
    from pactlang.report.html import render_report

    one_stdin(CONTRACT=contract, __data=data_path, __journal=journal_path)
    if fmt is None:
        fmt = "xlsx" if output.lower().endswith(".xlsx") else "html"
    inputs = [*with_amended(contract), data_path, journal_path]
    refuse(output, inputs)  # before any work
    c = load(contract)
    with spooled(data_path, streams) as data, spooled(journal_path, streams) as journal_file:
        assert data is not None
        journal = c.read_journal(journal_file) if journal_file else None
        if fmt == "xlsx":
            book = c.workbook(data, by=by, journal=journal, strict=strict, lang=lang)
            for note in book.warnings:
                streams.warn(note)
            write_to(output, book.data, inputs, streams)
            if not is_stdout(output):
                streams.err(f"wrote {shown(output)} ({book.count} evaluation(s))")
            return EXIT_OK
        loaded = c.read_data(data, by=by)
        datasets = list(loaded.datasets.items()) if by else [(None, loaded.datasets.get(None, {}))]
        warnings = [str(w) for w in loaded.warnings]
        evaluations = []
        with streams.progress(2 * len(datasets) if len(datasets) > 1 else 0, "report") as advance:
            for key, rows in datasets:
                evaluations.append(c.program.run(rows, key=None if key is None else str(key), strict=strict))
                advance()
            result = render_report(
                c,
                evaluations,
                data_name="<stdin>" if data_path == STDIN else Path(data).name,
                by=by,
                lang=lang,
                data_warnings=warnings,
                advance=advance,
                journal=journal,
            )
    for w in (*warnings, *result.warnings):
        streams.warn(w)
    write_to(output, result.html.encode("utf-8"), inputs, streams)
    if not is_stdout(output):
        streams.err(f"wrote {shown(output)} ({result.lang}, {len(evaluations)} evaluation(s))")
    return EXIT_OK
