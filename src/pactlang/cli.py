"""The ``pact`` command line: a thin layer over :mod:`pactlang.api`.

Exit codes (CLI.md): 0 success; 1 the command ran and found problems; 2 bad
usage or unreadable input.  Imports are lazy so ``pact --help`` and ``pact
check`` start fast.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _color(stream: Any = None) -> bool:
    stream = stream or sys.stdout
    if os.environ.get("NO_COLOR"):
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


def fail(message: str, code: int = EXIT_USAGE, help: str | None = None) -> NoReturn:
    click.echo(f"error: {_shown(message)}", err=True)
    if help:
        click.echo(f"  = help: {_shown(help)}", err=True)
    sys.exit(code)


def _shown(text: str) -> str:
    """A message for a terminal: control, bidirectional and invisible characters
    (from file names, data, keys) escaped, never printed raw."""
    from pactlang.base.text import escape_controls

    return escape_controls(text)


def _guard(fn: F) -> F:
    """Turn user-caused exceptions into messages and exit codes, never tracebacks."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from pactlang.api import PactError, UsageError

        try:
            return fn(*args, **kwargs)
        except PactError as exc:
            from pactlang.diagnostics import render_text

            sources = {exc.path: exc.source} if exc.source is not None else {}
            click.echo(render_text(exc.diagnostics, sources, _color(sys.stderr)), err=True)
            errors = sum(1 for d in exc.diagnostics if d.is_error)
            click.echo(f"{_shown(exc.path)}: {errors} error(s); nothing evaluated", err=True)
            sys.exit(EXIT_USAGE)
        except UsageError as exc:
            fail(str(exc))
        except RecursionError:
            fail("input nested too deeply")
        except _data_errors() as exc:
            fail(str(exc))

    return wrapper  # type: ignore[return-value]


def _data_errors() -> tuple[type[BaseException], ...]:
    from pactlang.engine.evaluate import EvaluationError
    from pactlang.io.data import DataError
    from pactlang.io.files import FileProblem

    return (DataError, EvaluationError, FileProblem)


def pact_files(paths: tuple[str, ...]) -> Iterator[Path]:
    """Expand directories to the ``.pact`` files below them, sorted."""
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            yield from sorted(q for q in p.rglob("*.pact") if q.is_file())
        elif p.exists():
            yield p
        else:
            fail(f"{raw}: no such file or directory")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="pactlang", prog_name="pact")
def main() -> None:
    """pact — contract logic as code: check, evaluate, explain and render .pact contracts."""


# ------------------------------------------------------------------ check


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif"]), default="text")
def check(paths: tuple[str, ...], fmt: str) -> None:
    """Parse, resolve names, type-check and lint .pact files."""
    from pactlang import __version__
    from pactlang.api import UsageError, check_file
    from pactlang.diagnostics import render_json, render_sarif, render_text

    files = list(pact_files(paths))
    if not files:
        fail("no .pact files found")
    diags = []
    sources: dict[str, str] = {}
    unreadable = False
    for f in files:
        try:
            res = check_file(f)
        except UsageError as exc:
            click.echo(f"error: {_shown(str(exc))}", err=True)
            unreadable = True
            continue
        sources[res.path] = res.source
        diags.extend(res.diagnostics)
    errors = sum(1 for d in diags if d.is_error)
    warnings = len(diags) - errors
    checked = len(sources)
    if fmt == "json":
        click.echo(render_json(diags))
    elif fmt == "sarif":
        click.echo(render_sarif(diags, __version__))
    else:
        if diags:
            click.echo(render_text(diags, sources, _color()))
        if checked:  # no "0 error(s)" line about files that could not be read
            summary = f"checked {checked} file(s): {errors} error(s), {warnings} warning(s)"
            if checked < len(files):
                summary += f"; {len(files) - checked} file(s) could not be read"
            click.echo(summary, err=True)
    if unreadable:
        sys.exit(EXIT_USAGE)
    sys.exit(EXIT_PROBLEMS if errors else EXIT_OK)


