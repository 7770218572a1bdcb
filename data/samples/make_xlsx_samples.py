"""Write the XLSX samples (run from the project root: .venv/bin/python data/samples/make_xlsx_samples.py).

template.xlsx holds the same rows as template.csv; levy_statement.xlsx is a levy account
statement with title rows above its header, money as currency, payments shown as negatives.
"""

import csv
import datetime as dt
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent


def template() -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "Template"
    with open(HERE / "template.csv", newline="", encoding="utf-8") as handle:
        for i, row in enumerate(csv.reader(handle)):
            if i and row[-1].replace(".", "", 1).isdigit():
                row[-1] = float(row[-1]) if "." in row[-1] else int(row[-1])
            sheet.append(row)
    book.save(HERE / "template.xlsx")


def levy() -> None:
    book = Workbook()
    cover = book.active
    cover.title = "About"
    cover.append(["Apprenticeship service account statement (sample made by the project; not real figures)"])
    sheet = book.create_sheet("Statement")
    sheet.append(["Apprenticeship levy account statement — East and North Hertfordshire Teaching NHS Trust"])
    sheet.append(["Downloaded 05/04/2025"])
    sheet.append([])
    sheet.append(["Org code", "Month", "Funds in", "Payments", "Transfers out", "Expired funds"])
    rows = [
        ("RWH", dt.date(2025, 1, 1), 118250.00, -64210.50, -20000, 0),
        ("RWH", dt.date(2025, 2, 1), 118250.00, -71022.10, 0, 0),
        ("RWH", dt.date(2025, 3, 1), 120105.00, -69800.00, -15000, -3120.75),
    ]
    for row in rows:
        sheet.append(list(row))
    for cell in sheet["B"][4:]:
        cell.number_format = "mmm yyyy"
    for column in "CDEF":
        for cell in sheet[column][4:]:
            cell.number_format = "£#,##0.00"
    book.save(HERE / "levy_statement.xlsx")


if __name__ == "__main__":
    template()
    levy()
