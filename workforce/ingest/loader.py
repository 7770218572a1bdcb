"""Load the files analysts hold into the workforce database: whole or not at all, never in place.

Each file is read by a format adapter (workforce/ingest/adapters: the long template, NHS Digital
workforce, sickness and turnover files, Staff Survey results, levy statements) into the long
template's additive components, streamed by DuckDB's CSV reader; XLSX workbooks are checked and
written out as CSV first (workforce/ingest/readers.py). Then, in SQL (queries/):

    stage → skip (out-of-scope organisations, sub-group rows …, each counted with why)
          → parse → validate (every problem names the file, row, column and value)
          → compare with the database (new, changed old → new, unchanged) → apply, with history

Every write builds a new database file beside the live one (a copy, or a fresh file for the
demo), applies the load there, checkpoints it and swaps it in with os.replace (workforce/ingest/writer.py). A dashboard
holding the old file keeps serving it until its next query; a load that fails — or is killed —
leaves the live file exactly as it was. A lock file serialises writers: a second load waits,
then is refused with a clear message. A rollback is another write through the same path.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import functools
import getpass
import hashlib
import os
import re
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from . import adapters, history, org_reference, readers, survey_workbook
from .adapters import Adapter, UnknownFormat
from .adapters import labels as staff_labels
from ..base.config import Config
from ..base.formatting import plural, uk_datetime
from ..base.db import sql
from ..base.store_backend import StoreError, open_backend, store_target
from .writer import READ_PREFIX, DiskFull, LoadError, connection, is_disk_full

TEMPLATE_COLUMNS = ("period", "org_code", "staff_group", "breakdown", "breakdown_value", "measure", "value")
MAX_PROBLEMS_LISTED = 200
PREVIEW_ROWS = 20
CHANGES_LISTED = 1000
XLSX_MAX_UNCOMPRESSED = 1 << 30
Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class Problem:
    file: str
    row: int
    column: str
    value: str
    problem: str

    def __str__(self) -> str:
        return f"{self.file}, row {self.row}, column {self.column}: '{self.value}' {self.problem}"


class FormatNotRecognised(LoadError):
    """A file's header matches no format (none was named): the command line and the Data page each say how
    to name one."""


class LoadRejected(LoadError):
    """One or more files failed validation; nothing was loaded."""

    def __init__(self, problems: list[Problem], total: int):
        self.problems, self.total = problems, total
        more = f"\n… and {plural(total - len(problems), 'more problem')}" if total > len(problems) else ""
        super().__init__(f"rejected: {plural(total, 'problem')}; nothing was loaded\n"
                         + "\n".join(str(p) for p in problems) + more)

    def __reduce__(self):  # picklable: sent back from a child process (workforce.ingest.isolated)
        return LoadRejected, (self.problems, self.total)


@dataclass
class FileReport:
    file: str
    format: str
    sha256: str
    rows_in: int = 0  # template rows the file became (after skips)
    rows_missing: int = 0
    rows_new: int = 0
    rows_changed: int = 0
    rows_unchanged: int = 0
    rows_skipped: int = 0  # rows of the file (a publication's), not figures
    notes: list[str] = field(default_factory=list)
    load_id: int | None = None
    file_rows: int | None = None  # a publication's data rows (each may become several figures)
    already_loaded_as: int | None = None
    changes: pd.DataFrame = field(default_factory=pd.DataFrame)
    new_rows: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def rows_loaded(self) -> int:
        return self.rows_new + self.rows_changed

    def summary(self) -> str:
        if self.already_loaded_as is not None:
            return f"{self.file}: already loaded as load {self.already_loaded_as}; nothing changed"
        head = f"{self.file} ({self.format}): {self.rows_in:,} rows"
        if self.file_rows is not None:  # a publication: its rows become figures, and skips are file rows
            head = f"{self.file} ({self.format}): {self.file_rows:,} file rows → {self.rows_in:,} figures"
        parts = [f"{self.rows_new:,} new", f"{self.rows_changed:,} changed", f"{self.rows_unchanged:,} unchanged"]
        if self.rows_missing:
            parts.append(f"{self.rows_missing:,} held as missing (suppressed or blank)")
        if self.rows_skipped:
            parts.append(f"{self.rows_skipped:,} {'file rows ' if self.file_rows is not None else ''}skipped")
        tail = f" — load {self.load_id}" if self.load_id is not None else ""
        notes = "".join(f"\n  note: {n}" for n in self.notes)
        return f"{head}: " + ", ".join(parts) + tail + notes


@dataclass
class FileCheck:
    """Everything the Data page shows about one file before it is loaded."""

    file: str
    format: str | None = None
    format_label: str = ""
    report: FileReport | None = None
    problems: list[Problem] = field(default_factory=list)
    total_problems: int = 0
    error: str | None = None
    format_unknown: bool = False  # the error: no format matches the header
    preview: pd.DataFrame = field(default_factory=pd.DataFrame)
    fact_empty: bool = field(default=False, repr=False)  # the database held no figures when checked

    @property
    def ok(self) -> bool:
        return self.error is None and self.total_problems == 0

    def problems_frame(self) -> pd.DataFrame:
        return pd.DataFrame([vars(p) for p in self.problems], columns=["file", "row", "column", "value", "problem"])


@dataclass
class LoadResult:
    files: list[FileReport]
    dry_run: bool

    def summary(self) -> str:
        lead = "Dry run — nothing written.\n" if self.dry_run else ""
        return lead + "\n".join(f.summary() for f in self.files)


@dataclass
class RollbackResult:
    load_id: int
    file: str
    rows_removed: int
    rows_restored: int
    dry_run: bool = False

    def summary(self) -> str:
        verb = "would remove" if self.dry_run else "removed"
        restore = "would restore" if self.dry_run else "restored"
        lead = "Dry run — nothing written.\n" if self.dry_run else ""
        state = "" if self.dry_run else "; marked 'rolled back'"
        return (f"{lead}load {self.load_id} ({self.file}): {verb} {self.rows_removed:,} figures it added, "
                f"{restore} {self.rows_restored:,} figures it had replaced{state}")


def _run(con: duckdb.DuckDBPyConnection, name: str, **params) -> duckdb.DuckDBPyConnection:
    """Run queries/<name>.sql with the $named parameters it uses (others are ignored)."""
    text = sql(name)
    return con.execute(text, {k: v for k, v in params.items() if k in _parameters(name)})


@functools.lru_cache(maxsize=None)
def _parameters(name: str) -> frozenset[str]:
    code = "\n".join(line.split("--", 1)[0] for line in sql(name).splitlines())
    return frozenset(re.findall(r"\$([a-z_0-9]+)", code))


# ---------------------------------------------------------------- reading a file into `staged`
@dataclass
class _Staged:
    adapter: Adapter
    header: list[str]
    sha256: str
    read_note: str = ""
    first_row: int = 2  # the row number of the first data row when rows are numbered by their order


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _clean_duckdb_error(exc: Exception, name: str, source: readers.Source) -> str:
    """DuckDB's CSV errors as one line a person can act on."""
    text = str(exc)
    line = re.search(r"CSV Error on Line: (\d+)", text)
    original = re.search(r"Original Line: (.*)", text)
    where = f"{name}, row {line.group(1)}" if line and not source.numbered else name
    if "Expected Number of Columns" in text:
        found = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", text)
        detail = (f"{found.group(2)} cells where the header has {found.group(1)} — a truncated or misaligned row"
                  if found else "a row with the wrong number of cells")
    elif "unterminated quote" in text:
        detail = 'a quotation mark (") opens a value that never closes'
    elif "Maximum line size" in text or "maximum line size" in text:
        detail = "a line longer than the CSV reader allows (is it really a CSV file?)"
    else:
        detail = "could not be read as CSV: " + text.strip().splitlines()[0].removeprefix("Invalid Input Error: ")
    shown = f" — the row reads: {original.group(1)[:80]!r}" if original and "Expected Number" in text else ""
    return f"{where}: {detail}{shown}"


