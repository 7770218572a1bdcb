"""Meeting snapshots shared between sessions: one Board per view of the data, built once.

When a meeting starts everyone opens the same link at once. What the meeting view shows (a
`workforce.views.board.Board`: the summary, every KPI's figures, commentary and interventions)
depends on the selection (the view's Scope), on what the viewer may see (their organisations and role, which decide
every protected figure), on the data generation and on the commentary store and its version — and on
nothing else about the person. So each distinct view is built once, by the first session to ask
(the others wait for it rather than building it again), and shared read-only; a session keeps only
a reference to the snapshot it opened (its "frozen" view).

Safety: the key holds everything that changes what is shown, including the viewer's organisations
and role, so a snapshot built for one viewer is never handed to a viewer who may see less.

Memory (workforce.base.shared.SharedCache): at most MAX_ENTRIES snapshots and about MAX_BYTES of
figures are kept (least recently used dropped first), and the first request after a load drops every
snapshot of an older generation (a session still showing one keeps its own reference until it
reopens the view, as the meeting view says on screen).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..base.shared import SharedCache
from ..views.board import Board

MAX_ENTRIES = 16
MAX_BYTES = 256 * 2**20


@dataclass(frozen=True)
class SnapshotKey:
    """Everything that decides what a meeting view shows."""
    scope: object                      # the view's workforce.protect.scope.Scope: the selection as this
                                       # viewer may see it, with their organisations (hashable)
    organisations: tuple | None        # the viewer's own organisations (None: every one)
    role: str                          # the viewer's role
    generation: tuple                  # the database file's generation
    store: str                         # which commentary store …
    store_version: int                 # … and its version
    config: str                        # which configuration the figures were worked out with


def board_bytes(board: Board) -> int:
    """About how much memory a board's figures hold (its series and histories)."""
    frames = [f for item in board.items for f in (item.view.series, item.summary.latest.history)
              if isinstance(f, pd.DataFrame)]
    return sum(int(f.memory_usage(deep=True).sum()) for f in frames) + 20_000 * len(board.items)


def snapshots(max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES) -> SharedCache[Board]:
    """A store of boards by SnapshotKey (base.shared.SharedCache: built once, capped, a load drops
    the older generations)."""
    return SharedCache(board_bytes, max_entries=max_entries, max_bytes=max_bytes,
                       generation_of=lambda key: key.generation)


SHARED = snapshots()  # one per server process
