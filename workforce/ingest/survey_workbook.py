"""The NHS Staff Survey "detailed spreadsheets, organisational results" workbook as one survey table.

The workbook has many sheets (`Notes`, `YOUR JOB Q1-3`, …): question text in merged cells on row 1
(`Q4d - … opportunities for flexible working patterns`), column headers on row 5 (identifier
columns up to `Weighting`, then `% Satisfied`, `Base (number of responses)` … under each
question), one row per organisation from row 6. No single sheet holds what the dashboard needs,
so each sheet is read (bounded), its columns named after their question, the sheets joined by
organisation, and one row per organisation written as a CSV in the staff_survey layout:
respondents, eligible staff, the staff engagement theme score and the % satisfied with flexible
working (`% Satisfied` + `% Very satisfied`). Rows are numbered as on the first data sheet.
"""

from __future__ import annotations

import csv
import re
from itertools import islice
from pathlib import Path

from .readers import SOURCE_ROW, Source, UnreadableFile

HEADER_ROW, QUESTION_ROW = 5, 1
MAX_SHEETS, MAX_ROWS, MAX_COLUMNS = 80, 5_000, 2_000  # a national workbook: ~300 rows, a few hundred columns
ORG_CODE = ("org_code", "organisation_code", "trust_code", "ods_code", "code")
ORG_NAME = ("org_name", "organisation_name", "trust_name", "name")
RESPONDENTS = ("completed_questionnaires", "number_of_responses", "responses", "respondents",
               "number_of_respondents", "completed")
ELIGIBLE = ("eligible_staff", "eligible", "number_eligible", "staff_eligible", "sample_size", "eligible_sample")
OUTPUT = ["Org code", "Org name", "Survey year", "Respondents", "Eligible", "Staff engagement",
          "Q4d satisfied pct", "Weighting"]


def key(text: object) -> str:
    return re.sub(r"[^a-z0-9%]+", "_", str(text or "").strip().lower()).strip("_")


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _sheet(sheet) -> tuple[list[str], list[str], list[tuple[int, list[str]]]] | None:
    """(question above each column, header, [(row number, cells)]) of a results sheet, else None."""
    rows = [[_text(v) for v in row] for row in
            islice(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS), MAX_ROWS)]
    if len(rows) <= HEADER_ROW or "weighting" not in [key(c) for c in rows[HEADER_ROW - 1]]:
        return None
    header = rows[HEADER_ROW - 1]
    question, current = [], ""
    for cell in rows[QUESTION_ROW - 1] + [""] * (len(header) - len(rows[QUESTION_ROW - 1])):
        current = cell or current  # a merged question cell holds its text in its first column only
        question.append(current)
    data = [(HEADER_ROW + 1 + i, row + [""] * (len(header) - len(row)))
            for i, row in enumerate(rows[HEADER_ROW:]) if any(row)]
    return question, header, data


def _survey_year(book, name: str) -> str:
    notes = book["Notes"] if "Notes" in book.sheetnames else None
    texts = [_text(v) for row in islice(notes.iter_rows(values_only=True, max_col=20), 40) for v in row] if notes else []
    for text in texts:
        found = re.search(r"staff survey[^0-9]{0,20}(20\d\d)", text, re.I)
        if found:
            return found.group(1)
    found = re.search(r"nss\s*(\d\d)\b", name, re.I) or re.search(r"(20\d\d)", name)
    if found:
        return found.group(1) if len(found.group(1)) == 4 else "20" + found.group(1)
    raise UnreadableFile(f"{name}: a Staff Survey results workbook, but its survey year is not in its Notes "
                         "sheet or its name: add it to the file name (e.g. 'NSS24 detailed spreadsheets.xlsx')")


def survey_workbook_to_csv(path: Path, target: Path, name: str) -> Source | None:
    """The workbook as one staff_survey CSV, or None when it is not a Staff Survey results workbook."""
    from openpyxl import load_workbook

    with open(path, "rb") as handle:
        book = load_workbook(handle, read_only=True, data_only=True)
        try:
            sheets = [s for s in book.sheetnames[:MAX_SHEETS] if s != "Notes"]
            orgs: dict[str, dict[str, str]] = {}
            order: dict[str, int] = {}
            read = []
            for sheet_name in sheets:
                parsed = _sheet(book[sheet_name])
                if parsed is None:
                    continue
                read.append(sheet_name)
                _merge(parsed, orgs, order)
            if not read:
                return None
            year = _survey_year(book, name)
        finally:
            book.close()
    with open(target, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow([SOURCE_ROW] + OUTPUT)
        for org in sorted(orgs, key=order.get):
            writer.writerow([order[org]] + _row(orgs[org], year))
    note = f"the Staff Survey results workbook (sheets {', '.join(read[:3])}{'…' if len(read) > 3 else ''})"
    return Source(path=target, header=OUTPUT, numbered=True, kind="xlsx", note=note)


def _merge(parsed, orgs: dict[str, dict[str, str]], order: dict[str, int]) -> None:
    """Add a sheet's rows to `orgs` (organisation → column → value), weighted rows where given."""
    question, header, data = parsed
    keys = [key(h) for h in header]
    last_id = keys.index("weighting")
    code_at = next((keys.index(k) for k in ORG_CODE if k in keys[:last_id + 1]), None)
    if code_at is None:
        return
    weightings = {key(row[last_id]) for _, row in data}
    wanted = {"weighted"} if "weighted" in weightings else {"unweighted", ""}
    for row_no, row in data:
        if key(row[last_id]) not in wanted or not row[code_at]:
            continue  # unweighted beside weighted, occupation-group rows
        org = row[code_at]
        order.setdefault(org, row_no)
        found = orgs.setdefault(org, {})
        for i, cell in enumerate(row):
            name = keys[i] if i <= last_id else f"{question[i]}|{keys[i]}"
            found.setdefault(name, cell)


def _pick(found: dict[str, str], names: tuple[str, ...]) -> str:
    for name in names:
        for column, value in found.items():
            if column == name or column.endswith("|" + name):
                return value
    return ""


def _row(found: dict[str, str], year: str) -> list[str]:
    def question(pattern: str, header: str) -> str:
        return next((v for c, v in found.items() if "|" in c and re.search(pattern, c.split("|")[0], re.I)
                     and c.split("|")[1] == header), "")

    engagement = question(r"staff engagement", "score") or _pick(found, ("staff_engagement",))
    satisfied = [question(r"flexible working", h) for h in ("%_satisfied", "%_very_satisfied")]
    try:
        flexible = str(sum(float(v) for v in satisfied)) if all(satisfied) else next((v for v in satisfied if v), "")
    except ValueError:  # a suppression marker or text: passed on, so validation names it
        flexible = next(v for v in satisfied if v)
    return [_pick(found, ORG_CODE), _pick(found, ORG_NAME), year, _pick(found, RESPONDENTS),
            _pick(found, ELIGIBLE), engagement, flexible, found.get("weighting", "")]