def _stage_source(con: duckdb.DuckDBPyConnection, source: readers.Source, adapter: Adapter,
                  config: Config, name: str, org: str = "") -> None:
    names = adapter.names(source.header) if not source.numbered else \
        ["source_row"] + adapter.names(source.header)
    params = {
        "path": str(source.path), "columns": {n: "VARCHAR" for n in names}, "skip": source.skip,
        "all_staff_groups": config.all_staff_groups_label, "measures": [m.id for m in config.measures],
        "org": org.strip().upper() if adapter.org_at_load else "",
        **adapter.staging_params(adapter.present(source.header)),
    }
    _run(con, "ingest/parse/drop_temp_parsed_base")
    if adapter.query == "ingest/stage/stage_csv" and _stage_direct(con, "ingest/stage/insert_direct_parsed_base", params):
        return
    if _run(con, "ingest/parse/parsed_in_database").fetchone()[0]:
        _run(con, "ingest/stage/drop_direct_parsed_base")
    _run(con, adapter.query, **params)
    if adapter.period == "range":  # a month two periods give: the later period's figure is kept
        _run(con, "ingest/stage/skip_overlapping_periods")


def _stage_direct(con: duckdb.DuckDBPyConnection, insert: str, params: dict) -> bool:
    """The first load into an empty database being written: stage a template file (or the demo's
    frame) straight into it, where its rows stay once checked (ingest/apply/adopt_*.sql), instead of
    copying them there. `insert` is the query that fills the table."""
    direct, load_id = _run(con, "ingest/stage/direct_staging").fetchone()
    if not direct:
        return False
    _run(con, "ingest/stage/create_direct_parsed_base")
    try:
        _run(con, insert, load_id=load_id, **params)
    except duckdb.ConstraintException:  # e.g. a month that is not one: the usual staging names the rows
        _run(con, "ingest/stage/drop_direct_parsed_base")
        return False
    return True


def _needs_org(adapter: Adapter, name: str, org: str) -> None:
    if adapter.org_at_load and not org.strip():
        raise LoadError(f"{name}: an {adapter.label} names no organisation — say whose account it is "
                        "(--org CODE, or the organisation field on the Load data page)")


