"""Loading a contract: the lower half of the façade (:mod:`pactlang.api`).

A ``.pact`` file's text read (``-`` is standard input), parsed, checked and
— when it ``amends`` another version — put next to that version
(:mod:`pactlang.amends`); :class:`Contract`, what a loaded contract offers
(evaluation, votes, disputes, distributions, annexes, reports, the journal,
the calendar, the workbook, compiled modules, the analysis); :func:`load`
and :func:`loads`; the errors the API raises.  The command functions
(:mod:`pactlang.commands`, :mod:`pactlang.commands_eval`), the test runner
(:mod:`pactlang.testing`) and the portfolio drivers load contracts here;
:mod:`pactlang.api` re-exports all of it on top of them.
"""

from __future__ import annotations

import contextlib
import datetime
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from pactlang.base.values import Period
from pactlang.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from pactlang.analysis import ContractAnalysis
    from pactlang.engine.evaluate import ContractProgram, Evaluation
    from pactlang.io.data import LoadedData
    from pactlang.io.journal import Journal
    from pactlang.kernel.committees import VoteResult
    from pactlang.kernel.escalation import Timeline
    from pactlang.kernel.waterfalls import MonthDistribution
    from pactlang.render import Rendered
    from pactlang.report.html import ReportResult
    from pactlang.running import CalendarOutput, JournalLike, WorkbookOutput
    from pactlang.sema.model import CheckedContract
    from pactlang.syntax import ast

__all__ = [
    "CheckResult",
    "Contract",
    "PactError",
    "SourceFile",
    "SourceTooLarge",
    "UsageError",
    "analyze_file",
    "check_file",
    "check_source",
    "compile_sql",
    "load",
    "loads",
    "parse_amount",
    "parse_ballot",
    "read_source",
]


class PactError(Exception):
    """A file that does not check: carries every diagnostic."""

    def __init__(self, path: str, diagnostics: Sequence[Diagnostic], source: str | None = None):
        errors = [d for d in diagnostics if d.severity is Severity.ERROR]
        super().__init__(f"{path}: {len(errors)} error(s)")
        self.path = path
        self.diagnostics = list(diagnostics)
        self.source = source


class UsageError(Exception):
    """Unreadable input: a missing file, bad data, an unknown name given on the command line."""


@dataclass(slots=True)
class SourceFile:
    path: str
    text: str


class SourceTooLarge(UsageError):
    """A source file over the parser's size limit (reported as E007 by ``check``)."""


def read_source(path: str | os.PathLike[str]) -> SourceFile:
    """A ``.pact`` file's text.  The size is checked before anything is read, and
    no more than the limit is ever read (``/dev/zero`` fails at once).  ``-`` is
    standard input, named ``<stdin>`` (read once: later calls get the same text)."""
    from pactlang.io.files import InputTooLarge, read_bytes_limited
    from pactlang.syntax.parser import MAX_SOURCE_BYTES

    if str(path) == "-":
        return _stdin_source(MAX_SOURCE_BYTES)
    try:
        raw = read_bytes_limited(path, MAX_SOURCE_BYTES)
    except InputTooLarge as exc:
        raise SourceTooLarge(str(exc)) from None
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{path}: is a directory") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise UsageError(
            f"{path}: not UTF-8 (byte 0x{raw[exc.start]:02X} at offset {exc.start}, line {line}); "
            "save the file as UTF-8"
        ) from None
    return SourceFile(str(path), text)


_STDIN_TEXT: list[tuple[object, SourceFile]] = []  # standard input is read once