# -------------------------------------------------------------------- fmt


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--check", "check_only", is_flag=True, help="Exit 1 when a file would change; write nothing.")
@click.option("--diff", is_flag=True, help="Print a unified diff of the changes; write nothing.")
def fmt(paths: tuple[str, ...], check_only: bool, diff: bool) -> None:
    """Rewrite files in the canonical layout (comments kept)."""
    import difflib

    from pactlang.api import UsageError, read_source
    from pactlang.diagnostics import render_text
    from pactlang.io.files import FileProblem, write_text
    from pactlang.syntax.format import FormatError, format_source

    changed = 0
    broken = False
    unwritable = False
    for f in pact_files(paths):
        try:
            src = read_source(f)
        except UsageError as exc:
            fail(str(exc))
        try:
            out = format_source(src.text, src.path)
        except FormatError as exc:
            click.echo(render_text(exc.diagnostics, {src.path: src.text}, _color(sys.stderr)), err=True)
            click.echo(f"{_shown(src.path)}: does not parse; left untouched", err=True)
            broken = True
            continue
        if out == src.text:
            continue
        changed += 1
        if diff:
            click.echo(
                "".join(
                    difflib.unified_diff(
                        _diff_lines(src.text),
                        _diff_lines(out),
                        fromfile=f"a/{src.path}",
                        tofile=f"b/{src.path}",
                    )
                ),
                nl=False,
            )
        elif check_only:
            click.echo(f"would reformat {_shown(src.path)}")
        else:
            try:
                write_text(src.path, out)
            except FileProblem as exc:
                click.echo(f"error: {_shown(str(exc))}", err=True)
                unwritable = True
                continue
            click.echo(f"reformatted {_shown(src.path)}", err=True)
    if unwritable:
        sys.exit(EXIT_USAGE)
    if broken:
        sys.exit(EXIT_PROBLEMS)
    if (check_only or diff) and changed:
        sys.exit(EXIT_PROBLEMS)


# ------------------------------------------------------------------- eval


