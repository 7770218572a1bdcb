"""Findings 9 and 11 (temporary files): a full disk gives one clear line and leaves nothing
behind; upload and spill folders and `*.lock` files are removed on every exit path.

The disk is filled by making the copy (or DuckDB's own write) fail half-way with ENOSPC, exactly as
the kernel reports it, and — where the tests run as root — by a real 3 MB tmpfs.
"""

from __future__ import annotations

import errno
import gc
import hashlib
import io
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb
import pytest

from tests.conftest import ROOT, small_rows, write_csv
from workforce.cli import main as cli
from workforce.ingest import loader, uploads, writer
from workforce.ingest.loader import LoadError, load_files, rollback


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _leftovers(db_path: Path) -> list[str]:
    return sorted(p.name for p in db_path.parent.iterdir() if p.name != db_path.name and p.suffix != ".csv")


def _source(tmp_path: Path) -> Path:
    rows = [r for r in small_rows() if r[0] == "2024-12"]
    return write_csv(tmp_path / "december.csv", [[*r[:6], r[6] + 1] for r in rows])


def _copy_then_full(source, target, *args, **kwargs):
    """shutil.copyfile that writes half the file, then finds the disk full."""
    data = Path(source).read_bytes()
    Path(target).write_bytes(data[: len(data) // 2])
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(target))


def test_disk_full_while_copying_the_database(fresh_db_path, tmp_path, config, monkeypatch):
    source = _source(tmp_path)
    before = _digest(fresh_db_path)
    monkeypatch.setattr(writer.shutil, "copyfile", _copy_then_full)
    with pytest.raises(LoadError) as full:
        load_files([source], config, db_path=fresh_db_path)
    message = str(full.value)
    assert "disk" in message and "full" in message and "\n" not in message
    assert "please report" not in message
    assert _digest(fresh_db_path) == before
    assert _leftovers(fresh_db_path) == [], "no partial .loading file, .wal or .lock left"


def test_disk_full_while_duckdb_writes(fresh_db_path, tmp_path, config, monkeypatch):
    source = _source(tmp_path)
    before = _digest(fresh_db_path)

    def full(*args, **kwargs):
        raise duckdb.IOException('Could not write file "x.loading-1": No space left on device')
    monkeypatch.setattr(loader, "_apply", full)
    with pytest.raises(LoadError) as raised:
        load_files([source], config, db_path=fresh_db_path)
    assert "disk" in str(raised.value) and "full" in str(raised.value)
    assert _digest(fresh_db_path) == before
    assert _leftovers(fresh_db_path) == []


def test_disk_full_on_rollback(fresh_db_path, config, monkeypatch):
    monkeypatch.setattr(writer.shutil, "copyfile", _copy_then_full)
    with pytest.raises(LoadError, match="full"):
        rollback(1, config, db_path=fresh_db_path)
    assert _leftovers(fresh_db_path) == []


def test_cli_says_one_clear_line(fresh_db_path, tmp_path, monkeypatch):
    source = _source(tmp_path)
    monkeypatch.setattr(writer.shutil, "copyfile", _copy_then_full)
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(["load", str(source), "--db", str(fresh_db_path)], out, err)
    assert code == 2
    lines = err.getvalue().strip().splitlines()
    assert len(lines) == 1 and "full" in lines[0] and "please report" not in lines[0]


def test_upload_on_a_full_disk_is_a_clear_message_and_no_partial_file(config, monkeypatch):
    def full(source, target, *args):
        target.write(b"half")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    monkeypatch.setattr(uploads.shutil, "copyfileobj", full)
    folder = uploads.new_folder()
    try:
        with pytest.raises(LoadError, match="full"):
            uploads.save(folder, "staff.csv", io.BytesIO(b"x" * 1000), config)
        assert list(Path(uploads.folder_path(folder)).iterdir()) == []
    finally:
        uploads.discard(folder)


# ------------------------------------------------------------------ temporary files on every exit path
def test_lock_file_removed_after_load_and_after_failure(fresh_db_path, tmp_path, config):
    load_files([_source(tmp_path)], config, db_path=fresh_db_path)
    assert _leftovers(fresh_db_path) == []
    bad = write_csv(tmp_path / "bad.csv", [["2024-12", "XX9", "Nurses & health visitors", "", "", "headcount", 1]])
    with pytest.raises(LoadError):
        load_files([bad], config, db_path=fresh_db_path)
    assert _leftovers(fresh_db_path) == []


def _ours(prefix: str) -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob(prefix + "*")}


def test_upload_folder_removed_when_the_session_ends():
    folder = uploads.new_folder()
    path = Path(uploads.folder_path(folder))
    (path / "upload-1").write_bytes(b"x")
    del folder          # Streamlit drops a session's state when the browser goes away
    gc.collect()
    assert not path.exists()


@pytest.mark.slow
def test_orphans_of_a_killed_load_are_removed_by_the_next(fresh_db_path, tmp_path, config):
    """kill -9 part-way through a load: its spill folder, .loading copy and .lock are cleared next time."""
    code = (f"import time, sys; sys.path.insert(0, {str(ROOT)!r})\n"
            "from workforce.ingest import writer\n"
            "from workforce.base.config import load_config\n"
            f"with writer.connection(__import__('pathlib').Path({str(fresh_db_path)!r}), write=True):\n"
            "    print('inside', flush=True); time.sleep(60)\n")
    before = _ours("workforce-spill-")
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "inside"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert _ours("workforce-spill-") - before, "the killed load left its spill folder"
    load_files([_source(tmp_path)], config, db_path=fresh_db_path)
    assert not any(name.startswith(f"workforce-spill-{proc.pid}-") for name in _ours("workforce-spill-"))
    assert _leftovers(fresh_db_path) == []


@pytest.fixture()
def tiny_filesystem(tmp_path):
    """A 3 MB tmpfs (needs root and permission to mount; skipped otherwise)."""
    mount_point = tmp_path / "full"
    mount_point.mkdir()
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a small filesystem needs root")
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount_point)], capture_output=True)
    if made.returncode != 0:
        pytest.skip("this machine does not allow mounting a tmpfs")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], check=False)


@pytest.mark.slow
def test_disk_full_on_a_real_small_filesystem(tiny_filesystem, small_db_path, tmp_path):
    db_path = tiny_filesystem / "w.duckdb"
    shutil.copyfile(small_db_path, db_path)
    stats = os.statvfs(tiny_filesystem)
    room = stats.f_bavail * stats.f_frsize - db_path.stat().st_size // 2   # leave room for half a copy
    if room > 0:
        (tiny_filesystem / "filler").write_bytes(b"\0" * room)
    before = _digest(db_path)
    result = subprocess.run([sys.executable, "-m", "workforce", "load", str(_source(tmp_path)), "--db", str(db_path)],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "the disk is full" in lines[0], result.stderr
    assert _digest(db_path) == before
    assert sorted(p.name for p in tiny_filesystem.iterdir()) in (["w.duckdb"], ["filler", "w.duckdb"])
