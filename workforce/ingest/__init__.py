"""Files into the fact table: readers (CSV/XLSX, safely), adapters/ (one description per publication
format), loader (validate, stage, apply — all or nothing), writer (copy-change-swap of the database
file, the writer lock), uploads and isolated (the Load data page's files and the child process that
reads them), survey_workbook, org_reference (organisations as publications describe them), and
fact_export (stored figures back out in the long template).

May import: base.
"""
