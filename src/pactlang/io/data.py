"""Monthly data files: the input border (LANGUAGE.md §12, missing values §5).

A data file gives, for each month, one value per *measure* of a contract.  Two
formats are read:

* **CSV, wide**: a header row with a ``period`` column (``YYYY-MM``) and one
  column per measure, then one row per month.  The delimiter is ``,`` or ``;``
  (detected on the header line: whichever occurs more often, ``,`` on a tie).
* **JSON**: either an object keyed by month,
  ``{"2026-01": {"revenue": "1200.50", ...}, ...}``, or a list of objects each
  with a ``period`` field.  A file whose first non-blank character is ``{`` or
  ``[`` is JSON, anything else is CSV.

Every value is read as an exact :class:`~decimal.Decimal` (JSON numbers too:
they never go through a binary float).  Validation goes through pydantic models
derived from the contract's measures (:func:`row_model`); the same models give
``pact schema`` its JSON Schema (:func:`monthly_data_json_schema`).

Rules where the language reference is silent (keep in sync with the docs):

* **Missing values.** An empty cell, a cell of only spaces, a JSON ``null`` or
  a JSON empty string is *missing* (``None``); a measure with no column at all
  is missing every month.  A CSV row whose cells are all empty is skipped.
* **Numbers.** ``[+-]digits[.digits][e[+-]digits]`` in ASCII digits (also
  ``.5`` and ``5.``).  Thousands may be grouped with spaces (U+0020, U+00A0 or
  U+202F), in groups of exactly three digits: ``1 234 567.50``.  Dots and commas
  are *never* thousands separators.
* **Decimal comma.** In a ``;`` file the decimal mark is decided once for the
  whole file: if any number is written with a decimal comma (``1234,50``, ``,5``), the
  decimal mark is ``,`` and a dot inside a number is an error (so a German
  ``1.234,50`` is rejected rather than misread); otherwise the decimal mark is
  ``.``.  In a ``,`` file and in JSON strings the decimal mark is ``.``.
* **Bounds.** A number must be below 10^31 in absolute value and have at most
  30 decimal places (adjusted exponent within -30..30): ``1e999999`` is
  rejected as an absurd magnitude.  NaN and infinities are rejected.
* **count**: an integer >= 0 (``3.0`` and ``1e2`` are integers; ``-1`` and
  ``2.5`` are errors), stored as an integral Decimal.
* **percent**: ``12.5%`` (also ``12.5 %``) is 0.125; a plain number is the
  fraction itself, ``0.125``.  A JSON number is always a fraction.
* **money**: a plain number in the contract currency, optionally followed by
  the ISO code of the contract currency (``1200.50 EUR``); another code is an
  error.  Any number of decimals is kept exactly (no rounding to the minor
  unit at the border).
* **bool**: ``true`` / ``false`` (any case, as spreadsheets write ``TRUE``);
  JSON ``true`` / ``false`` too.  Nothing else (no ``1`` / ``yes``).
* **Months**: exactly ``YYYY-MM`` with a month 01..12 (``2026-13``, ``26-01``,
  ``2026/01`` and ``2026-01-15`` are malformed).
* **Term.** Months before the month of ``effective`` or after the month of
  ``until`` are dropped with one warning per dataset (its row is the first
  dropped row).  Dropped rows are still validated: bad data is bad data.
* **Portfolios** (``by=KEY``): the key column (CSV) or field (JSON list
  records) splits the file into one dataset per key, in order of first
  appearance; duplicate months are detected per key.  A key whose months all
  fall outside the term keeps an empty dataset.  The JSON object form cannot
  carry keys.
* **Locations.** CSV rows are physical line numbers (the header is line 1; a
  quoted cell spanning lines counts from the line where the row starts) and
  columns are header names (``#N``, 1-based, for a cell beyond the header).
  JSON rows are the month key (object form) or ``[index]`` (list form,
  0-based); columns are field names.
* **Limits.** Files over :data:`MAX_FILE_BYTES` (200 MiB) are refused; a CSV
  row with more or fewer cells than the header is an error; the text must be
  UTF-8 (a BOM is allowed).
* **Streaming.** A CSV file is read as a stream of lines (never as one string
  in memory): a pass checks that it is UTF-8, a pass on ``;`` files decides
  the decimal mark, then the rows are validated one by one.  Once a problem
  is found, validated rows are no longer kept (they will not be evaluated).
  A file over :data:`CHECK_FIRST_BYTES` (32 MiB) is validated in a first pass
  that keeps no row (only the months seen, for duplicates), and read again to
  keep them only when it has no problem: a bad cell at the end of a big file
  costs the bookkeeping of its months, not every row before it.  A JSON file
  is parsed whole.

The problems of a file are reported in file order, not only the first, up to
:data:`MAX_PROBLEMS` (100): :class:`DataError` carries them and the count of
the others (``… and 2,399,900 more problems``), which are still counted to
the end of the file but not kept.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import io
import json
import os
import stat
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from pactlang.base.values import Period
from pactlang.io.cells import (
    _DECIMAL_COMMA,
    _FIRST_LINE,
    _MONTH,
    MAX_ADJUSTED_EXPONENT,
    MAX_DECIMAL_PLACES,
    MEASURE_TYPES,
    MONTH_PATTERN,
    Dataset,
    MeasureSpec,
    Row,
    Value,
    _describe_json,
    _fields_are_names,
    _json_constant,
    _json_float,
    _Pairs,
    _row_model,
    monthly_data_json_schema,
    row_model,
)
from pactlang.io.data_types import DataError, DataProblem, LoadedData, measure_specs
from pactlang.kernel.timeline import is_report_month, report_months

if TYPE_CHECKING:  # pydantic is imported when a row model is built
    from pydantic import BaseModel, ValidationError

__all__ = [
    "CHECK_FIRST_BYTES",
    "MAX_FILE_BYTES",
    "MAX_PROBLEMS",
    "MAX_DECIMAL_PLACES",
    "MAX_ADJUSTED_EXPONENT",
    "MONTH_PATTERN",
    "MEASURE_TYPES",
    "DataError",
    "DataProblem",
    "LoadedData",
    "MeasureSpec",
    "Value",
    "load_data",
    "measure_specs",
    "monthly_data_json_schema",
    "row_model",
]

MAX_FILE_BYTES = 200 * 1024 * 1024
#: Problems of one file kept and shown; the others are only counted.
MAX_PROBLEMS = 100
#: CSV files larger than this are validated in a first pass that keeps no row.
CHECK_FIRST_BYTES = 32 * 1024 * 1024


# --------------------------------------------------------------------------- loading


def in_percentage_points(value: Decimal) -> bool:
    """A percent value as one written in percentage points would be (99.8 for
    99.8%): above 1, at most 100. A column whose values all are gets a warning."""
    return 1 < value <= 100


class _Loader:
    """State of one load: the problems found so far and the datasets being built."""

    def __init__(
        self,
        path: str,
        measures: Sequence[MeasureSpec],
        currency: str,
        effective: date | None,
        until: date | None,
        by: str | None,
    ) -> None:
        self.path = path
        self.measures = tuple(measures)
        self.names = [m.name for m in self.measures]
        self.name_set = set(self.names)
        self.currency = currency
        self.by = by
        self.first = Period.of(effective).index if effective is not None else None
        self.last = Period.of(until).index if until is not None else None
        self.keep = True  # whether validated rows are kept (False: a checking pass)
        self._periods: dict[str, tuple[Period, bool] | None] = {}
        self.direct = False  # whether the row model's fields are the measure names
        self.reset()

    def reset(self) -> None:
        """Forget what a previous pass over the file found."""
        self.problems: list[DataProblem] = []
        self.more = 0  # problems beyond MAX_PROBLEMS: counted, not kept
        self.warnings: list[DataProblem] = []
        self.datasets: dict[str | None, Dataset] = {}
        self.seen: dict[str | None, dict[Period, int | str]] = {}
        # per key: first dropped row, dropped months
        self.dropped: dict[str | None, tuple[int | str, list[Period]]] = {}
        # percent measures: first row with a value, values seen, all of them in (1, 100]
        self.percents: dict[str, tuple[int | str, int, bool]] = {}

    # -- helpers

    def problem(self, row: int | str | None, column: str | None, message: str) -> None:
        if len(self.problems) >= MAX_PROBLEMS:
            self.more += 1
            return
        if not self.problems:
            # the data will not be evaluated: stop keeping validated rows
            for dataset in self.datasets.values():
                dataset.clear()
        self.problems.append(DataProblem(self.path, row, column, message))

    def unknown(self, row: int | str | None, name: str, what: str) -> None:
        known = ["period", *([self.by] if self.by else []), *self.names]
        close = difflib.get_close_matches(name, known, n=1)
        if name == "period" and what == "field":
            # the object form (months are its keys) has no period field to suggest
            hint = '; in the form {"2026-01": {...}} the month is the key: remove the field'
        elif close:
            hint = f"; did you mean {close[0]!r}?"
        elif self.by is None:
            hint = f"; if it is a portfolio key, use --by {name}"
        else:
            hint = ""
        measures = ", ".join(self.names) if self.names else "none"
        self.problem(
            row, name, f"unknown {what} {name!r} (the contract's measures: {measures}){hint}"
        )

    def month(self, text: str) -> tuple[Period, bool] | None:
        """The month of a period text and whether it lies inside the term."""
        cached = self._periods.get(text, False)
        if cached is not False:
            return cached  # type: ignore[return-value]
        result: tuple[Period, bool] | None = None
        match = _MONTH.match(text)
        if match is not None:
            year = int(match.group(1))
            if year >= 1:
                period = Period(year, int(match.group(2)))
                index = period.index
                inside = (self.first is None or index >= self.first) and (
                    self.last is None or index <= self.last
                )
                result = (period, inside)
        self._periods[text] = result
        return result

    def term_text(self) -> str:
        first = str(Period.from_index(self.first)) if self.first is not None else None
        last = str(Period.from_index(self.last)) if self.last is not None else None
        if first and last:
            return f"{first} .. {last}"
        if first:
            return f"from {first}"
        return f"until {last}"

    def dataset(self, key: str | None) -> tuple[Dataset, dict[Period, int | str]]:
        dataset = self.datasets.get(key)
        if dataset is None:
            dataset = self.datasets[key] = {}
            self.seen[key] = {}
        return dataset, self.seen[key]

    def add(
        self,
        key: str | None,
        month: tuple[Period, bool],
        row: int | str,
        column: str | None,
        values: Row | None,
    ) -> None:
        """Record a validated row (``values`` is None when the row had problems)."""
        period, inside = month
        dataset, seen = self.dataset(key)
        first_row = seen.get(period)
        if first_row is not None:
            for_key = f" for {self.by} {key!r}" if self.by is not None else ""
            first = f"row {first_row}" if isinstance(first_row, int) else first_row
            self.problem(row, column, f"duplicate month {period}{for_key} (first at {first})")
            return
        seen[period] = row
        if values is not None:
            self.reported(period, row, values)
        if not inside:
            entry = self.dropped.get(key)
            if entry is None:
                self.dropped[key] = (row, [period])
            else:
                entry[1].append(period)
            return
        if values is not None and self.keep and not self.problems:
            dataset[period] = values

    def reported(self, period: Period, row: int | str, values: Row) -> None:
        """A measure reported quarterly or yearly has values in its report months only;
        the values of percent measures are remembered for :meth:`percent_warnings`."""
        for spec in self.measures:
            value = values.get(spec.name)
            if value is None:
                continue
            if spec.type == "percent" and isinstance(value, Decimal):
                first, _count, inside = self.percents.get(spec.name, (row, 0, True))
                self.percents[spec.name] = (first, _count + 1, inside and in_percentage_points(value))
            if not is_report_month(spec.cadence, period):
                self.problem(
                    row,
                    spec.name,
                    f"{spec.name!r} is reported {spec.cadence} ({report_months(spec.cadence)}): "
                    f"{period} is not a report month; give the value in the period's last month",
                )

    def percent_warnings(self) -> list[DataProblem]:
        """A percent column whose values all lie between 1 and 100 was probably written
        in percentage points (99.8 for 99.8%): read as fractions, that is 9 980%."""
        out: list[DataProblem] = []
        for name, (row, count, suspicious) in self.percents.items():
            if suspicious and count:
                out.append(
                    DataProblem(
                        self.path,
                        row,
                        name,
                        f"{name!r} is a percent, but every value lies between 1 and 100: a "
                        "plain number is read as a fraction (99.8 is 9 980%); write "
                        "percentages with % (99.8%) or as fractions (0.998)",
                    )
                )
        return out

    def validation_problems(self, row: int | str, error: ValidationError) -> None:
        # locations are the aliases, i.e. the measure names
        for item in error.errors(include_url=False, include_input=False):
            loc = item["loc"]
            self.problem(row, str(loc[0]) if loc else None, item["msg"])

    def finish(self) -> LoadedData:
        by_key: dict[str | None, list[DataProblem]] = {}
        percents = self.percent_warnings()
        self.warnings.extend(percents)
        for key in self.datasets:  # a column's problem concerns every dataset of the file
            by_key.setdefault(key, []).extend(percents)
        for key, (row, months) in self.dropped.items():
            for_key = f" for {self.by} {key!r}" if self.by is not None else ""
            months.sort()
            span = str(months[0]) if len(months) == 1 else f"{months[0]} .. {months[-1]}"
            warning = DataProblem(
                self.path,
                row,
                "period",
                f"{len(months)} month(s){for_key} outside the contract term "
                f"({self.term_text()}) ignored: {span}",
            )
            self.warnings.append(warning)
            by_key.setdefault(key, []).append(warning)
        if self.problems:
            raise DataError(self.problems, self.warnings, self.more)
        datasets = {
            key: dict(sorted(dataset.items(), key=lambda item: item[0].index))
            for key, dataset in self.datasets.items()
        }
        return LoadedData(datasets, self.warnings, by_key)

    # -- CSV

    def csv_header(self, reader: Any) -> tuple[list[str], int] | None:
        """The first row of ``reader`` that is not blank, and its line; None (the
        problem reported) for a malformed or empty file — the row and the column
        loaders' one rule."""
        line = 0  # lines consumed so far
        try:
            header = next(reader, None)
        except csv.Error as exc:
            self.problem(1, None, f"malformed CSV header: {exc}")
            return None
        while header is not None and not any(cell.strip() for cell in header):
            line = reader.line_num
            try:
                header = next(reader, None)
            except csv.Error as exc:
                self.problem(line + 1, None, f"malformed CSV: {exc}")
                return None
        if header is None:
            self.problem(None, None, "empty file: no header and no data")
            return None
        return header, line + 1

    def csv_columns(
        self, header: Sequence[str], header_row: int, delimiter: str
    ) -> tuple[int | None, int | None, list[int], list[tuple[str, int]]]:
        """What each header cell names: the index of ``period``, of the key
        column, of the cells without a name, and of each measure (``(name,
        index)``); a duplicate, unknown or missing column reported — the row
        and the column loaders' one rule."""
        period_index: int | None = None
        key_index: int | None = None
        unnamed: list[int] = []
        columns: list[tuple[str, int]] = []
        seen_names: dict[str, int] = {}
        for index, raw in enumerate(header):
            name = raw.strip()
            if not name:
                unnamed.append(index)
                continue
            if name in seen_names:
                self.problem(header_row, name, f"duplicate column {name!r}")
                continue
            seen_names[name] = index
            if name == "period":
                period_index = index
            elif self.by is not None and name == self.by:
                key_index = index
            elif name in self.name_set:
                columns.append((name, index))
            else:
                self.unknown(header_row, name, "column")
        if period_index is None:
            self.problem(header_row, None, f"missing 'period' column (header: {delimiter.join(header)})")
        if self.by is not None and key_index is None:
            self.problem(header_row, None, f"missing key column {self.by!r} (--by {self.by})")
        return period_index, key_index, unnamed, columns

    def csv_key_month(
        self, row: int, record: Sequence[str], key_index: int | None, period_text: str | None
    ) -> tuple[str | None, tuple[Period, bool]] | None:
        """A CSV row's key and month, or None (the problem reported, or a row
        with nothing to read) — the row and the column loaders' one rule."""
        key: str | None = None
        if key_index is not None:
            key = record[key_index].strip()
            if not key:
                self.problem(row, self.by, f"empty key ({self.by})")
                return None
        elif self.by is not None:
            return None
        if period_text is None:
            return None
        if not period_text:
            self.problem(row, "period", "empty period")
            return None
        month = self.month(period_text)
        if month is None:
            self.problem(row, "period", f"malformed month {period_text!r} (expected YYYY-MM)")
            return None
        return key, month

    def load_csv(self, text: str) -> None:
        """A CSV file held in memory (see :meth:`load_csv_lines`)."""
        found = _FIRST_LINE.search(text)
        first_line = found.group(0) if found else ""
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        mark = "," if delimiter == ";" and _DECIMAL_COMMA.search(text) else "."
        self.load_csv_lines(io.StringIO(text, newline=""), delimiter, mark)

    def load_csv_lines(self, lines: Iterable[str], delimiter: str, mark: str) -> None:
        """Validate CSV rows from ``lines`` (split as a file opened with
        ``newline=""`` splits them), one by one."""
        from pydantic import ValidationError

        model = _row_model(self.measures, self.currency, mark)
        validate = model.model_validate
        names = self.names
        null_row: Row = dict.fromkeys(names)
        direct = _fields_are_names(model)  # then a model's __dict__ is the row itself

        reader = csv.reader(lines, delimiter=delimiter, strict=True)
        head = self.csv_header(reader)
        if head is None:
            return
        header, header_row = head
        line = reader.line_num  # lines consumed so far
        width = len(header)
        period_index, key_index, unnamed, columns = self.csv_columns(header, header_row, delimiter)

        rows = 0
        while True:
            row = line + 1
            try:
                record = next(reader, None)
            except csv.Error as exc:
                self.problem(row, None, f"malformed CSV: {exc}")
                break
            if record is None:
                break
            line = reader.line_num
            if len(record) != width:
                if not any(cell.strip() for cell in record):
                    continue  # a blank row
                hint = ""
                if len(record) > width and delimiter == ",":
                    hint = (
                        " (a decimal comma in a ','-separated file? use ';' as delimiter "
                        "or quote the value)"
                    )
                self.problem(
                    row,
                    f"#{width + 1}" if len(record) > width else None,
                    f"row has {len(record)} cells but the header has {width}{hint}",
                )
                continue
            period_text = record[period_index].strip() if period_index is not None else None
            if not period_text and not any(cell.strip() for cell in record):
                continue  # a blank row (only delimiters)
            rows += 1
            for index in unnamed:
                if record[index].strip():
                    self.problem(
                        row, f"#{index + 1}", "a value in a column without a name in the header"
                    )
            values: Row | None
            try:
                if columns:
                    instance = validate({name: record[index] for name, index in columns})
                    values = (
                        instance.__dict__
                        if direct
                        else dict(zip(names, instance.__dict__.values(), strict=True))
                    )
                else:
                    values = dict(null_row)
            except ValidationError as exc:
                self.validation_problems(row, exc)
                values = None
            found = self.csv_key_month(row, record, key_index, period_text)
            if found is None:
                continue
            self.add(found[0], found[1], row, "period", values)
        if rows == 0 and not self.problems:
            self.problem(None, None, "empty file: a header but no data rows")

    # -- JSON

    def load_json(self, text: str) -> None:
        try:
            document = json.loads(
                text,
                parse_float=_json_float,
                parse_int=_json_float,
                parse_constant=_json_constant,
                object_pairs_hook=_Pairs,
            )
        except json.JSONDecodeError as exc:
            self.problem(exc.lineno, None, f"invalid JSON (column {exc.colno}): {exc.msg}")
            return
        except RecursionError:
            self.problem(None, None, "invalid JSON: nested too deeply")
            return
        model = _row_model(self.measures, self.currency, ".")
        self.direct = _fields_are_names(model)
        if isinstance(document, _Pairs):
            if self.by is not None:
                self.problem(
                    None,
                    None,
                    f"--by {self.by} needs the list form: "
                    f'[{{"period": "2026-01", "{self.by}": "...", ...}}, ...]',
                )
                return
            if not document:
                self.problem(None, None, "empty file: no months")
                return
            counts: dict[str, int] = {}
            for month_key, _ in document:
                counts[month_key] = counts.get(month_key, 0) + 1
            reported: set[str] = set()
            for month_key, record in document:
                if counts[month_key] > 1:
                    if month_key not in reported:
                        reported.add(month_key)
                        self.problem(
                            month_key,
                            None,
                            f"duplicate month {month_key!r} (the key appears "
                            f"{counts[month_key]} times)",
                        )
                    continue
                values, _ = self.json_record(month_key, record, model, with_period=False)
                month = self.month(month_key)
                if month is None:
                    self.problem(
                        month_key, None, f"malformed month {month_key!r} (expected YYYY-MM)"
                    )
                    continue
                self.add(None, month, month_key, None, values)
        elif isinstance(document, list):
            if not document:
                self.problem(None, None, "empty file: no records")
                return
            for position, record in enumerate(document):
                where = f"[{position}]"
                values, fields_ = self.json_record(where, record, model, with_period=True)
                if fields_ is None:
                    continue
                key: str | None = None
                if self.by is not None:
                    raw_key = fields_.get(self.by)
                    if not isinstance(raw_key, str) or not raw_key.strip():
                        self.problem(where, self.by, f"missing or empty key {self.by!r} (a string)")
                        continue
                    key = raw_key.strip()
                if "period" not in fields_:
                    self.problem(where, "period", "missing 'period' field")
                    continue
                raw = fields_["period"]
                month = self.month(raw.strip()) if isinstance(raw, str) else None
                if month is None:
                    self.problem(
                        where, "period", f"malformed month {_describe_json(raw)} (expected YYYY-MM)"
                    )
                    continue
                self.add(key, month, where, "period", values)
        else:
            self.problem(
                None,
                None,
                "a JSON data file must be an object keyed by month or a list of records, "
                f"got {_describe_json(document)}",
            )

    def json_record(
        self, where: str, record: object, model: type[BaseModel], *, with_period: bool
    ) -> tuple[Row | None, dict[str, Any] | None]:
        """Validate one JSON record: (its values or None, the record as a dict or None)."""
        from pydantic import ValidationError

        if not isinstance(record, _Pairs):
            self.problem(where, None, f"expected an object of values, got {_describe_json(record)}")
            return None, None
        fields = dict(record)
        ok = True
        if len(fields) != len(record):
            seen: set[str] = set()
            for name, _ in record:
                if name in seen:
                    self.problem(where, name, f"duplicate field {name!r}")
                    ok = False
                seen.add(name)
        data = fields
        if with_period:
            data = {k: v for k, v in fields.items() if k != "period" and k != self.by}
        if not data.keys() <= self.name_set:
            for name in data:
                if name not in self.name_set:
                    self.unknown(where, name, "field")
            data = {k: v for k, v in data.items() if k in self.name_set}
            ok = False
        try:
            instance = model.model_validate(data)
        except ValidationError as exc:
            self.validation_problems(where, exc)
            return None, fields
        if not ok:
            return None, fields
        values = instance.__dict__
        if not self.direct:
            values = dict(zip(self.names, values.values(), strict=True))  # field order
        return values, fields


