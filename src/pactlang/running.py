"""Running a partnership, for the API: the journal, the calendar, the workbook.

:class:`pactlang.api.Contract` delegates here (``read_journal``,
``calendar``, ``workbook``, the journal of ``report``, ``escalate`` and
``distribute``), so the façade stays a list of entry points.  Everything is
put together from the I/O module of journals (:mod:`pactlang.io.journal`)
and the outputs (:mod:`pactlang.report.actuals`, :mod:`pactlang.report.calendar`,
:mod:`pactlang.report.agenda`, :mod:`pactlang.report.workbook`); the
semantics stay in the kernel.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from pactlang.io.journal import Journal, JournalContext, JournalError, check_journal, read_journal
from pactlang.report.actuals import Actuals, reconcile, vote_records
from pactlang.report.results import Window

if TYPE_CHECKING:
    from pactlang.engine.evaluate import ContractProgram, Evaluation
    from pactlang.io.data import LoadedData
    from pactlang.report.agenda import AgendaInfo
    from pactlang.report.calendar import CalendarInput, DatedObligation
    from pactlang.sema.model import CheckedContract
    from pactlang.syntax import ast

__all__ = [
    "CalendarOutput",
    "RunningError",
    "JournalLike",
    "calendar_output",
    "journal_of",
    "workbook_output",
]

JournalLike = str | os.PathLike[str] | Journal | None
FORMATS = ("ics", "csv", "json")


class RunningError(ValueError):
    """A journal, a calendar or a workbook that cannot be made (the API raises
    it as :class:`pactlang.api.UsageError`)."""


class LoadedContract(Protocol):
    """What these functions read of a contract loaded by the API (no import of
    the API itself: it imports this module)."""

    checked: CheckedContract

    @property
    def program(self) -> ContractProgram: ...

    def read_data(self, path: str | os.PathLike[str], *, by: str | None = None) -> LoadedData: ...


def _usage(message: str) -> Exception:
    return RunningError(message)


# ================================================================= journal


def journal_context(c: LoadedContract) -> JournalContext:
    ir = c.program.ir
    payments: dict[str, tuple[tuple[str, str], ...]] = {}
    for name, th in ir.thresholds.items():
        plan = th.plan
        actions = [a for r in plan.rules for a in r.actions] + list(plan.otherwise_actions)
        pays = tuple(
            dict.fromkeys((a.payer, a.payee) for a in actions if a.kind == "pay" and a.payer and a.payee)
        )
        if pays:
            payments[name] = pays
    return JournalContext(
        contract_id=c.checked.id,
        parties=tuple(c.checked.parties),
        committees=ir.committees,
        ladders=ir.ladders,
        calendar=c.program.calendar,
        payments=payments,
        waterfalls=tuple(ir.waterfalls),
        thresholds=tuple(ir.thresholds),
        effective=c.checked.effective,
        until=c.checked.until,
    )


def journal_of(c: LoadedContract, journal: JournalLike) -> Journal | None:
    """A journal read and checked against the contract (``UsageError`` listing every problem)."""
    if journal is None or isinstance(journal, Journal):
        return journal
    try:
        return check_journal(read_journal(journal), journal_context(c))
    except JournalError as exc:
        raise _usage(str(exc)) from exc


def escalation_events(
    journal: Journal | None, ladder: str, opened: datetime.date
) -> list[tuple[str, str, datetime.date]]:
    """The journal's events of one dispute (no portfolio key), in date order."""
    if journal is None:
        return []
    entries = journal.dispute_events().get((ladder, opened), [])
    return [(e.step, e.kind, e.date) for d in entries if (e := d.event) is not None]


def replayed_state(c: LoadedContract, journal: Journal, waterfall: str) -> str | None:
    """The waterfall's state after the journal's distributions, in date order."""
    from pactlang.engine.distribute import DistributeError, distribute_once

    state: str | None = None
    done = sorted((d for d in journal.distributions if d.waterfall == waterfall), key=lambda d: d.date)
    for d in done:
        try:
            _, state = distribute_once(c.program, waterfall, d.amount, state)
        except DistributeError as exc:
            raise _usage(f"{journal.where(d)}: distribution: {exc}") from None
    return state


# ============================================================ evaluations


def evaluations(
    c: LoadedContract, data: str | os.PathLike[str], by: str | None, strict: bool, warnings: list[str]
) -> Iterator[Evaluation]:
    """Each key's evaluation (one without ``by``); data warnings appended to ``warnings``."""
    loaded = c.read_data(data, by=by)
    warnings.extend(str(w) for w in loaded.warnings)
    datasets = loaded.datasets.items() if by else [(None, loaded.datasets.get(None, {}))]
    for key, rows in datasets:
        ev = c.program.run(rows, key=None if key is None else str(key), strict=strict)
        yield ev


def _lang(c: LoadedContract, lang: str | None) -> str:
    from pactlang.render.i18n import LANGUAGES

    chosen = lang or c.checked.language
    if chosen not in LANGUAGES:
        if lang is not None:
            raise _usage(f"--lang {lang}: calendars and workbooks are written in en or fr")
        return "en"
    return chosen


