"""Meeting snapshots shared between sessions (workforce.meetings.snapshots): built once per key,
never shared across keys, dropped when the data change, capped in number and size."""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace

import pandas as pd

from workforce.meetings.snapshots import SnapshotKey, board_bytes
from workforce.meetings.snapshots import snapshots as new_snapshots


def key(generation=(1, 1, 1), organisations=None, role="admin", store_version=0, selection="QM7"):
    return SnapshotKey(selection, organisations, role, generation, "store.sqlite", store_version, "config.yaml")


def board(rows: int = 10):
    """A stand-in Board: board_bytes reads only its items' series and histories."""
    frame = pd.DataFrame({"value": [1.0] * rows})
    item = SimpleNamespace(view=SimpleNamespace(series=frame),
                           summary=SimpleNamespace(latest=SimpleNamespace(history=frame)))
    return SimpleNamespace(items=[item])


def test_the_same_view_is_built_once_and_shared():
    snapshots = new_snapshots()
    first = snapshots.get(key(), board)
    assert snapshots.get(key(), board) is first
    assert snapshots.builds == 1


def test_a_viewer_who_may_see_less_never_gets_another_viewers_board():
    snapshots = new_snapshots()
    admin = snapshots.get(key(), board)
    scoped = snapshots.get(key(organisations=("RWH",), role="viewer"), board)
    same_orgs_other_role = snapshots.get(key(organisations=("RWH",), role="editor"), board)
    assert len({id(admin), id(scoped), id(same_orgs_other_role)}) == 3
    assert snapshots.builds == 3


def test_new_commentary_gives_a_new_board():
    snapshots = new_snapshots()
    before = snapshots.get(key(store_version=4), board)
    assert snapshots.get(key(store_version=5), board) is not before


def test_a_load_drops_the_older_generations_boards():
    snapshots = new_snapshots()
    snapshots.get(key(generation=(1, 1, 1)), board)
    snapshots.get(key(generation=(1, 1, 1), selection="QKS"), board)
    assert len(snapshots) == 2
    snapshots.get(key(generation=(2, 2, 2)), board)
    assert len(snapshots) == 1


def test_capped_in_number_least_recently_used_first():
    snapshots = new_snapshots(max_entries=2)
    oldest = snapshots.get(key(selection="A"), board)
    snapshots.get(key(selection="B"), board)
    snapshots.get(key(selection="A"), board)          # A used again: B is now the oldest
    snapshots.get(key(selection="C"), board)
    assert len(snapshots) == 2
    assert snapshots.get(key(selection="A"), board) is oldest
    assert snapshots.builds == 3                      # B went, A stayed


def test_capped_in_size():
    big = board(rows=200_000)                         # 2 frames × 200,000 floats: about 3.2 MB
    snapshots = new_snapshots(max_bytes=5_000_000)
    assert board_bytes(big) > 3_000_000
    snapshots.get(key(selection="A"), lambda: big)
    snapshots.get(key(selection="B"), lambda: big)
    assert len(snapshots) == 1 and snapshots.bytes <= 5_000_000


def test_sessions_arriving_together_wait_for_one_build():
    snapshots = new_snapshots()
    started = threading.Event()

    def slow_build():
        started.set()
        time.sleep(0.2)
        return board()

    results = []
    threads = [threading.Thread(target=lambda: results.append(snapshots.get(key(), slow_build))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert snapshots.builds == 1
    assert len({id(r) for r in results}) == 1


def test_a_failed_build_is_tried_again_by_the_next_session():
    snapshots = new_snapshots()

    def failing():
        raise RuntimeError("database went away")

    try:
        snapshots.get(key(), failing)
    except RuntimeError:
        pass
    assert snapshots.get(key(), board) is not None
    assert snapshots.builds == 1