def _stage_file(con: duckdb.DuckDBPyConnection, path: Path, name: str, config: Config, fmt: str | None,
                work: Path, org: str = "") -> _Staged:
    """Read one file into `staged` with its adapter; LoadError with a clear message if it cannot be."""
    kind = readers.sniff(path, name)
    if kind == "xlsx":
        source = readers.xlsx_to_csv(path, work / "sheet.csv", name, adapters.recognises, XLSX_MAX_UNCOMPRESSED)
        if not adapters.recognises(source.header):  # no one sheet has it all: the Staff Survey workbook?
            source = survey_workbook.survey_workbook_to_csv(path, work / "survey.csv", name) or source
        adapter = adapters.choose(source.header, name, fmt)
        readers.check_header(source.header, name)
        _needs_org(adapter, name, org)
        try:
            _stage_source(con, source, adapter, config, name, org)
        except duckdb.Error as exc:
            raise LoadError(_clean_duckdb_error(exc, name, source)) from None
        return _Staged(adapter, source.header, _sha256(path), source.note, source.skip + 2)

    header, skip, encoding = readers.csv_header(path, adapters.recognises)
    adapter = adapters.choose(header, name, fmt)
    readers.check_header(header, name)  # a recognised header naming a column twice: which to read?
    _needs_org(adapter, name, org)
    scan = readers.FileScan(path)  # checksum and blank lines, read while DuckDB stages the file
    note = f"header found on row {skip + 1}" if skip else ""
    source = readers.Source(path=path, header=header, skip=skip)
    rewrite_reason = None
    if encoding != "utf-8":
        rewrite_reason = encoding
    else:
        try:
            _stage_source(con, source, adapter, config, name, org)
        except duckdb.Error as exc:
            if "unicode" not in str(exc).lower() and "encod" not in str(exc).lower():
                scan.result()
                raise LoadError(_clean_duckdb_error(exc, name, source)) from None
            rewrite_reason = "cp1252"
    scan.result()
    if rewrite_reason is None and scan.lines > skip + 1 + _file_rows(con, adapter, skip):
        rewrite_reason = "blank lines"  # or values over several lines: number the rows as records
    if rewrite_reason:
        # another encoding, or blank lines between rows: rewrite it numbered, so rows keep their numbers
        target = work / "rewritten.csv"
        text_encoding = rewrite_reason if rewrite_reason in ("utf-16", "cp1252") else "utf-8"
        header = readers.rewrite_csv(path, target, text_encoding, skip, name)
        source = readers.Source(path=target, header=header, skip=0, numbered=True)
        try:
            _stage_source(con, source, adapter, config, name, org)
        except duckdb.Error as exc:
            raise LoadError(_clean_duckdb_error(exc, name, source)) from None
        if text_encoding != "utf-8":
            note = "; ".join(filter(None, [note, f"read as {'UTF-16' if text_encoding == 'utf-16' else 'Windows-1252'} text"]))
    return _Staged(adapter, header, scan.sha256, note, source.skip + 2)


def _file_rows(con: duckdb.DuckDBPyConnection, adapter: Adapter, skip: int) -> int:
    """How many data rows DuckDB read from the file (it skips blank lines)."""
    if adapter.query == "ingest/stage/stage_csv":
        return _run(con, "ingest/parse/count_parsed_base").fetchone()[0]
    last = _run(con, "ingest/stage/last_staged_row").fetchone()[0]
    return 0 if last is None else last - skip - 1


# ---------------------------------------------------------------- skipping, parsing, validating
def _skip_and_map(con: duckdb.DuckDBPyConnection, staged: _Staged, config: Config) -> tuple[int, list[str]]:
    """Mark the rows not to load (with why), map staff-group labels; (rows skipped, notes)."""
    adapter = staged.adapter
    if adapter.query == "ingest/stage/stage_csv":  # the template is loaded as written: nothing is skipped
        return 0, []
    _run(con, "ingest/stage/staged_orgs")  # every organisation the file lists, with its metadata (docs/formats.md)
    if not adapter.national:
        org_reference.reset(con)  # only a national publication's own list makes its organisations known
    labels = [r[0] for r in _run(con, "ingest/stage/staged_staff_groups").fetchall()]
    raw, mapped, skip = staff_labels.map_labels(labels, config, adapter.labels)
    if raw:
        kept = [m for m, why in zip(mapped, skip) if why is None]
        if len(kept) > len(set(kept)):  # one group written two ways ('HCHS Doctors', 'HCHS doctors')
            _run(con, "ingest/stage/skip_respelled_groups", raw=raw, label=mapped, skip=skip)
        _run(con, "ingest/stage/apply_label_map", raw=raw, label=mapped, skip=skip)
    skipped, notes = 0, []
    for reason, rows, first_row, examples, organisations in _run(con, "ingest/stage/count_skipped").fetchall():
        skipped += rows
        extra = ""
        if reason.startswith("an organisation outside"):
            extra = f" — {plural(organisations, 'organisation')}, e.g. {', '.join(examples)}"
        notes.append(f"{plural(rows, 'row')} skipped (first at row {first_row}): {reason}{extra}")
    if skipped:
        _run(con, "ingest/stage/delete_skipped")
    return skipped, notes


def _parse(con: duckdb.DuckDBPyConnection, staged: _Staged) -> None:
    """`parsed_base` from `staged` (the template's staging writes it directly), and the `parsed` view."""
    present = staged.adapter.present(staged.header)
    if staged.adapter.has_detail(present):
        _run(con, "ingest/stage/aggregate_staged")
        _run(con, "ingest/stage/drop_staging")
        _run(con, "ingest/stage/use_staged_total")
    if staged.adapter.query != "ingest/stage/stage_csv":
        _run(con, "ingest/parse/parse_staged")
        _run(con, "ingest/stage/drop_staging")
    _parsed_view(con, staged.first_row, lean=staged.adapter.query == "ingest/stage/stage_csv")


def _parsed_view(con: duckdb.DuckDBPyConnection, first_row: int, lean: bool) -> None:
    _run(con, "ingest/stage/set_file_info", first_row=first_row)
    _run(con, "ingest/parse/create_parsed_view_template" if lean else "ingest/parse/create_parsed_view")


