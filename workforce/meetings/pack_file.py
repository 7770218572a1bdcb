"""The board pack as a file: PowerPoint or PDF bytes for a board (pack builds the pages and draws the
PowerPoint, pack_pdf the PDF), its media type and its file name."""

from __future__ import annotations

from ..views.board import Board, build_board
from ..views.export import file_stem
from .pack import Pack, build_pack, pptx_bytes
from .pack_pdf import pdf_bytes

FORMATS = ("pptx", "pdf")
MEDIA_TYPES = {"pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
               "pdf": "application/pdf"}


def render(pack: Pack, fmt: str) -> bytes:
    if fmt == "pptx":
        return pptx_bytes(pack)
    if fmt == "pdf":
        return pdf_bytes(pack)
    raise ValueError(f"unknown pack format '{fmt}': use {' or '.join(FORMATS)}")


def board_pack(db, config, selection, store=None, fmt: str = "pptx", exceptions_only: bool = False,
               board: Board | None = None) -> bytes:
    """The pack for a selection, as PPTX or PDF bytes (``board``: reuse one already built)."""
    board = board or build_board(db, config, selection, store)
    return render(build_pack(board, exceptions_only), fmt)


def file_name(board: Board, fmt: str, exceptions_only: bool = False) -> str:
    month = board.month.strftime("%Y-%m") if board.month else "no-data"
    parts = ["board-pack", board.selection.ics or "", "-".join(board.selection.orgs), month,
             "exceptions" if exceptions_only else ""]
    return f"{file_stem(*parts)}.{fmt}"