def _stdin_source(limit: int) -> SourceFile:
    import sys

    if _STDIN_TEXT and _STDIN_TEXT[0][0] is sys.stdin:
        return _STDIN_TEXT[0][1]
    stream = getattr(sys.stdin, "buffer", None)
    raw = stream.read(limit + 1) if stream is not None else sys.stdin.read(limit + 1).encode("utf-8")
    if len(raw) > limit:
        raise SourceTooLarge(f"<stdin>: file too large (more than the limit of {limit:,} bytes)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(f"<stdin>: not UTF-8 (byte 0x{raw[exc.start]:02X} at offset {exc.start})") from None
    _STDIN_TEXT[:] = [(sys.stdin, SourceFile("<stdin>", text))]
    return _STDIN_TEXT[0][1]


@dataclass(slots=True)
class CheckResult:
    """The front end's verdict on one file."""

    path: str
    source: str
    module: ast.Module
    contract: CheckedContract | None
    diagnostics: list[Diagnostic]

    @property
    def ok(self) -> bool:
        return not any(d.is_error for d in self.diagnostics)


def check_source(text: str, path: str = "<input>", _seen: frozenset[str] = frozenset()) -> CheckResult:
    """Parse, resolve, type-check and lint one file's text (and find the
    version it amends, if it says ``amends``)."""
    from pactlang.sema import check, check_tests
    from pactlang.syntax.parser import parse_source

    parsed = parse_source(text, path)
    diags = list(parsed.diagnostics)
    base_dir = str(Path(path).parent) if path not in ("<input>", "<stdin>") else None
    contract, sema_diags = check(
        parsed.module, path, parsed.broken_names, base_dir=base_dir, mentioned=parsed.mentioned
    )
    diags.extend(sema_diags)
    if contract is not None:
        contract.source = text
        if contract.amends is not None and not any(d.is_error for d in diags):
            from pactlang.amends import resolve_amended

            diags.extend(resolve_amended(contract, path, _seen, check_source))
    module = parsed.module
    if (
        module.contract is None
        and module.tests_for is None
        and not module.tests
        and not any(d.is_error for d in diags)
    ):
        # LANGUAGE.md §2: a file holds one contract block (or, as X.test.pact,
        # `tests for "X.pact"` and its tests); an empty file holds neither.
        from pactlang.diagnostics import NO_SPAN, DiagnosticBag

        bag = DiagnosticBag(path)
        bag.error(
            "E017",
            "this file holds no contract",
            NO_SPAN,
            help='a .pact file holds one `contract "…" { … }` block, optionally followed '
            'by `test` blocks (or `tests for "X.pact"` and its tests)',
        )
        diags.extend(bag.items)
    if (
        parsed.module.contract is None
        and parsed.module.tests_for is not None
        # the checker already said why the named file cannot be the contract
        and not any(d.code == "E072" for d in diags)
    ):
        target = Path(path).parent / parsed.module.tests_for.path.value
        try:
            loaded = load(target)
        except (PactError, UsageError) as exc:
            from pactlang.diagnostics import DiagnosticBag

            bag = DiagnosticBag(path)
            bag.error(
                "E072",
                f"the contract under test, {parsed.module.tests_for.path.value}, does not load: {exc}",
                parsed.module.tests_for.span,
            )
            diags.extend(bag.items)
        else:
            contract = loaded.checked
            diags.extend(check_tests(parsed.module, loaded.checked, path))
    return CheckResult(path, text, parsed.module, contract, diags)


def check_file(path: str | os.PathLike[str], _seen: frozenset[str] = frozenset()) -> CheckResult:
    try:
        src = read_source(path)
    except SourceTooLarge as exc:
        from pactlang.diagnostics import DiagnosticBag
        from pactlang.syntax.parser import parse_source

        name = "<stdin>" if str(path) == "-" else str(path)
        bag = DiagnosticBag(name)
        bag.error("E007", str(exc).removeprefix(f"{name}: "), None)
        return CheckResult(name, "", parse_source("").module, None, bag.items)
    return check_source(src.text, src.path, _seen)


@dataclass(slots=True)
class Contract:
    """A loaded, checked contract: the entry point of the API."""

    path: str
    source: str
    module: ast.Module
    checked: CheckedContract
    diagnostics: list[Diagnostic]  # warnings only (errors raise PactError)
    _program: ContractProgram | None = field(default=None, repr=False)

    @property
    def name(self) -> str:
        return self.checked.title

    @property
    def program(self) -> ContractProgram:
        if self._program is None:
            from pactlang.engine.evaluate import ContractProgram

            self._program = ContractProgram(self.checked)
        return self._program

    def measure_specs(self) -> list[object]:
        """The measures a data file may give: the contract's, then those of the
        versions it amends that it does not declare itself."""
        from pactlang.io.data import MeasureSpec

        specs: dict[str, MeasureSpec] = {}
        version: CheckedContract | None = self.checked
        while version is not None:
            for n, m in version.measures.items():
                specs.setdefault(n, MeasureSpec(n, m.type.name, m.reported))
            version = version.amended
        return list(specs.values())

    def read_data(self, path: str | os.PathLike[str], *, by: str | None = None) -> LoadedData:
        """Read and validate a CSV or JSON data file against the contract's measures."""
        from pactlang.io.data import load_data

        specs = self.measure_specs()
        return load_data(
            Path(path),
            specs,  # type: ignore[arg-type]
            currency=self.checked.currency,
            effective=self.checked.effective,
            until=self.checked.until,
            by=by,
        )

    def evaluate(
        self,
        data: str | os.PathLike[str] | Mapping[Period, Mapping[str, object]],
        *,
        strict: bool = False,
        key: str | None = None,
    ) -> Evaluation:
        """Evaluate the contract month by month over one dataset."""
        if isinstance(data, (str, os.PathLike)):
            loaded = self.read_data(data)
            ev = self.program.run(loaded.datasets.get(None, {}), key=key, strict=strict)
            ev.warnings[:0] = [str(w) for w in loaded.warnings_for(None)]
            return ev
        return self.program.run(data, key=key, strict=strict)  # type: ignore[arg-type]

    # -- governance, disputes, distributions

    def vote(
        self, target: str, ballot: str | Mapping[str, str], round: int | None = None
    ) -> VoteResult:
        """One ballot on ``COMMITTEE.DECISION``: ``ballot`` maps members to
        yes/no/abstain/absent, or is written ``acme=yes,orbis=no``."""
        from pactlang.kernel.committees import CommitteeError, cast

        committee_name, _, decision = target.partition(".")
        committees = self.checked.committees
        if not decision:
            hint = ""
            for name, decl in committees.items():
                if any(d.name.name == target for d in decl.decisions):
                    hint = f" (did you mean `{name}.{target}`?)"
                    break
            raise UsageError(f"{target}: expected COMMITTEE.DECISION{hint}")
        if committee_name not in committees:
            raise UsageError(
                f"no committee `{committee_name}` (committees: {', '.join(committees) or 'none'})"
            )
        votes = parse_ballot(ballot) if isinstance(ballot, str) else dict(ballot)
        try:
            return cast(self.program.committee(committee_name), decision, votes, round)
        except CommitteeError as exc:
            raise UsageError(str(exc)) from None

    def escalate(
        self,
        ladder: str,
        opened: datetime.date,
        events: Sequence[tuple[str, str, datetime.date]] = (),
        *,
        as_of: datetime.date | None = None,
        journal: JournalLike = None,
    ) -> Timeline:
        """A dispute's timeline on one of the contract's ladders; ``events`` are
        ``(step, "failed" | "resolved", date)``, added to those the ``journal``
        records for this dispute (same ladder, same opening day), in date order."""
        from pactlang.kernel.escalation import EscalationError, Event
        from pactlang.running import escalation_events, journal_of

        ladders = self.checked.escalations
        if ladder not in ladders:
            raise UsageError(
                f"no escalation ladder `{ladder}` (ladders: {', '.join(ladders) or 'none'})"
            )
        with _usage_errors():
            recorded = escalation_events(journal_of(self, journal), ladder, opened)
        if recorded:
            events = sorted([*recorded, *events], key=lambda e: e[2])
        try:
            evs = tuple(Event(step, kind, day) for step, kind, day in events)  # type: ignore[arg-type]
            return self.program.timeline_of(ladder, opened, evs, as_of=as_of)
        except EscalationError as exc:
            raise UsageError(str(exc)) from None

    def distribute(
        self,
        waterfall: str,
        amount: Decimal | str,
        state: str | None = None,
        *,
        journal: JournalLike = None,
    ) -> tuple[MonthDistribution, str]:
        """One distribution of ``amount`` through ``waterfall`` from the saved
        ``state`` (JSON text, or None for a fresh one) — or from the
        distributions the ``journal`` records, replayed in date order: the
        distribution and the new state's JSON text."""
        from pactlang.engine.distribute import DistributeError, distribute_once
        from pactlang.running import journal_of, replayed_state

        if waterfall not in self.checked.waterfalls:
            known = ", ".join(self.checked.waterfalls) or "none"
            raise UsageError(f"no waterfall `{waterfall}` (waterfalls: {known})")
        value = parse_amount(amount, self.checked.currency) if isinstance(amount, str) else amount
        with _usage_errors():
            j = journal_of(self, journal)
            if j is not None:
                if state is not None:
                    raise UsageError("--state and --journal: the position comes from one of them, not both")
                state = replayed_state(self, j, waterfall)
        try:
            return distribute_once(self.program, waterfall, value, state)
        except DistributeError as exc:
            raise UsageError(str(exc)) from None

    # -- documents and tools

    def render(
        self,
        lang: str | None = None,
        fmt: str = "md",
        *,
        template_dir: str | os.PathLike[str] | None = None,
    ) -> Rendered:
        """The annex in ``md``, ``html``, ``docx`` or ``pdf``, with its warnings."""
        from pactlang.render import render_full

        return render_full(self.checked, lang, fmt, template_dir=template_dir)

    def report(
        self,
        data: str | os.PathLike[str],
        *,
        by: str | None = None,
        lang: str | None = None,
        strict: bool = False,
        advance: Callable[[], None] | None = None,
        journal: JournalLike = None,
    ) -> ReportResult:
        """The steering report (HTML) over a data file (one section per key with
        ``by``), with what the ``journal`` records next to what is computed."""
        from pactlang.report.html import render_report
        from pactlang.running import journal_of

        with _usage_errors():
            j = journal_of(self, journal)
        loaded = self.read_data(data, by=by)
        datasets = list(loaded.datasets.items()) if by else [(None, loaded.datasets.get(None, {}))]
        tick = advance or (lambda: None)
        evaluations = []
        for key, rows in datasets:
            evaluations.append(self.program.run(rows, key=None if key is None else str(key), strict=strict))
            tick()
        return render_report(
            self.checked,
            evaluations,
            data_name=Path(data).name,
            by=by,
            lang=lang,
            data_warnings=[str(w) for w in loaded.warnings],
            advance=tick,
            journal=j,
        )

    # -- running a partnership: the journal, the calendar, the workbook

    def read_journal(self, path: str | os.PathLike[str]) -> Journal:
        """Read a journal (TOML) and check it against the contract; ``UsageError``
        lists every bad entry with its line."""
        from pactlang.running import journal_of

        with _usage_errors():
            j = journal_of(self, path)
        assert j is not None
        return j

    def calendar(
        self,
        fmt: str = "ics",
        *,
        data: str | os.PathLike[str] | None = None,
        by: str | None = None,
        journal: JournalLike = None,
        start: datetime.date | None = None,
        end: datetime.date | None = None,
        lang: str | None = None,
        strict: bool = False,
    ) -> CalendarOutput:
        """Every dated obligation from ``start`` to ``end`` (default: the term) as
        ``ics``, ``csv`` or ``json`` bytes; dispute deadlines from ``data`` and the ``journal``."""
        from pactlang.running import calendar_output

        with _usage_errors():
            return calendar_output(
                self, fmt, data=data, by=by, journal=journal, start=start, end=end, lang=lang, strict=strict
            )

    def results_json(
        self,
        evaluations: Iterable[Evaluation],
        *,
        window: tuple[Period | None, Period | None] = (None, None),
        explain: bool = False,
        journal: JournalLike = None,
        portfolio: bool = False,
    ) -> Iterator[str]:
        """``pact eval --format json``: the text of one result (the first
        evaluation), or of a portfolio piece by piece; with a ``journal``, each
        result has a ``journal`` member (docs/eval-result.schema.json)."""
        from pactlang.running import journal_of, result_chunks

        with _usage_errors():
            j = journal_of(self, journal)
        return result_chunks(
            self, iter(evaluations), window=window, explain=explain, journal=j, portfolio=portfolio
        )

    def journal_lines(self, evaluation: Evaluation, journal: JournalLike) -> list[str]:
        """The journal next to one evaluation, as lines of text (``pact eval --journal``)."""
        from pactlang.running import journal_lines, journal_of

        with _usage_errors():
            j = journal_of(self, journal)
        return journal_lines(self, evaluation, j) if j is not None else []

    def workbook(
        self,
        data: str | os.PathLike[str],
        *,
        by: str | None = None,
        journal: JournalLike = None,
        window: tuple[Period | None, Period | None] = (None, None),
        strict: bool = False,
        lang: str | None = None,
        on_run: Callable[[Evaluation], None] | None = None,
    ) -> WorkbookOutput:
        """The XLSX workbook of an evaluation (``eval``/``report --format xlsx``);
        ``on_run`` sees each evaluation as it is written (``--fail-on``, progress)."""
        from pactlang.running import workbook_output

        with _usage_errors():
            return workbook_output(
                self, data, by=by, journal=journal, window=window, strict=strict, lang=lang, on_run=on_run
            )

    def compile(self, source_name: str | None = None) -> str:
        """The Python source of a standalone module evaluating this contract."""
        from pactlang.codegen import compile_module_source

        return compile_module_source(self.checked, source_name)

    def decision_hint(self, name: str) -> str:
        """What to write instead of a bare decision name (``pact vote C budget``)."""
        committees = self.checked.committees
        owners = [n for n, d in committees.items() if name in {x.name.name for x in d.decisions}]
        if owners:
            return f"did you mean `{owners[0]}.{name}`?"
        examples = ", ".join(f"`{n}.{x.name.name}`" for n, d in committees.items() for x in d.decisions[:1])
        return "name the committee, then the decision: " + (examples or "the contract has no committee")

    def data_schema(self) -> dict[str, object]:
        """The JSON Schema of the contract's monthly data (``pact schema``)."""
        from pactlang.io.data import monthly_data_json_schema

        return monthly_data_json_schema(self.measure_specs(), self.checked.currency)  # type: ignore[arg-type]

    def analyze(self) -> ContractAnalysis:
        """Voting power, effective vetoes, threshold and waterfall findings, unused names."""
        from pactlang.analysis import analyze

        return analyze(self)

    def evaluate_portfolio(
        self, path: str | os.PathLike[str], by: str, *, strict: bool = False
    ) -> list[Evaluation]:
        """Each key's evaluation, in the file's order: the portfolio evaluated as
        one run where the contract allows it (``ContractProgram.run_all``)."""
        loaded = self.read_data(path, by=by)
        portfolio = self.program.run_all([(str(k), rows) for k, rows in loaded.datasets.items()], strict=strict)
        out: list[Evaluation] = []
        for k, ev in zip(loaded.datasets, portfolio, strict=True):
            ev.warnings[:0] = [str(w) for w in loaded.warnings_for(k)]
            out.append(ev)  # type: ignore[arg-type]  # the interpreter's runs are Evaluations
        return out


@contextlib.contextmanager
def _usage_errors() -> Iterator[None]:
    """The journal's, the calendar's and the workbook's errors as :class:`UsageError`."""
    from pactlang.running import RunningError

    try:
        yield
    except RunningError as exc:
        raise UsageError(str(exc)) from exc


def parse_ballot(text: str) -> dict[str, str]:
    """``acme=yes,orbis=no`` as a ballot (votes as written; the committee checks them)."""
    votes: dict[str, str] = {}
    for item in filter(None, (x.strip() for x in text.split(","))):
        party, sep, word = item.partition("=")
        if not sep:
            raise UsageError(f"--ballot: `{item}` is not PARTY=VOTE")
        if party.strip() in votes:
            raise UsageError(f"--ballot: `{party.strip()}` votes twice")
        votes[party.strip()] = word.strip()
    return votes


def parse_amount(text: str, currency: str) -> Decimal:
    """An amount as the command line gives it, in the forms a money cell of a
    data file takes: ``250000``, ``250_000``, ``250 000`` (groups of three
    digits), ``250 000,50`` (a decimal comma), optionally followed by the
    currency code."""
    from pactlang.io.cells import AMOUNT_FORMS, AmountError
    from pactlang.io.cells import parse_amount as read_amount

    try:
        return read_amount(text, currency)
    except AmountError as exc:
        raise UsageError(f"--amount: {exc}; write the amount as {AMOUNT_FORMS}") from None



def analyze_file(path: str | os.PathLike[str]) -> ContractAnalysis:
    """Load, check and analyse a ``.pact`` file (``pact analyze``)."""
    return load(path).analyze()



def compile_sql(contract: Contract, dialect: str) -> tuple[str, list[str]]:
    """``pact compile --target sql``: the SQL script and what it leaves to the kernel."""
    from pactlang.sql.script import sql_script

    if contract.program.base is not None:
        raise UsageError(f"{contract.path}: amends another contract: amended contracts are evaluated by the interpreter only")
    return sql_script(contract.program, dialect)



def load(path: str | os.PathLike[str]) -> Contract:
    """Load and check a ``.pact`` contract; raise :class:`PactError` on any error."""
    res = check_file(path)
    if not res.ok or res.contract is None or res.module.contract is None:
        if res.ok:
            from pactlang.diagnostics import DiagnosticBag

            bag = DiagnosticBag(res.path)
            bag.error("E017", "this file holds no contract", None)
            raise PactError(res.path, bag.items, res.source)
        raise PactError(res.path, res.diagnostics, res.source)
    return Contract(res.path, res.source, res.module, res.contract, res.diagnostics)


def loads(text: str, path: str = "<input>") -> Contract:
    """Like :func:`load`, from text."""
    res = check_source(text, path)
    if not res.ok or res.contract is None or res.module.contract is None:
        raise PactError(res.path, res.diagnostics, res.source)
    return Contract(res.path, res.source, res.module, res.contract, res.diagnostics)