def _validation_params(config: Config, adapter: Adapter | None = None) -> dict:
    limited = [m for m in config.measures if m.at_most]
    # a count of people must be a whole number, except one the adapter works out from a published
    # percentage or score (52.5% of 2,950 respondents is 1,548.75: an estimate, kept as published)
    derived = {m.measure for m in (adapter.melts if adapter else ()) if m.kind in ("percent", "score")}
    return {
        "orgs": [o.code for o in config.organisations],
        "staff_groups": config.staff_group_names + [config.all_staff_groups_label],
        "measures": [m.id for m in config.measures],
        "breakdowns": [""] + [b.id for b in config.breakdowns for _ in b.values],
        "breakdown_values": [""] + [v for b in config.breakdowns for v in b.values],
        "latest_month": dt.date.today().replace(day=1),
        "whole_measures": [m.id for m in config.measures if m.unit == "people" and m.id not in derived],
        "at_most_measure": [m.id for m in limited],
        "at_most_limit": [m.at_most for m in limited],
        # a month's flow (leavers) may exceed the stock at the month's end (everyone left): it is
        # checked against the larger of the stock at the end of this month and of the month before
        "at_most_shift": [m.kind == "flow" and config.measure_by_id[m.at_most].kind == "stock" for m in limited],
        "all_staff_groups": config.all_staff_groups_label,
        "max_problems": MAX_PROBLEMS_LISTED,
    }


def _breakdown_value_list(config: Config) -> list[str]:
    """Every breakdown value config.yaml knows, and '' (totals): the bit positions of summarise_keys."""
    values = list(dict.fromkeys([""] + [v for b in config.breakdowns for v in b.values]))
    if len(values) > 63:
        raise LoadError("config.yaml: more than 62 breakdown values in all; the duplicate check allows 62")
    return values


def _suggestion(problem: str, value: str, config: Config) -> str:
    known = {"unknown organisation code": [o.code for o in config.organisations],
             "unknown staff group": config.staff_group_names + [config.all_staff_groups_label],
             "unknown measure": [m.id for m in config.measures]}.get(problem)
    if not known:
        return problem
    close = difflib.get_close_matches(value, known, n=1, cutoff=0.6)
    if not close and problem == "unknown staff group":
        close = difflib.get_close_matches(value.lower(), [k.lower() for k in known], n=1, cutoff=0.6)
        close = [next(k for k in known if k.lower() == close[0])] if close else []
    return f"{problem} (did you mean '{close[0]}'?)" if close else problem


@dataclass
class _Profile:
    rows_in: int
    rows_missing: int
    measures: list[str]
    whole_org_rows: int
    breakdown_rows: int
    problem_rows: int  # rows with a problem of their own (not a number, negative, bad period …)
    unknown: dict[str, list]  # unknown values by kind, for validate_rows

    @property
    def clean(self) -> bool:
        return not self.problem_rows and not any(self.unknown.values())


def _profile(con: duckdb.DuckDBPyConnection, config: Config, adapter: Adapter) -> _Profile:
    """Summarise the parsed file once (key_summary) and profile it from the summary."""
    params = _validation_params(config, adapter)
    params["orgs"] = params["orgs"] + org_reference.known_orgs(con)  # every organisation a national file lists
    values = _breakdown_value_list(config)
    masks = {"": 1}
    for b in config.breakdowns:
        masks[b.id] = sum(1 << values.index(v) for v in b.values)
    _run(con, "ingest/validate/summarise_keys", breakdown_value_list=values, **params)
    row = _run(con, "ingest/parse/profile_parsed", breakdown_ids=list(masks), breakdown_masks=list(masks.values()),
               **params).fetchone()
    (rows_in, missing, measures, whole, breakdown_rows, *counts, orgs, groups, measure_ids, unknown_pairs) = row
    keys = _run(con, "ingest/validate/unknown_breakdowns", **params).fetchone()[0] if unknown_pairs else []
    return _Profile(rows_in, missing, list(measures or []), whole, breakdown_rows, sum(counts) + unknown_pairs,
                    {"bad_orgs": list(orgs), "bad_staff_groups": list(groups), "bad_measures": list(measure_ids),
                     "bad_breakdown_keys": list(keys)})


def _validate(con: duckdb.DuckDBPyConnection, config: Config, name: str, staged: _Staged,
              profile: _Profile) -> tuple[list[Problem], int]:
    """Every problem in the parsed file (the first MAX_PROBLEMS_LISTED of each check) and their count.

    Checks that cannot find anything in this file (no problem rows in the profile, no limited
    measures, no breakdown rows, no repeated keys) are not run, so a
    clean large file costs few passes.
    """
    params = _validation_params(config, staged.adapter)
    display = staged.adapter.display(staged.header)
    for field_name, column in staged.adapter.sources.items():
        if column in display:
            display[field_name] = display[column]
    results = []
    if not profile.clean:
        results.append(_run(con, "ingest/validate/validate_rows", **params, **profile.unknown).fetchall())
    checks = []
    if _run(con, "ingest/validate/count_repeated_keys").fetchone()[0]:
        checks.append("ingest/validate/validate_duplicates")
    if {m.id for m in config.measures if m.at_most} & set(profile.measures):
        checks.append("ingest/validate/validate_at_most")
    if profile.breakdown_rows and profile.breakdown_rows < profile.rows_in:
        checks.append("ingest/validate/validate_breakdown_sums")
    if not _run(con, "ingest/apply/fact_is_empty").fetchone()[0]:  # totals and breakdowns across loads
        checks.append("ingest/validate/validate_breakdown_sums_held")
    results += [_run(con, check, **params).fetchall() for check in checks]
    _run(con, "ingest/validate/drop_key_summary")
    problems, total = [], 0
    for rows in results:
        total += rows[0][4] if rows else 0
        for row_no, column, value, problem, _ in rows:
            shown = display.get(column, column)
            problems.append(Problem(name, int(row_no), shown, str(value), _suggestion(problem, str(value), config)))
    problems.sort(key=lambda p: (p.row, p.column))
    return problems[:MAX_PROBLEMS_LISTED], total