def load_data(
    path: str | Path,
    measures: Sequence[MeasureSpec],
    *,
    currency: str,
    effective: date | None = None,
    until: date | None = None,
    by: str | None = None,
) -> LoadedData:
    """Read and validate a monthly data file (CSV or JSON, see the module docs).

    Raises :class:`DataError` with every problem found (file, row, column);
    months outside the term ``effective``..``until`` are dropped with warnings
    (``LoadedData.warnings``).  ``by`` names the portfolio key column / field.
    """
    shown = str(path)
    loader = _Loader(shown, measures, currency, effective, until, by)
    if by is not None and (by == "period" or by in loader.names):
        loader.problem(None, by, f"--by {by}: the key cannot be 'period' or a measure")
        return loader.finish()
    try:
        with open(path, "rb") as handle:
            st = os.fstat(handle.fileno())
            if stat.S_ISREG(st.st_mode):
                if st.st_size > MAX_FILE_BYTES:
                    loader.problem(
                        None,
                        None,
                        f"file too large ({st.st_size} bytes; the limit is {MAX_FILE_BYTES} bytes)",
                    )
                    return loader.finish()
                _load_stream(loader, handle)
                return loader.finish()
            raw = handle.read(MAX_FILE_BYTES + 1)  # a pipe or a device: bounded, in memory
    except OSError as exc:
        loader.problem(None, None, f"cannot read the file: {exc.strerror or exc}")
        return loader.finish()
    _load_bytes(loader, raw)
    return loader.finish()