def _labeller(lang: str) -> object:
    def label(labels: ast.Labels | None, name: str) -> str:
        return (labels.get(lang) if labels is not None else None) or name

    return label


# ================================================================ calendar


@dataclass(frozen=True, slots=True)
class CalendarOutput:
    """A calendar in one format, its obligations and the warnings for the user."""

    data: bytes
    obligations: tuple[DatedObligation, ...]
    warnings: tuple[str, ...]


def _window(
    c: LoadedContract, start: datetime.date | None, end: datetime.date | None, months: Sequence[object]
) -> tuple[datetime.date, datetime.date]:
    cc = c.checked
    first = start or cc.effective
    if first is None:
        if months:
            p = months[0]
            first = datetime.date(p.year, p.month, 1)  # type: ignore[attr-defined]
        else:
            raise _usage("the contract has no `effective` date: give --from DATE")
    last = end or cc.until or datetime.date(first.year + 1, 12, 31)
    if last < first:
        raise _usage(f"--from {first.isoformat()} is after --to {last.isoformat()}")
    return first, last


def calendar_input(
    c: LoadedContract,
    *,
    runs: Sequence[Evaluation],
    actuals: Sequence[Actuals],
    journal: Journal | None,
    start: datetime.date,
    end: datetime.date,
    lang: str,
) -> CalendarInput:
    from pactlang.render.i18n import catalog
    from pactlang.report.actuals import deadlock_disputes, journal_disputes
    from pactlang.report.calendar import CalendarInput

    if runs:
        disputes = [(a.key, a.disputes) for a in actuals]
    else:  # no data: the disputes the journal records, per portfolio key
        ir = c.program.ir
        found = {d.key for d in journal.disputes} if journal else set()
        if deadlock_disputes(journal, ir.committees):
            found.add(None)  # the disputes the recorded votes' deadlocks open belong to the contract
        keys = sorted(found, key=lambda k: (k is not None, k or ""))
        disputes = [(k, journal_disputes(journal, ir.ladders, c.program.calendar, k, (), ir.committees)) for k in keys]
    return CalendarInput(
        contract=c.checked,
        committees=c.program.ir.committees,
        calendar=c.program.calendar,
        start=start,
        end=end,
        words=catalog(lang),
        disputes=disputes,
        actions=[
            (ev.key, [e for e in ev.events if e.kind in ("oblige", "terminate") and e.due is not None])
            for ev in runs
        ],
        journal=journal,
        labels=_labeller(lang),  # type: ignore[arg-type]
    )


def agenda_info(c: LoadedContract, start: datetime.date, end: datetime.date, lang: str) -> AgendaInfo:
    from pactlang.render.i18n import catalog
    from pactlang.report.agenda import AgendaInfo

    cc = c.checked
    words = catalog(lang)
    label = _labeller(lang)

    def party(name: str) -> str:
        decl = cc.parties.get(name)
        return label(decl.labels if decl else None, name)  # type: ignore[operator, no-any-return]

    return AgendaInfo(
        title=cc.title,
        id=cc.id,
        version=cc.version,
        effective=cc.effective,
        start=start,
        end=end,
        lang=lang,
        party=party,
        owner_word=words.t("calendar.field.owner"),
        parties_word=words.t("calendar.field.parties"),
    )