def _report(con: duckdb.DuckDBPyConnection, name: str, fmt: str, sha: str, profile: _Profile,
            fact_empty: bool) -> FileReport:
    report = FileReport(file=name, format=fmt, sha256=sha, rows_in=profile.rows_in, rows_missing=profile.rows_missing)
    if fact_empty:
        report.rows_new = profile.rows_in
        preview = _run(con, "ingest/parse/preview_parsed", limit=CHANGES_LISTED).df()
        report.new_rows = preview.drop(columns=["value"]).rename(columns={"row": "row_no", "number": "value"})
        return report
    _run(con, "ingest/apply/compute_changes")
    report.rows_new, report.rows_changed = _run(con, "ingest/apply/change_counts").fetchone()
    report.rows_unchanged = profile.rows_in - report.rows_new - report.rows_changed
    report.changes = _run(con, "ingest/apply/changed_values", limit=CHANGES_LISTED).df()
    report.new_rows = _run(con, "ingest/apply/new_values", limit=CHANGES_LISTED).df()
    return report


# A first load staged straight into an empty database becomes its fact table in place, in this order
ADOPT_STEPS = ("ingest/apply/adopt_drop_empty_fact", "ingest/apply/adopt_drop_row_numbers",
               "ingest/apply/adopt_drop_month_texts", "ingest/apply/adopt_drop_value_texts",
               "ingest/apply/adopt_as_fact")


def _apply(con: duckdb.DuckDBPyConnection, report: FileReport, loaded_by: str, fact_empty: bool = False) -> None:
    load_id = con.execute(sql("ingest/apply/next_load_id")).fetchone()[0]
    if fact_empty and _run(con, "ingest/parse/parsed_in_database").fetchone()[0]:
        for step in ADOPT_STEPS:  # the rows staged straight into the database become its fact table
            _run(con, step)
    elif fact_empty:
        _run(con, "ingest/apply/insert_parsed", load_id=load_id)
    else:
        for name in ("ingest/apply/record_history", "ingest/apply/delete_replaced", "ingest/apply/insert_loaded"):
            _run(con, name, load_id=load_id)
    now = dt.datetime.now().replace(microsecond=0)
    _run(con, "ingest/apply/insert_load", load_id=load_id, file=report.file, sha256=report.sha256, format=report.format,
         rows_in=report.rows_in, rows_loaded=report.rows_loaded, rows_rejected=0,
         rows_missing=report.rows_missing, rows_new=report.rows_new, rows_changed=report.rows_changed,
         rows_unchanged=report.rows_unchanged, rows_skipped=report.rows_skipped,
         notes="\n".join(report.notes), loaded_at=now, loaded_by=loaded_by, status="loaded")
    org_reference.record(con, load_id)
    _run(con, "ingest/apply/set_meta", key="data_generation", value=str(load_id))
    _run(con, "ingest/apply/set_meta", key="last_loaded_at", value=now.isoformat())
    report.load_id = load_id


def _check_file(con: duckdb.DuckDBPyConnection, path: Path, name: str, config: Config,
                fmt: str | None, step: Progress | None = None, org: str = "") -> tuple[FileCheck, _Staged | None]:
    """Stage, skip, parse, validate and compare one file (nothing applied). LoadError if unreadable.

    step(fraction of this file, message) reports progress through the file's stages."""
    step = step or (lambda fraction, message: None)
    check = FileCheck(file=name)
    org_reference.reset(con)
    step(0.0, f"Reading {name}")
    with tempfile.TemporaryDirectory(prefix=f"{READ_PREFIX}{os.getpid()}-") as work:
        try:
            staged = _stage_file(con, path, name, config, fmt, Path(work), org)
        except readers.UnreadableFile as exc:
            raise LoadError(str(exc)) from None
        except UnknownFormat as exc:
            raise (LoadError if fmt else FormatNotRecognised)(str(exc)) from None
    check.format, check.format_label = staged.adapter.name, staged.adapter.label
    step(0.45, f"Checking {name} ({staged.adapter.label})")
    file_rows = None if staged.adapter.query == "ingest/stage/stage_csv" else _run(con, "ingest/stage/count_file_rows").fetchone()[0]
    skipped, notes = _skip_and_map(con, staged, config)
    notes += org_reference.disagreement_notes(con, config)
    if staged.read_note:
        notes.insert(0, f"read from {staged.read_note}")
    _parse(con, staged)
    profile = _profile(con, config, staged.adapter)
    if not profile.clean and staged.adapter.query == "ingest/stage/stage_csv":
        _run(con, "ingest/parse/tidy_parsed")  # forgive stray spaces and case in a template, then look again
        profile = _profile(con, config, staged.adapter)
    if profile.rows_in == 0:
        why = ("; ".join(notes)) if notes else "the file has a header but no data rows"
        raise LoadError(f"{name}: nothing to load — {why}")
    check.preview = _run(con, "ingest/parse/preview_parsed", limit=PREVIEW_ROWS).df()
    check.problems, check.total_problems = _validate(con, config, name, staged, profile)
    if check.total_problems:
        return check, staged
    step(0.75, f"Comparing {name} with the database")
    fact_empty = bool(_run(con, "ingest/apply/fact_is_empty").fetchone()[0])
    report = _report(con, name, staged.adapter.name, staged.sha256, profile, fact_empty)
    report.rows_skipped, report.notes, report.file_rows = skipped, notes, file_rows
    check.report, check.fact_empty = report, fact_empty
    return check, staged