def _load_bytes(loader: _Loader, raw: bytes) -> None:
    if len(raw) > MAX_FILE_BYTES:
        loader.problem(None, None, f"file too large (the limit is {MAX_FILE_BYTES} bytes)")
        return
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        _not_utf8(loader, exc.start, raw[exc.start], raw.count(b"\n", 0, exc.start) + 1)
        return
    stripped = text.lstrip()
    if not stripped:
        loader.problem(None, None, "empty file")
        return
    if stripped[0] in "{[":
        loader.load_json(text)
    else:
        loader.load_csv(text)


def _not_utf8(loader: _Loader, offset: int, byte: int, line: int) -> None:
    loader.problem(
        line,
        None,
        f"not valid UTF-8 (byte 0x{byte:02X} at offset {offset}); save the file as UTF-8",
    )


_CHUNK = 1 << 20


def _load_stream(loader: _Loader, handle: BinaryIO) -> None:
    """A regular file: checked as UTF-8 chunk by chunk, then a JSON document read
    whole, or CSV lines validated as they are read."""
    # 1. UTF-8 (a chunk at a time), and the first character that is not white space
    pos = 3 if handle.read(3) == codecs.BOM_UTF8 else 0
    handle.seek(pos)
    carry = b""
    lines = 0
    first = ""
    while True:
        chunk = handle.read(_CHUNK)
        data = carry + chunk
        try:
            text, used = codecs.utf_8_decode(data, "strict", not chunk)
        except UnicodeDecodeError as exc:
            line = lines + data.count(b"\n", 0, exc.start) + 1
            _not_utf8(loader, pos + exc.start, data[exc.start], line)
            return
        if not first:
            first = text.lstrip()[:1]
        lines += data.count(b"\n", 0, used)
        carry, pos = data[used:], pos + used
        if not chunk:
            break
    if not first:
        loader.problem(None, None, "empty file")
        return
    handle.seek(0)
    if first in "{[":
        loader.load_json(handle.read().decode("utf-8-sig"))
        return
    # 2. the delimiter, from the first line that is not blank; the decimal mark
    delimiter = ","
    for line_text in _text_lines(handle):
        found = _FIRST_LINE.search(line_text)
        if found:
            head = found.group(0)
            delimiter = ";" if head.count(";") > head.count(",") else ","
            break
    mark = "."
    if delimiter == ";":
        handle.seek(0)
        if any(_DECIMAL_COMMA.search(line_text) for line_text in _text_lines(handle)):
            mark = ","
    # 3. the rows; a big file is checked first without keeping them, so that a
    # problem near its end is found without holding every row before it
    if pos > CHECK_FIRST_BYTES:
        loader.keep = False
        handle.seek(0)
        loader.load_csv_lines(_text_lines(handle), delimiter, mark)
        if loader.problems:
            return
        loader.reset()
        loader.keep = True
    handle.seek(0)
    loader.load_csv_lines(_text_lines(handle), delimiter, mark)


def _text_lines(handle: BinaryIO) -> Iterator[str]:
    """The lines of a UTF-8 file (BOM dropped), split as ``newline=""`` splits them."""
    stream = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
    try:
        for line in stream:  # noqa: UP028 - `yield from` would close ``handle`` on close()
            yield line
    finally:
        stream.detach()  # leave ``handle`` open for the caller