def calendar_output(
    c: LoadedContract,
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
    from pactlang.report import agenda
    from pactlang.report.calendar import obligations

    if fmt not in FORMATS:
        raise _usage(f"--format {fmt}: a calendar is ics, csv or json")
    if by is not None and data is None:
        raise _usage("--by needs --data")
    j = journal_of(c, journal)
    language = _lang(c, lang)
    warnings: list[str] = []
    runs = list(evaluations(c, data, by, strict, warnings)) if data is not None else []
    actuals = [reconcile(j, ev, c.program.ir.committees) for ev in runs]
    for a in actuals:
        warnings.extend(a.warnings)
    first, last = _window(c, start, end, runs[0].months if runs else [])
    given = calendar_input(c, runs=runs, actuals=actuals, journal=j, start=first, end=last, lang=language)
    found = obligations(given)
    info = agenda_info(c, first, last, language)
    if fmt == "ics":
        try:
            body = agenda.to_ics(found, info)
        except agenda.CalendarUnavailable as exc:
            raise _usage(str(exc)) from None
    elif fmt == "csv":
        body = agenda.to_csv(found, info).encode("utf-8")
    else:
        body = agenda.to_json(found, info).encode("utf-8")
    return CalendarOutput(body, tuple(found), tuple(warnings))


# ================================================================ workbook


@dataclass(frozen=True, slots=True)
class WorkbookOutput:
    data: bytes
    count: int  # evaluations written
    warnings: tuple[str, ...]


def workbook_output(
    c: LoadedContract,
    data: str | os.PathLike[str],
    *,
    by: str | None = None,
    journal: JournalLike = None,
    window: Window = (None, None),
    strict: bool = False,
    lang: str | None = None,
    on_run: Callable[[Evaluation], None] | None = None,
) -> WorkbookOutput:
    """The workbook of an evaluation (a portfolio with ``by``), with the journal next to it."""
    from pactlang.base.version import __version__
    from pactlang.report.calendar import obligations
    from pactlang.report.workbook import (
        Part,
        WorkbookError,
        WorkbookInfo,
        WorkbookUnavailable,
        write_workbook,
    )

    j = journal_of(c, journal)
    language = _lang(c, lang)
    cc = c.checked
    label = _labeller(language)
    labels = {
        name: label(getattr(decl, "labels", None), name)  # type: ignore[operator]
        for table in (cc.measures, cc.lets, cc.kpis, cc.thresholds)
        for name, decl in table.items()
    }
    types = {name: t.name.lower() for name, t in cc.value_types.items()}
    ir = c.program.ir
    info = WorkbookInfo(
        title=cc.title,
        id=cc.id,
        version=cc.version,
        currency=cc.currency,
        digits=c.program.digits,
        effective=cc.effective,
        until=cc.until,
        measures=tuple(cc.measures),
        lets=tuple(cc.lets),
        kpis=tuple(cc.kpis),
        thresholds=tuple(cc.thresholds),
        types=types,
        labels=labels,
        data_name=Path(data).name,
        journal_name=Path(j.path).name if j is not None else None,
        generator=f"pactlang {__version__}",
        members={n: cm.member_names for n, cm in ir.committees.items()},
    )
    warnings: list[str] = []
    count = 0
    first_run: list[Evaluation] = []

    def parts() -> Iterator[Part]:
        nonlocal count
        for ev in evaluations(c, data, by, strict, warnings):
            count += 1
            if on_run is not None:
                on_run(ev)
            if not first_run:
                first_run.append(ev)
            actuals = reconcile(j, ev, c.program.ir.committees)
            warnings.extend(actuals.warnings)
            yield Part(ev, actuals if j is not None else None, _dispute_obligations(c, ev, actuals, j, language))

    try:
        body_parts = list(parts()) if by is None else None
        months = body_parts[0].run.months if body_parts else []
        general: list[DatedObligation] = []
        if cc.effective is not None or months:
            first, last = _window(c, None, None, months)
            given = calendar_input(c, runs=[], actuals=[], journal=j, start=first, end=last, lang=language)
            general = [o for o in obligations(given) if not o.kind.startswith("dispute")]
        body = write_workbook(
            body_parts if body_parts is not None else parts(),
            info,
            by=by,
            window=window,
            obligations=general,
            votes=vote_records(j, ir.committees) if j is not None else None,
            amendments=j.amendments if j is not None else (),
            uid_base=cc.id or cc.title,
        )
    except (WorkbookUnavailable, WorkbookError) as exc:
        raise _usage(str(exc)) from None
    return WorkbookOutput(body, count, tuple(warnings))


def _dispute_obligations(
    c: LoadedContract, ev: Evaluation, actuals: Actuals, journal: Journal | None, lang: str
) -> list[DatedObligation]:
    from pactlang.report.calendar import dispute_deadlines

    if not actuals.disputes or not ev.months:
        return []
    first, last = _window(c, None, None, ev.months)
    given = calendar_input(c, runs=[ev], actuals=[actuals], journal=journal, start=first, end=last, lang=lang)
    return list(dispute_deadlines(given))


# ============================================================ pact eval


def result_chunks(
    c: LoadedContract,
    evaluations: Iterator[Evaluation] | Sequence[Evaluation],
    *,
    window: Window,
    explain: bool,
    journal: Journal | None,
    portfolio: bool,
) -> Iterator[str]:
    """``pact eval --format json``: one result, or a portfolio's piece by piece,
    each with its ``journal`` member when a journal is given."""
    from pactlang.report.actuals import actuals_dict
    from pactlang.report.results import evaluation_json, portfolio_chunks

    extra = None
    if journal is not None:
        votes = vote_records(journal, c.program.ir.committees)
        j = journal

        def extra(ev: object) -> dict[str, object]:
            return {"journal": actuals_dict(reconcile(j, ev, c.program.ir.committees), votes, j)}  # type: ignore[arg-type]

    if portfolio:
        yield from portfolio_chunks(evaluations, window, explain, extra)  # type: ignore[arg-type]
        return
    for ev in evaluations:
        yield evaluation_json(ev, window, explain, extra)  # type: ignore[arg-type]
        return


def journal_lines(c: LoadedContract, ev: Evaluation, journal: Journal) -> list[str]:
    """``pact eval --journal``: the journal next to one evaluation, as text."""
    from pactlang.report.actuals import actuals_lines

    votes = vote_records(journal, c.program.ir.committees)
    return actuals_lines(reconcile(journal, ev, c.program.ir.committees), votes, journal, c.checked.currency)