def _guarded(name: str, step: Callable[[], object]) -> object:
    """Run a step; any error that is not already a clear LoadError becomes one (never a traceback).

    Errors reading a damaged file are reported as such; anything else is reported as an internal
    error to be fixed (the fuzz tests check that none occurs).
    """
    try:
        return step()
    except LoadError:
        raise
    except duckdb.Error as exc:
        if is_disk_full(exc):
            raise DiskFull(f"{name}: the disk is full (temporary folder {tempfile.gettempdir()}); "
                           "nothing was changed — free some space and try again") from None
        raise LoadError(f"{name}: could not be read ({_first_line(exc)})") from None
    except (OSError, UnicodeError, MemoryError, RecursionError, EOFError, csv.Error, zipfile.BadZipFile) as exc:
        if is_disk_full(exc):
            raise DiskFull(f"{name}: the disk is full (temporary folder {tempfile.gettempdir()}); "
                           "nothing was changed — free some space and try again") from None
        raise LoadError(f"{name}: could not be read ({exc.__class__.__name__}: {_first_line(exc)[:200]})") from None
    except Exception as exc:  # a bug: still no traceback for the user, but say what it was
        raise LoadError(f"{name}: could not be loaded because of an internal error "
                        f"({exc.__class__.__name__}: {_first_line(exc)[:200]}); please report it") from None


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else exc.__class__.__name__


# ---------------------------------------------------------------- real and synthetic never mix
class SyntheticDatabase(LoadError):
    """A file was to be loaded into the synthetic demo database: refused, nothing changed."""


def _refuse_synthetic(con: duckdb.DuckDBPyConnection, db_path: Path, config: Config) -> None:
    """Real figures are never loaded into the synthetic demo (only its generator writes it)."""
    if _run(con, "base/is_synthetic").fetchone()[0]:
        raise SyntheticDatabase(f"{db_path} is the synthetic demo database, and real files are never loaded into "
                                f"it; start a real database with: python -m workforce load FOLDER/ "
                                f"(it writes {config.db_path})")


def in_date_order(paths: list[str | Path], config: Config) -> list[Path]:
    """Files sorted by the months their figures are for (first, then last month; then name), so a
    folder of publications loads oldest first. A file that cannot be read keeps its place at the
    front: the load then names its problem."""
    def months(path: Path) -> tuple:
        with connection(None, write=False) as con:
            try:
                _guarded(path.name, lambda: _check_file(con, path, path.name, config, None))
                first, last = _run(con, "ingest/parse/parsed_months").fetchone()
            except LoadError:
                return (dt.date.min, dt.date.min, path.name)
        return (first or dt.date.min, last or dt.date.min, path.name)

    return sorted((Path(p) for p in paths), key=months)


# ---------------------------------------------------------------- public entry points
def _inputs(paths: list[str | Path], names: list[str] | None) -> list[tuple[Path, str]]:
    files = [Path(p) for p in paths]
    shown = list(names) if names else [p.name for p in files]
    if len(shown) != len(files):
        raise ValueError("one display name per file")
    for path, name in zip(files, shown):
        if not path.is_file():
            raise LoadError(f"{name}: no such file")
    return list(zip(files, shown))


def check_files(paths: list[str | Path], config: Config, *, db_path: str | Path | None = None,
                names: list[str] | None = None, fmt: str | None = None,
                progress: Progress | None = None, org: str = "") -> list[FileCheck]:
    """Dry-run each file and report everything about it (format, preview, problems, changes); never raises
    for a bad file — its FileCheck carries the error. Nothing is written."""
    db_path = Path(db_path) if db_path else config.db_path
    progress = progress or (lambda fraction, message: None)
    checks = []
    files = _inputs(paths, names)
    with connection(db_path, write=False) as con:
        try:
            _refuse_synthetic(con, db_path, config)
        except SyntheticDatabase as exc:
            return [FileCheck(file=name, error=str(exc)) for _, name in files]
        for i, (path, name) in enumerate(files):
            def step(fraction: float, message: str, i: int = i) -> None:
                progress((i + fraction) / len(files), message)
            try:
                check, _ = _guarded(name, lambda: _check_file(con, path, name, config, fmt, step, org))
            except LoadError as exc:
                check = FileCheck(file=name, error=str(exc), format_unknown=isinstance(exc, FormatNotRecognised))
            checks.append(check)
    progress(1.0, "Checked")
    return checks


