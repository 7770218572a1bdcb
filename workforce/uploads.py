"""Files uploaded on the Data page: size-checked and kept under generated names.

An uploaded file's name is only ever shown (in reports and the load history), never used as a
path: each upload is written to a private temporary folder as `upload-<n>-<random>`, and its
content — not its name — decides how it is read (workforce/readers.py).
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pandas as pd

from .config import Config
from .loader import LoadError

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


def new_folder() -> Path:
    return Path(tempfile.mkdtemp(prefix="workforce-uploads-"))


def save(folder: Path, name: str, data: bytes | BinaryIO, config: Config) -> Upload:
    """Write one upload under a generated name in `folder`; LoadError if it is too large or empty."""
    size = len(data) if isinstance(data, (bytes, bytearray)) else _size(data)
    check_size(name, size, config)
    path = folder / f"upload-{secrets.token_hex(8)}"
    if isinstance(data, (bytes, bytearray)):
        path.write_bytes(data)
    else:
        data.seek(0)
        with open(path, "wb") as out:
            shutil.copyfileobj(data, out, 1 << 20)
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


def discard(folder: Path | None) -> None:
    if folder:
        shutil.rmtree(folder, ignore_errors=True)


def history_table(history: pd.DataFrame) -> pd.DataFrame:
    """The load history as the Data page shows it."""
    if history.empty:
        return pd.DataFrame(columns=["Load", "File", "Format", "Rows in", "Loaded", "Rejected", "Skipped",
                                     "Missing", "Who", "When", "Status", "Checksum (SHA-256)"])
    status = [s if s == "loaded" or pd.isna(at) else f"{s} {at:%d/%m/%Y %H:%M} by {by}"
              for s, at, by in zip(history["status"], history["rolled_back_at"], history["rolled_back_by"])]
    return pd.DataFrame({
        "Load": history["load_id"], "File": history["file"], "Format": history["format"],
        "Rows in": history["rows_in"], "Loaded": history["rows_loaded"], "Rejected": history["rows_rejected"],
        "Skipped": history["rows_skipped"], "Missing": history["rows_missing"], "Who": history["loaded_by"],
        "When": [f"{t:%d/%m/%Y %H:%M}" for t in history["loaded_at"]], "Status": status,
        "Checksum (SHA-256)": [s[:16] + "…" for s in history["sha256"]],
    })