@main.command(name="eval")
@click.argument("contract")
@click.option("--data", "data_path", required=True, help="CSV or JSON monthly data.")
@click.option("--from", "from_", metavar="YYYY-MM", help="First month to show.")
@click.option("--to", metavar="YYYY-MM", help="Last month to show.")
@click.option("--by", metavar="KEY", help="Evaluate one contract per value of this key column.")
@click.option("--explain", is_flag=True, help="Show how every value was computed.")
@click.option("--strict", is_flag=True, help="A missing measure value is an error.")
@click.option("--fail-on", type=click.Choice(["breach", "watch", "no-data"]), help="Exit 1 if this status occurs.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "jsonl", "csv", "parquet", "xlsx"]), default="text")
@click.option("--journal", "journal_path", metavar="FILE", help="What happened (TOML): shown next to what is computed.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="Write to this file (required for xlsx and parquet; default: standard output).")
@click.option("--engine", type=click.Choice(["interpreter", "duckdb", "spark"]), default="interpreter", help="Where the evaluation runs (docs/engines.md).")
@click.option("--spark-master", metavar="URL", default=None, help="Spark master for --engine spark (default: SPARK_REMOTE, else local[2]).")
@_guard
def eval_(
    contract: str,
    data_path: str,
    from_: str | None,
    to: str | None,
    by: str | None,
    explain: bool,
    strict: bool,
    fail_on: str | None,
    fmt: str,
    journal_path: str | None,
    output: str | None,
    engine: str,
    spark_master: str | None,
) -> None:
    """Evaluate a contract month by month over measurement data."""
    import io

    from pactlang.api import load, write_output
    from pactlang.base.values import Period
    from pactlang.engine.evaluate import Evaluation, EvaluationError
    from pactlang.io.files import refuse_inputs
    from pactlang.report import text as text_out
    from pactlang.report.results import in_window

    window = (_period(from_, "--from"), _period(to, "--to"))
    if window[0] and window[1] and window[0] > window[1]:
        fail("--from is after --to")
    if fmt in ("xlsx", "parquet") and (output is None or output == "-"):
        fail(f"--format {fmt} is a binary format: give an output file with -o FILE")
    if engine != "interpreter" and (explain or journal_path):
        fail("--explain and --journal need --engine interpreter")
    inputs = [contract, data_path, *([journal_path] if journal_path else [])]
    if output is not None and output != "-":
        refuse_inputs(output, inputs)  # before any work
    c = load(contract)
    journal = c.read_journal(journal_path) if journal_path else None
    hits: list[tuple[str | None, str, Period]] = []

    def record(ev: Evaluation) -> None:
        if fail_on:
            hits.extend(
                (ev.key, name, ev.months[i])
                for name, run in ev.thresholds.items()
                for i, s in enumerate(run.status)
                if s == fail_on and run.is_check[i] and in_window(ev.months[i], window)
            )

    def hit_exit() -> None:
        if fail_on and hits:
            key, name, period = hits[0]
            where = f" ({key})" if key else ""
            click.echo(_shown(f"fail-on {fail_on}: {len(hits)} check(s), first {name} at {period}{where}"), err=True)
            sys.exit(EXIT_PROBLEMS)

    if fmt == "xlsx":
        assert output is not None
        book = c.workbook(data_path, by=by, journal=journal, window=window, strict=strict, on_run=record)
        for note in book.warnings:
            click.echo(f"warning: {_shown(str(note))}", err=True)
        write_output(output, book.data, inputs=inputs)
        click.echo(f"wrote {_shown(output)} ({book.count} evaluation(s))", err=True)
        hit_exit()
        return
    if fmt in ("jsonl", "csv", "parquet") or (fmt == "json" and not explain and journal is None) or engine != "interpreter":
        # streamed outputs, on every engine (pactlang.portfolio, docs/engines.md)
        from pactlang.api import evaluate_to

        if fmt == "text":
            _text_from(c, data_path, by, strict, engine, window, record)
            hit_exit()
            return
        with _progress(0, "evaluating") as advance:
            outcome = evaluate_to(
                c, data_path, by=by, fmt=fmt, output=output, engine=engine, spark_master=spark_master,
                strict=strict, window=window, fail_on=fail_on, progress=advance,
                warn=lambda m: click.echo(m, err=True),
            )
        hits.extend(outcome.hits)
        if output not in (None, "-"):
            click.echo(f"wrote {output}", err=True)
        hit_exit()
        return
    loaded = c.read_data(data_path, by=by)
    for w in loaded.warnings:
        click.echo(f"warning: {_shown(str(w))}", err=True)

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
        with _progress(len(loaded.datasets) if by else 0, "evaluating") as advance:
            for key, rows in loaded.datasets.items():
                ev = c.program.run(rows, key=None if key is None else str(key), strict=strict)
                ev.warnings[:0] = [str(w) for w in loaded.warnings_for(key)]
                record(ev)
                yield ev
                advance()

    sink = io.StringIO() if output is not None else None
    if fmt == "json":
        # a portfolio is streamed: never held in memory as a whole
        out = "".join(c.results_json(evaluations(), window=window, explain=explain, journal=journal, portfolio=bool(by)))
        click.echo(out, file=sink)
    else:
        for ev in evaluations():
            text_out.print_evaluation(ev, window, explain, color=_color() and sink is None, file=sink)
            if journal is not None:
                click.echo("\n".join(c.journal_lines(ev, journal)), file=sink)
    if sink is not None and output is not None:
        write_output(output, sink.getvalue(), inputs=inputs)
    hit_exit()


def _diff_lines(text: str) -> list[str]:
    """Lines for ``fmt --diff``: split where the parser splits them, each ending with
    a newline; a CR of the line end, and any control character, shown escaped."""
    import re

    from pactlang.base.text import escape_controls

    pieces = re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", text)
    return [escape_controls(p.removesuffix("\n"), newlines=False) + "\n" for p in pieces]


def _files_below(folder: str | None) -> list[str]:
    """Every file below a folder (the inputs an output must not overwrite)."""
    if folder is None:
        return []
    return sorted(str(p) for p in Path(folder).rglob("*") if p.is_file())
def _text_from(c: Any, data_path: str, by: str | None, strict: bool, engine: str, window: Any, record: Any) -> None:
    """``--format text`` from an SQL engine's runs (SQL's columns, the kernel's rest)."""
    from pactlang.api import Outcome, runs_of
    from pactlang.report import text as text_out

    outcome = Outcome()
    runs = runs_of(c, data_path, by, strict, outcome, engine=engine)
    first = next(runs, None)
    for w in outcome.warnings:
        click.echo(f"warning: {w}", err=True)
    for n in outcome.notes:
        click.echo(n, err=True)
    ev = first
    while ev is not None:
        record(ev)
        text_out.print_evaluation(ev, window, False, color=_color())
        ev = next(runs, None)


def _period(text: str | None, option: str) -> Any:
    if text is None:
        return None
    from pactlang.base.values import Period

    try:
        return Period.parse(text)
    except ValueError as exc:
        fail(f"{option}: {exc}")


class _progress:
    """A rich progress bar on terminals; nothing otherwise."""

    def __init__(self, total: int, label: str) -> None:
        self.total = total
        self.label = label
        self._bar: Any = None

    def __enter__(self) -> Callable[[], None]:
        if _color(sys.stderr) and self.total > 1:
            from rich.console import Console
            from rich.progress import Progress

            # on stderr: stdout carries the result and may be redirected
            self._bar = Progress(transient=True, console=Console(stderr=True))
            self._bar.start()
            task = self._bar.add_task(self.label, total=self.total)
            return lambda: self._bar.advance(task)
        return lambda: None

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()


# ------------------------------------------------------------------- test


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("-k", "keyword", help="Only tests whose name contains this text.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "junit"]), default="text")
def test(paths: tuple[str, ...], keyword: str | None, fmt: str) -> None:
    """Run the `test` blocks of .pact files."""
    from pactlang.testing import run_paths

    code = run_paths([str(p) for p in pact_files(paths)], keyword, fmt, color=_color())
    sys.exit(code)


# ----------------------------------------------------------------- schema


@main.command()
@click.argument("contract", required=False)
@click.option("--journal", "journal", is_flag=True, help="The JSON Schema of a journal file instead (no contract needed).")
@_guard
def schema(contract: str | None, journal: bool) -> None:
    """JSON Schema of the contract's monthly data (or, with --journal, of a journal)."""
    import json

    from pactlang.api import journal_schema, load

    if journal:
        click.echo(json.dumps(journal_schema(), indent=2, sort_keys=True, ensure_ascii=False))
        return
    if contract is None:
        fail("give a CONTRACT (or --journal for the journal's schema)")
    doc = load(contract).data_schema()
    click.echo(json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False))


# ------------------------------------------------------------------- vote


@main.command()
@click.argument("contract")
@click.argument("target", metavar="COMMITTEE.DECISION")
@click.option("--ballot", required=True, help="Votes: acme=yes,orbis=no (yes|no|abstain|absent).")
@click.option("--round", "round_", type=int, default=None, help="Consensus round number (default 1).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@_guard
def vote(contract: str, target: str, ballot: str, round_: int | None, fmt: str) -> None:
    """One vote's outcome, with the arithmetic shown."""
    import json

    from pactlang.api import load
    from pactlang.kernel import committees as C

    c = load(contract)
    committee_name, _, decision = target.partition(".")
    if not decision:
        fail(f"{target}: expected COMMITTEE.DECISION", help=c.decision_hint(target))
    if committee_name not in c.checked.committees:
        fail(f"no committee `{committee_name}` (committees: {', '.join(c.checked.committees) or 'none'})")
    votes: dict[str, str] = {}
    for item in filter(None, (x.strip() for x in ballot.split(","))):
        party, sep, word = item.partition("=")
        if not sep:
            fail(f"--ballot: `{item}` is not PARTY=VOTE")
        if party.strip() in votes:
            fail(f"--ballot: `{party.strip()}` votes twice")
        votes[party.strip()] = word.strip()
    committee = c.program.committee(committee_name)
    try:
        result = C.cast(committee, decision, votes, round_)
    except C.CommitteeError as exc:
        fail(str(exc))
    if fmt == "json":
        click.echo(json.dumps(result.to_json(), indent=2, sort_keys=True, ensure_ascii=False))
    else:
        click.echo(result.explain())


# ---------------------------------------------------------------- analyze


@main.command()
@click.argument("contract")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option("--fail-on", type=click.Choice(["warning"]), help="Exit 1 when there is any finding.")
@_guard
def analyze(contract: str, fmt: str, fail_on: str | None) -> None:
    """Voting power, effective vetoes, threshold and waterfall findings, unused declarations."""
    import json

    from pactlang.analysis import render_analysis_text
    from pactlang.api import analyze_file

    c_report = analyze_file(contract)
    if fmt == "json":
        click.echo(json.dumps(c_report.to_json(), indent=2, sort_keys=True, ensure_ascii=False))
    else:
        click.echo(render_analysis_text(c_report))
    if fail_on and c_report.findings:
        sys.exit(EXIT_PROBLEMS)


# --------------------------------------------------------------- escalate


@main.command()
@click.argument("contract")
@click.argument("ladder")
@click.option("--opened", required=True, metavar="DATE", help="Date the dispute was opened (YYYY-MM-DD).")
@click.option("--as-of", "as_of", metavar="DATE", help="Show the state on this date.")
@click.option("--event", "events", multiple=True, metavar="STEP:failed|resolved:DATE")
@click.option("--journal", "journal_path", metavar="FILE", help="Add the events the journal records for this dispute (same ladder, same opening day).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@_guard
def escalate(
    contract: str, ladder: str, opened: str, as_of: str | None, events: tuple[str, ...], journal_path: str | None, fmt: str
) -> None:
    """The dispute timeline and the active step."""
    import json

    from pactlang.api import load

    c = load(contract)
    if ladder not in c.checked.escalations:
        fail(f"no escalation ladder `{ladder}` (ladders: {', '.join(c.checked.escalations) or 'none'})")
    opened_d = _date(opened, "--opened")
    as_of_d = _date(as_of, "--as-of") if as_of else None
    given = []
    for raw in events:
        parts = raw.split(":")
        if len(parts) != 3 or parts[1] not in ("failed", "resolved"):
            fail(f"--event {raw}: expected STEP:failed|resolved:YYYY-MM-DD")
        given.append((parts[0], parts[1], _date(parts[2], "--event")))
    tl = c.escalate(ladder, opened_d, given, as_of=as_of_d, journal=journal_path)
    evs = list(tl.events)
    if fmt == "json":
        click.echo(json.dumps(tl.to_json(), indent=2, sort_keys=True, ensure_ascii=False))
        return
    from rich.table import Table

    from pactlang.report.text import console

    con = console(_color())
    t = Table(title=f"Escalation {ladder}, opened {opened_d}", title_justify="left")
    for col in ("#", "step", "start", "deadline", "outcome"):
        t.add_column(col)
    for s in tl.steps:
        t.add_row(str(s.index + 1), s.name, str(s.start or "—"), str(s.deadline or ("final" if s.start else "—")), s.outcome)
    con.print(t)
    day = as_of_d or max([opened_d, *[e.date for e in evs]])
    click.echo(f"state on {day}: {tl.state_on(day)}")
    click.echo(tl.explain())


def _date(text: str, option: str) -> Any:
    import datetime

    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        fail(f"{option}: `{text}` is not a date (YYYY-MM-DD)")


# ------------------------------------------------------------- distribute


@main.command()
@click.argument("contract")
@click.argument("waterfall")
@click.option("--amount", required=True, help="Amount to distribute, in the contract currency.")
@click.option("--state", "state_path", type=click.Path(dir_okay=False), help="Cumulative position: read, then updated atomically, under a lock.")
@click.option("--journal", "journal_path", metavar="FILE", help="Start from the distributions the journal records (instead of --state).")
@click.option("--lock-timeout", type=click.FloatRange(min=0), default=10.0, show_default=True, metavar="SECONDS", help="How long to wait for another run holding the --state file.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@_guard
def distribute(contract: str, waterfall: str, amount: str, state_path: str | None, journal_path: str | None, lock_timeout: float, fmt: str) -> None:
    """One distribution through a waterfall, tier by tier."""
    import contextlib
    import json

    from pactlang.api import load
    from pactlang.engine.distribute import DistributeError, distribute_state
    from pactlang.io.state import StateFile, open_state

    c = load(contract)
    if waterfall not in c.checked.waterfalls:
        fail(f"no waterfall `{waterfall}` (waterfalls: {', '.join(c.checked.waterfalls) or 'none'})")
    from pactlang.io.cells import AMOUNT_FORMS, AmountError, parse_amount

    try:
        value = parse_amount(amount, c.checked.currency)
    except AmountError as exc:
        fail(f"--amount: {exc}", help=f"write the amount as {AMOUNT_FORMS}")
    if journal_path:
        if state_path:
            fail("--state and --journal: the position comes from one of them, not both")
        dist, _ = c.distribute(waterfall, value, journal=journal_path)
    else:
        with contextlib.ExitStack() as stack:
            sf: StateFile | None = None
            if state_path:
                sf = stack.enter_context(open_state(state_path, inputs=[contract], timeout=lock_timeout))
            try:
                dist, new_state = distribute_state(c.program, waterfall, value, sf.state if sf else None)
            except DistributeError as exc:
                fail(str(exc))
            if sf is not None:
                sf.save(new_state)
    if fmt == "json":
        click.echo(json.dumps(dist.to_dict(), indent=2, sort_keys=True, ensure_ascii=False))
    else:
        from pactlang.kernel.waterfalls import ONCE_FIRST_PERIOD

        # outside a timeline a distribution has a sequence number, not a month
        number = dist.period.index - ONCE_FIRST_PERIOD.index + 1
        lines = list(dist.explanation)
        lines[0] = lines[0].replace(f", {dist.period}:", f", distribution #{number}:", 1)
        click.echo("\n".join(lines))


# ----------------------------------------------------------------- render


@main.command(name="render")
@click.argument("contract")
@click.option("--lang", type=click.Choice(["fr", "en"]), default=None, help="Language of the annex (default: the contract's `language`).")
@click.option("--format", "fmt", type=click.Choice(["md", "html", "docx", "pdf"]), default=None, help="Output format (default: from the -o extension, else md).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="Write the annex to this file (required for docx and pdf).")
@click.option("--template-dir", type=click.Path(exists=True, file_okay=False), default=None, help="Templates here replace the packaged ones of the same name.")
@click.option("--notes", is_flag=True, default=False, help="Add the negotiator's notes (voting power, implied vetoes, rules that never apply); the annex for signature has none.")
@_guard
def render_cmd(contract: str, lang: str | None, fmt: str | None, output: str | None, template_dir: str | None, notes: bool) -> None:
    """The human-readable contract annex: Markdown, HTML, DOCX or PDF."""
    import jinja2

    from pactlang.api import load
    from pactlang.io.files import refuse_inputs, write_bytes
    from pactlang.render import PdfUnavailable, RenderError, render_full

    if fmt is None:
        suffix = Path(output).suffix.lower().lstrip(".") if output else ""
        fmt = {"md": "md", "markdown": "md", "html": "html", "htm": "html", "docx": "docx", "pdf": "pdf"}.get(suffix, "md")
    if fmt in ("docx", "pdf") and not output:
        fail(f"--format {fmt} is a binary format: give an output file with -o FILE")
    inputs = [contract, *_files_below(template_dir)]
    if output:
        refuse_inputs(output, inputs)  # before any work
    c = load(contract)
    try:
        result = render_full(c, lang, fmt, template_dir=template_dir, notes=notes)
    except PdfUnavailable as exc:
        fail(str(exc))
    except RenderError as exc:
        fail(f"{contract}: {exc}")
    except jinja2.TemplateError as exc:
        where = f" ({exc.filename}:{exc.lineno})" if isinstance(exc, jinja2.TemplateSyntaxError) else ""
        fail(f"template error{where}: {exc}")
    for w in result.warnings:
        click.echo(f"warning: {_shown(str(w))}", err=True)
    if output:
        write_bytes(output, result.data, inputs=inputs)
    else:
        sys.stdout.flush()
        stream = getattr(sys.stdout, "buffer", None)
        if stream is None:  # a text-only stdout: md and html are UTF-8 text
            click.echo(result.data.decode("utf-8"), nl=False)
        else:
            stream.write(result.data)
            stream.flush()


# ----------------------------------------------------------------- report


@main.command(name="report")
@click.argument("contract")
@click.option("--data", "data_path", required=True, help="CSV or JSON monthly data.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="The HTML (or XLSX) file to write.")
@click.option("--lang", type=click.Choice(["fr", "en"]), default=None, help="Language of the report (default: the contract's `language`).")
@click.option("--by", metavar="KEY", help="A portfolio: one section per value of this key column, and a summary.")
@click.option("--strict", is_flag=True, help="A missing measure value is an error.")
@click.option("--journal", "journal_path", metavar="FILE", help="What happened (TOML): votes, payments, dispute events, shown next to what is computed.")
@click.option("--format", "fmt", type=click.Choice(["html", "xlsx"]), default=None, help="html (default; xlsx when -o ends in .xlsx) or the workbook for finance.")
@_guard
def report_cmd(
    contract: str,
    data_path: str,
    output: str,
    lang: str | None,
    by: str | None,
    strict: bool,
    journal_path: str | None,
    fmt: str | None,
) -> None:
    """A self-contained HTML evaluation report a steering committee can read."""
    from pactlang.api import load, write_output
    from pactlang.io.files import refuse_inputs, write_text
    from pactlang.report.html import render_report

    if fmt is None:
        fmt = "xlsx" if output.lower().endswith(".xlsx") else "html"
    inputs = [contract, data_path, *([journal_path] if journal_path else [])]
    refuse_inputs(output, inputs)  # before any work
    c = load(contract)
    journal = c.read_journal(journal_path) if journal_path else None
    if fmt == "xlsx":
        book = c.workbook(data_path, by=by, journal=journal, strict=strict, lang=lang)
        for note in book.warnings:
            click.echo(f"warning: {_shown(str(note))}", err=True)
        write_output(output, book.data, inputs=inputs)
        click.echo(f"wrote {_shown(output)} ({book.count} evaluation(s))", err=True)
        return
    loaded = c.read_data(data_path, by=by)
    datasets = list(loaded.datasets.items()) if by else [(None, loaded.datasets.get(None, {}))]
    warnings = [str(w) for w in loaded.warnings]
    evaluations = []
    bar: Any = None
    if _color(sys.stderr) and len(datasets) > 1:  # a progress bar on stderr, terminals only
        from rich.console import Console
        from rich.progress import Progress

        bar = Progress(console=Console(stderr=True), transient=True)
        bar.start()
    try:
        task = bar.add_task("report", total=2 * len(datasets)) if bar else None
        advance = (lambda: bar.advance(task)) if bar else (lambda: None)
        for key, rows in datasets:
            evaluations.append(c.program.run(rows, key=None if key is None else str(key), strict=strict))
            advance()
        result = render_report(
            c,
            evaluations,
            data_name=Path(data_path).name,
            by=by,
            lang=lang,
            data_warnings=warnings,
            advance=advance,
            journal=journal,
        )
    finally:
        if bar is not None:
            bar.stop()
    for w in (*warnings, *result.warnings):
        click.echo(f"warning: {_shown(str(w))}", err=True)
    write_text(output, result.html, inputs=inputs)
    click.echo(f"wrote {_shown(output)} ({result.lang}, {len(evaluations)} evaluation(s))", err=True)


# --------------------------------------------------------------- calendar


@main.command(name="calendar")
@click.argument("contract")
@click.option("--data", "data_path", metavar="FILE", help="Monthly data: the disputes its thresholds open.")
@click.option("--by", metavar="KEY", help="A portfolio: the disputes of each value of this key column.")
@click.option("--journal", "journal_path", metavar="FILE", help="What happened (TOML): dispute events, amendments.")
@click.option("--from", "from_", metavar="DATE", help="First day (default: the contract's effective date).")
@click.option("--to", metavar="DATE", help="Last day (default: the end of the term).")
@click.option("--format", "fmt", type=click.Choice(["ics", "csv", "json"]), default="ics")
@click.option("--lang", type=click.Choice(["fr", "en"]), default=None, help="Language of the event titles (default: the contract's `language`).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="Write to this file (default: standard output).")
@_guard
def calendar_cmd(
    contract: str,
    data_path: str | None,
    by: str | None,
    journal_path: str | None,
    from_: str | None,
    to: str | None,
    fmt: str,
    lang: str | None,
    output: str | None,
) -> None:
    """Every dated obligation: meetings, reports, dispute deadlines, term end."""
    from pactlang.api import load, write_output

    inputs = [contract, *(p for p in (data_path, journal_path) if p)]
    if output and output != "-":
        from pactlang.io.files import refuse_inputs

        refuse_inputs(output, inputs)  # before any work
    c = load(contract)
    out = c.calendar(
        fmt,
        data=data_path,
        by=by,
        journal=journal_path,
        start=_date(from_, "--from") if from_ else None,
        end=_date(to, "--to") if to else None,
        lang=lang,
    )
    for w in out.warnings:
        click.echo(f"warning: {_shown(str(w))}", err=True)
    write_output(output or "-", out.data, inputs=inputs)
    if output and output != "-":
        click.echo(f"wrote {_shown(output)} ({len(out.obligations)} event(s))", err=True)


# ---------------------------------------------------------------- compile


@main.command(name="compile")
@click.argument("contract")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="Write the module to this file (default: standard output).")
@click.option("--target", type=click.Choice(["python", "sql"]), default="python", help="A Python module (default) or an SQL script.")
@click.option("--dialect", type=click.Choice(["duckdb", "spark", "postgres"]), default="duckdb", help="The SQL dialect of --target sql.")
@_guard
def compile_cmd(contract: str, output: str | None, target: str, dialect: str) -> None:
    """A standalone Python module, or an SQL script, that evaluates the contract like `pact eval`."""
    from pactlang.api import compile_sql, load
    from pactlang.codegen import CodegenError, compile_module_source
    from pactlang.io.files import refuse_inputs, write_text

    if output is not None:
        refuse_inputs(output, [contract])  # before any work
    c = load(contract)
    if target == "sql":
        source, left = compile_sql(c, dialect)
        for item in left:
            click.echo(f"{contract}: not in the SQL script: {item}", err=True)
    else:
        try:
            source = compile_module_source(c)
        except CodegenError as exc:
            fail(f"{contract}: cannot compile: {exc}", EXIT_PROBLEMS)
    if output is None:
        click.echo(source, nl=False)
        return
    write_text(output, source, inputs=[contract])
    click.echo(f"wrote {_shown(output)}", err=True)


# ------------------------------------------------------------------- diff


@main.command(name="diff")
@click.argument("old")
@click.argument("new")
@click.option("--data", "data_path", default=None, help="CSV or JSON monthly data: also show how each month changes.")
@click.option("--lang", type=click.Choice(["fr", "en"]), default=None, help="Language of the redlined annex (default: the new version's `language`).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html", "docx"]), default="text", help="text and json: the changes; html and docx: the redlined annex.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="Write to this file (required for docx).")
@click.option("--strict", is_flag=True, help="A missing measure value is an error.")
@_guard
def diff_cmd(old: str, new: str, data_path: str | None, lang: str | None, fmt: str, output: str | None, strict: bool) -> None:
    """What changed between two versions of a contract; exit 1 when they differ."""
    from pactlang.api import diff, redline, write_output

    if fmt == "docx" and not output:
        fail("--format docx is a binary format: give an output file with -o FILE")
    inputs = [old, new, *([data_path] if data_path else [])]
    if output and output != "-":
        from pactlang.io.files import refuse_inputs

        refuse_inputs(output, inputs)  # before any work
    result = diff(old, new, data_path, strict=strict)
    for w in result.warnings:
        click.echo(f"warning: {_shown(str(w))}", err=True)
    if fmt in ("html", "docx"):
        doc = redline(old, new, result, lang=lang, fmt=fmt)
        for w in doc.warnings:
            click.echo(f"warning: {_shown(str(w))}", err=True)
        data = doc.data
    elif fmt == "json":
        data = (result.json() + "\n").encode("utf-8")
    else:
        data = (result.text() + "\n").encode("utf-8")
    if output:
        write_output(output, data, inputs=inputs)
        click.echo(f"wrote {_shown(output)}", err=True)
    elif fmt == "text":
        click.echo(result.text())
    else:
        sys.stdout.flush()
        stream = getattr(sys.stdout, "buffer", None)
        if stream is None:
            click.echo(data.decode("utf-8"), nl=False)
        else:
            stream.write(data)
            stream.flush()
    sys.exit(EXIT_PROBLEMS if result.differ else EXIT_OK)


# -------------------------------------------------------------------- lsp


@main.command(name="lsp")
def lsp_cmd() -> None:
    """The language server for editors, on standard input and output."""
    try:
        from pactlang.lsp.server import serve
    except ImportError as exc:
        if exc.name in ("pygls", "lsprotocol") or (exc.name or "").startswith(("pygls.", "lsprotocol.")):
            fail("`pact lsp` needs pygls: pip install 'pactlang[lsp]'")
        raise
    serve()


if __name__ == "__main__":  # pragma: no cover
    main()
