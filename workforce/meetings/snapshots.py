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

Memory: at most `max_entries` snapshots and about `max_bytes` of figures are kept (least recently
used dropped first), and the first request after a load drops every snapshot of an older generation
(a session still showing one keeps its own reference until it reopens the view, as the meeting view
says on screen).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

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


class Snapshots:
    """A thread-safe, size-capped store of boards keyed by SnapshotKey."""

    def __init__(self, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES):
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self._lock = threading.Lock()
        self._entries: OrderedDict[SnapshotKey, tuple[Board, int]] = OrderedDict()
        self._building: dict[SnapshotKey, threading.Lock] = {}
        self.builds = 0  # how many boards were built (tests and benchmarks read it)

    def get(self, key: SnapshotKey, build: Callable[[], Board]) -> Board:
        """The board for this key: shared if built already, else built once (concurrent callers
        for the same key wait for the first)."""
        with self._lock:
            self._drop_other_generations(key.generation)
            found = self._take(key)
            if found is not None:
                return found
            builder = self._building.setdefault(key, threading.Lock())
        with builder:
            with self._lock:
                found = self._take(key)
            if found is not None:
                return found
            try:
                board = build()
            finally:
                with self._lock:
                    self._building.pop(key, None)
            with self._lock:
                self.builds += 1
                self._entries[key] = (board, board_bytes(board))
                self._evict()
            return board

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def bytes(self) -> int:
        return sum(size for _, size in self._entries.values())

    def _take(self, key: SnapshotKey) -> Board | None:
        if key not in self._entries:
            return None
        self._entries.move_to_end(key)
        return self._entries[key][0]

    def _drop_other_generations(self, generation: tuple) -> None:
        for old in [k for k in self._entries if k.generation != generation]:
            del self._entries[old]

    def _evict(self) -> None:
        while len(self._entries) > 1 and (len(self._entries) > self.max_entries or self.bytes > self.max_bytes):
            self._entries.popitem(last=False)


SHARED = Snapshots()  # one per server process
