"""Files uploaded on the Data page: size-checked and kept under generated names.

An uploaded file's name is only ever shown (in reports and the load history), never used as a
path: each upload is written to a private temporary folder as `upload-<n>-<random>`, and its
content — not its name — decides how it is read (workforce/ingest/readers.py).
"""

from __future__ import annotations

import errno
import os
import secrets
import shutil
import tempfile
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pandas as pd

from ..base.config import Config
from ..base.formatting import month_label
from .writer import LoadError, remove_orphaned_temp_folders

UPLOADS_PREFIX = "workforce-uploads-"  # + process id

MAX_NAME = 200


@dataclass(frozen=True)
class Upload:
    path: Path  # where the bytes are (a generated name)
    name: str  # what the user called the file (shown, never opened)
    size: int


def display_name(name: str) -> str:
    """The uploaded name made safe to show: no folders, no control characters, not too long."""
    base = str(name).replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(c for c in base if c.isprintable()).strip() or "unnamed file"
    return base if len(base) <= MAX_NAME else base[:MAX_NAME - 1] + "…"


def check_size(name: str, size: int, config: Config) -> None:
    limit = config.upload.max_megabytes
    if size > limit * 1024 * 1024:
        raise LoadError(f"{display_name(name)} is {size / 2**20:,.1f} MB, over the {limit:,g} MB limit for one "
                        "upload (upload.max_megabytes in config.yaml); load it with the command line "
                        "(python -m workforce load FILE), which has no limit, or split it")
    if size == 0:
        raise LoadError(f"{display_name(name)}: the file is empty")


class UploadFolder:
    """A private temporary folder for one session's uploads. Removed by `discard`, or when the
    session's state is dropped (browser gone) or the server exits; a killed server's folders are
    removed by the next one (they are named after the process)."""

    def __init__(self) -> None:
        remove_orphaned_temp_folders(UPLOADS_PREFIX)
        self.path = Path(tempfile.mkdtemp(prefix=f"{UPLOADS_PREFIX}{os.getpid()}-"))
        self._remove = weakref.finalize(self, shutil.rmtree, self.path, True)

    def discard(self) -> None:
        self._remove()

    def __truediv__(self, name: str) -> Path:
        return self.path / name


def new_folder() -> UploadFolder:
    return UploadFolder()


def folder_path(folder: UploadFolder | Path) -> Path:
    return folder.path if isinstance(folder, UploadFolder) else Path(folder)


def save(folder: Path, name: str, data: bytes | BinaryIO, config: Config) -> Upload:
    """Write one upload under a generated name in `folder`; LoadError if it is too large or empty."""
    size = len(data) if isinstance(data, (bytes, bytearray)) else _size(data)
    check_size(name, size, config)
    path = folder_path(folder) / f"upload-{secrets.token_hex(8)}"
    try:
        if isinstance(data, (bytes, bytearray)):
            path.write_bytes(data)
        else:
            data.seek(0)
            with open(path, "wb") as out:
                shutil.copyfileobj(data, out, 1 << 20)
    except OSError as exc:
        path.unlink(missing_ok=True)  # never half a file
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise LoadError(f"{display_name(name)}: the disk is full, so the upload could not be kept "
                            f"(temporary folder {tempfile.gettempdir()}); free some space and try again") from None
        raise LoadError(f"{display_name(name)}: the upload could not be kept ({exc.strerror or exc})") from None
    return Upload(path, display_name(name), size)


def _size(handle: BinaryIO) -> int:
    size = getattr(handle, "size", None)
    if size is not None:
        return int(size)
    position = handle.tell()
    handle.seek(0, 2)
    end = handle.tell()
    handle.seek(position)
    return end


def discard(folder: UploadFolder | Path | None) -> None:
    if isinstance(folder, UploadFolder):
        folder.discard()
    elif folder:
        shutil.rmtree(folder, ignore_errors=True)


FIGURE_HEADINGS = {"row_no": "Row", "row": "Row", "period": "Month", "org_code": "Organisation", "staff_group": "Staff group",
                   "breakdown": "Breakdown", "breakdown_value": "Group", "measure": "Measure", "old_value": "Old value",
                   "new_value": "New value", "value": "Value"}
AS_READ = {"value": "As written", "number": "Value read"}  # the preview: the text in the file beside the number


def figures_table(frame: pd.DataFrame, config: Config | None = None) -> pd.DataFrame:
    """A dry run's changed or new figures, or a file's preview, as people read them (the Data page and `load
    --dry-run`): plain headings, months as 'Jan 2025', numbers with thousands separators, 'missing' for a
    missing figure, and (given the config) each measure by its name ('FTE days lost to sickness')."""
    shown = frame.rename(columns=FIGURE_HEADINGS | (AS_READ if "number" in frame else {}))
    if config is not None and "Measure" in shown:
        named = config.measure_by_id
        shown = shown.assign(Measure=[named[m].label if m in named else m for m in shown["Measure"]])
    if "Month" in shown:
        shown = shown.assign(Month=[_month(p) for p in shown["Month"]])
    for column in ("Old value", "New value", "Value", "Value read"):
        if column in shown and pd.api.types.is_numeric_dtype(shown[column]):
            shown = shown.assign(**{column: [_number(v) for v in shown[column]]})
    return shown.astype(object).fillna("")


def _month(period) -> str:
    """A date or a month's text ('2024-11', as a preview holds it) → 'Nov 2024'; other text as written."""
    if period is None or (not isinstance(period, str) and pd.isna(period)):
        return ""
    try:
        return month_label(pd.Timestamp(period))
    except (ValueError, TypeError):
        return str(period)


def _number(value: float) -> str:
    """2011.0 → '2,011'; 3369.34 → '3,369.34'; NaN → 'missing'."""
    if pd.isna(value):
        return "missing"
    text = f"{value:,.6f}".rstrip("0").rstrip(".")
    return text