def load_files(paths: list[str | Path], config: Config, *, db_path: str | Path | None = None,
               dry_run: bool = False, loaded_by: str | None = None, names: list[str] | None = None,
               fmt: str | None = None, progress: Progress | None = None,
               wait_seconds: float = 30, org: str = "") -> LoadResult:
    """Validate and load files (any supported format); all of them or none.

    names: how to call each file in messages and the history (uploads are stored under generated
    names); fmt: an adapter name to use instead of detecting the format from the header; org: the
    organisation of a file that names none (the apprenticeship service's transaction download).
    """
    files = _inputs(paths, names)
    db_path = Path(db_path) if db_path else config.db_path
    who = loaded_by or getpass.getuser()
    progress = progress or (lambda fraction, message: None)
    if fmt:
        try:
            adapters.by_name(fmt)
        except UnknownFormat as exc:
            raise LoadError(str(exc)) from None
    with connection(db_path, write=not dry_run, wait_seconds=wait_seconds, lock=_store_lock(config)) as con:
        _refuse_synthetic(con, db_path, config)
        reports, problems, total, seen = [], [], 0, {}
        for i, (path, name) in enumerate(files):
            share = 1 / len(files)

            def step(fraction: float, message: str, i: int = i) -> None:
                progress((i + 0.7 * fraction) * share, message)
            check, _ = _guarded(name, lambda: _check_file(con, path, name, config, fmt, step, org))
            problems += check.problems
            total += check.total_problems
            if check.total_problems:
                continue
            report = check.report
            if report.sha256 in seen:
                report.already_loaded_as = None
                report.notes.append(f"the same content as {seen[report.sha256]} in this load; not loaded twice")
                report.rows_new = report.rows_changed = 0
                report.rows_unchanged = report.rows_in
                reports.append(report)
                continue
            seen[report.sha256] = name
            earlier = _run(con, "ingest/apply/load_by_checksum", sha256=report.sha256).fetchone()
            if earlier and report.rows_loaded == 0:
                report.already_loaded_as = earlier[0]
            elif not dry_run and total == 0:
                progress((i + 0.7) * share, f"Writing {name}")
                _guarded(name, lambda: _apply(con, report, who, check.fact_empty))
            reports.append(report)
        if total:
            raise LoadRejected(problems[:MAX_PROBLEMS_LISTED], total)
        if not dry_run and _run(con, "ingest/parse/parsed_in_database").fetchone()[0]:
            _run(con, "ingest/stage/drop_direct_parsed_base")  # staged straight in but not loaded: not kept in the file
        landed = _landed(con, [r.load_id for r in reports if r.load_id is not None]) if not dry_run else None
        progress(0.98, "Swapping in the new database" if not dry_run else "Done")
    if landed and landed.loads:
        _record(config, db_path, landed, "load", who)
    progress(1.0, "Done")
    return LoadResult(reports, dry_run)


def _store_lock(config: Config):
    """The store's writer lock: PostgreSQL's advisory lock for a cluster (any machine's load waits)."""
    return open_backend(store_target(config)).writer_lock


def _landed(con: duckdb.DuckDBPyConnection, load_ids: list[int]) -> history.Landed:
    """What this write leaves in the database, read before the swap: the file's id (given it now if it
    has none), the data generation and the load rows of `load_ids`."""
    _run(con, "ingest/apply/database_id")
    meta = dict(_run(con, "base/meta").fetchall())
    rows = _run(con, "ingest/rollback/load_history").df().sort_values("load_id")
    return history.Landed(meta["database_id"], meta.get("data_generation", ""),
                          rows[rows["load_id"].isin(load_ids)].to_dict(orient="records"))


def _record(config: Config, db_path: Path, landed: history.Landed, action: str, who: str,
            extra: dict | None = None) -> None:
    """The load in the store's record, for every machine of the cluster to see. The load has landed
    whatever happens here: a store that does not answer costs the record (the database file's own history
    stands in for it, and says so), said on standard error."""
    try:
        history.record(open_backend(store_target(config)), db_path, landed, action, who, extra)
    except StoreError as exc:
        print(f"note: the {action} landed but was not recorded in the store: {exc}", file=sys.stderr)


def load_frame(frame: pd.DataFrame, config: Config, *, db_path: str | Path | None = None,
               name: str = "frame", fmt: str = "template", fresh: bool = False,
               meta: dict[str, str] | None = None, loaded_by: str | None = None) -> LoadResult:
    """Validate and load a data frame in the long template (the demo generator's path)."""
    db_path = Path(db_path) if db_path else config.db_path
    sha = hashlib.sha256(pd.util.hash_pandas_object(frame, index=False).values.tobytes()).hexdigest()
    with connection(db_path, write=True, fresh=fresh, lock=_store_lock(config)) as con:
        # as Arrow: categorical columns reach DuckDB as dictionaries (national demo: a quarter less CPU to stage)
        con.register("frame", pa.Table.from_pandas(frame, preserve_index=False))
        _run(con, "ingest/stage/create_frame_rows")
        if not _stage_direct(con, "ingest/stage/insert_direct_frame", {}):
            _run(con, "ingest/stage/stage_frame")
        con.unregister("frame")
        _parsed_view(con, 2, lean=True)
        template = _Staged(adapters.BY_NAME["template"], list(TEMPLATE_COLUMNS), sha)
        profile = _profile(con, config, template.adapter)
        problems, total = _validate(con, config, name, template, profile)
        if total:
            raise LoadRejected(problems, total)
        fact_empty = bool(_run(con, "ingest/apply/fact_is_empty").fetchone()[0])
        report = _report(con, name, fmt, sha, profile, fact_empty)
        who = loaded_by or getpass.getuser()
        _apply(con, report, who, fact_empty)
        for key, value in (meta or {}).items():
            _run(con, "ingest/apply/set_meta", key=key, value=value)
        landed = _landed(con, [report.load_id])
    _record(config, db_path, landed, "load", who)
    return LoadResult([report], dry_run=False)


