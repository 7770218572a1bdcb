"""A cache shared by every session of the server process, for work that does not depend on who asks.

Used for the meeting view's snapshots (workforce.meetings.snapshots) and the pack's chart images
(workforce.meetings.pack). Entries are built once — callers asking for the same key while it is
being built wait for that build rather than repeating it — and kept within a number of entries and
about a number of bytes (least recently used dropped first). Keys carry the data generation
(`generation_of`): the first request for a newer generation drops every entry of another one, so
a load frees what it made stale. The key must hold everything that changes the value, including
whatever decides what the person asking may see.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class SharedCache(Generic[V]):
    """Thread-safe, capped, built-once values by key."""

    def __init__(self, size_of: Callable[[V], int], *, max_entries: int, max_bytes: int,
                 generation_of: Callable[[Hashable], object]):
        self.size_of, self.generation_of = size_of, generation_of
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self._lock = threading.Lock()
        self._entries: OrderedDict[Hashable, tuple[V, int]] = OrderedDict()
        self._building: dict[Hashable, threading.Lock] = {}
        self.builds = 0  # how many values were built (tests and benchmarks read it)

    def get(self, key: Hashable, build: Callable[[], V]) -> V:
        """The value for this key: shared if built already, else built once."""
        with self._lock:
            self._drop_other_generations(self.generation_of(key))
            if key in self._entries:
                return self._take(key)
            builder = self._building.setdefault(key, threading.Lock())
        with builder:
            with self._lock:
                if key in self._entries:
                    return self._take(key)
            try:
                value = build()
            finally:
                with self._lock:
                    self._building.pop(key, None)
            with self._lock:
                self.builds += 1
                self._entries[key] = (value, self.size_of(value))
                self._evict()
            return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def bytes(self) -> int:
        return sum(size for _, size in self._entries.values())

    def _take(self, key: Hashable) -> V:
        self._entries.move_to_end(key)
        return self._entries[key][0]

    def _drop_other_generations(self, generation: object) -> None:
        for old in [k for k in self._entries if self.generation_of(k) != generation]:
            del self._entries[old]

    def _evict(self) -> None:
        while len(self._entries) > 1 and (len(self._entries) > self.max_entries or self.bytes > self.max_bytes):
            self._entries.popitem(last=False)