def rollback(load_id: int, config: Config, *, db_path: str | Path | None = None, by: str | None = None,
             dry_run: bool = False, wait_seconds: float = 30) -> RollbackResult:
    """Undo one load: remove the figures it added, restore the values it replaced, mark it 'rolled back'.

    Refused (LoadError naming the load) when a later load still in force changed any of its figures.
    """
    db_path = Path(db_path) if db_path else config.db_path
    who = by or getpass.getuser()
    with connection(db_path, write=not dry_run, wait_seconds=wait_seconds, lock=_store_lock(config)) as con:
        target = _run(con, "ingest/rollback/rollback_target", load_id=load_id).fetchone()
        if target is None:
            raise LoadError(f"there is no load {load_id}")
        _, file, status, _, rolled_at, rolled_by = target
        if status != "loaded":
            raise LoadError(f"load {load_id} ({file}) was already rolled back"
                            + (f" on {uk_datetime(rolled_at)} by {rolled_by}" if rolled_at else ""))
        blockers = _run(con, "ingest/rollback/rollback_blockers", load_id=load_id).fetchall()
        if blockers:
            later = "; ".join(f"load {b[0]} ({b[1]}, {plural(b[3], 'figure')})" for b in blockers)
            raise LoadError(f"load {load_id} ({file}) cannot be rolled back: figures it loaded were changed "
                            f"since by {later}, still in force. Roll back load {blockers[0][0]} first.")
        _refuse_impossible_result(con, config, load_id, file)
        removed, restored = _run(con, "ingest/rollback/rollback_counts", load_id=load_id).fetchone()
        if not dry_run:
            _run(con, "ingest/rollback/rollback_delete", load_id=load_id)
            _run(con, "ingest/rollback/rollback_restore", load_id=load_id)
            now = dt.datetime.now().replace(microsecond=0)
            _run(con, "ingest/rollback/rollback_mark", load_id=load_id, at=now, by=who)
            _run(con, "ingest/apply/set_meta", key="data_generation", value=f"{load_id}-rolled-back-{now:%Y%m%d%H%M%S}")
            _run(con, "ingest/apply/set_meta", key="last_loaded_at", value=now.isoformat())
            landed = _landed(con, [load_id])
    if not dry_run:
        _record(config, db_path, landed, "rollback", who,
                {"rows_removed": int(removed), "rows_restored": int(restored)})
    return RollbackResult(load_id, file, int(removed), int(restored), dry_run)


def _refuse_impossible_result(con: duckdb.DuckDBPyConnection, config: Config, load_id: int, file: str) -> None:
    """The loader's checks on what a rollback would leave: restoring an older value must not put a
    later load's figure above its limit (leavers 800 beside a restored headcount of 303)."""
    _refuse_breakdowns_above_totals(con, load_id, file)
    rows = _run(con, "ingest/rollback/rollback_at_most_violations", load_id=load_id, **_validation_params(config)).fetchall()
    if not rows:
        return
    period, org, group, breakdown, value_of, measure, value, by_load, by_file, limit, limit_value, total = rows[0]
    where = ", ".join(p for p in (org, group, f"{breakdown} {value_of}".strip(), f"{period:%b %Y}") if p)
    more = f" (and {total - 1} more)" if total > 1 else ""
    raise LoadError(f"load {load_id} ({file}) cannot be rolled back: it would leave {measure} {value:,g} from load "
                    f"{by_load} ({by_file}) above {limit} {limit_value:,g} for {where}{more} — figures the loader "
                    f"rejects as impossible. Roll back load {by_load} first, or load corrected figures.")


def _refuse_breakdowns_above_totals(con: duckdb.DuckDBPyConnection, load_id: int, file: str) -> None:
    """A rollback must not leave breakdown rows adding up to more than their total (a total restored
    below sex rows a later load brought), which the loader refuses."""
    rows = _run(con, "ingest/rollback/rollback_breakdown_violations", load_id=load_id,
                max_problems=MAX_PROBLEMS_LISTED).fetchall()
    if not rows:
        return
    period, org, group, measure, breakdown, amount, total, by_load, by_file, count = rows[0]
    more = f" (and {count - 1} more)" if count > 1 else ""
    raise LoadError(f"load {load_id} ({file}) cannot be rolled back: it would leave {measure} {total:,g} for {org}, "
                    f"{group}, {period:%b %Y} below its {breakdown} rows, which add up to {amount:,g} (load {by_load}, "
                    f"{by_file}){more} — figures the loader rejects. Roll back load {by_load} first, or load "
                    "corrected figures.")


HISTORY_COLUMNS = ["load_id", "file", "sha256", "format", "rows_in", "rows_loaded", "rows_rejected", "rows_missing",
                   "rows_new", "rows_changed", "rows_unchanged", "rows_skipped", "loaded_at", "loaded_by", "status",
                   "rolled_back_at", "rolled_back_by", "notes"]


def load_history(db_path: Path) -> pd.DataFrame:
    """The database file's own load history (what rollback works from), newest first."""
    return held_history(db_path)[0]


def held_history(db_path: Path) -> tuple[pd.DataFrame, str | None]:
    """(the file's own load history, the id it carries: None for a file no load of this version wrote)."""
    with connection(Path(db_path), write=False) as con:
        held = _run(con, "ingest/rollback/load_history").df().reindex(columns=HISTORY_COLUMNS)
        return held, dict(_run(con, "base/meta").fetchall()).get("database_id")


def recorded_history(db_path: Path, backend) -> history.LoadHistory:
    """The load history people read: the store's records (`backend`, None for none), with the file's own
    for loads the store has no record of (workforce.ingest.history)."""
    return history.read(*held_history(db_path), backend)
