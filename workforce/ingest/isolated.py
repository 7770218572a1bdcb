"""Reading uploaded files in a separate process, with a time limit.

Streamlit runs every browser session in a thread of one server process, so a file that is slow to
parse (a hostile workbook, a huge sheet) would hold the interpreter while other users wait. The
Data page therefore checks and loads files in a fresh child process ("spawn": nothing of the
server's threads or open databases is inherited); progress messages come back through a pipe, and
a child that runs past its time limit is killed. A killed load leaves the database as it was (the
loader only swaps in a finished copy; its leftovers are removed by the next load).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import pickle
from collections.abc import Callable
from typing import Any

from .loader import LoadError

CHECK_SECONDS = 600      # checking files (dry run) — the cells and time caps in readers come first
LOAD_SECONDS = 1800      # checking and writing


def _child(connection, function: Callable, args: tuple, kwargs: dict, with_progress: bool) -> None:
    if with_progress:
        kwargs["progress"] = lambda fraction, message: connection.send(("progress", (fraction, message)))
    try:
        connection.send(("done", function(*args, **kwargs)))
    except BaseException as exc:  # sent back and raised in the server as itself
        try:
            pickle.loads(pickle.dumps(exc))
        except Exception:  # an exception that cannot travel: say what it was
            exc = LoadError(f"{exc.__class__.__name__}: {exc}")
        connection.send(("error", exc))
    finally:
        connection.close()


def run(function: Callable, *args: Any, timeout: float, progress: Callable[[float, str], None] | None = None,
        **kwargs: Any) -> Any:
    """function(*args, **kwargs) in a child process; LoadError when it takes longer than `timeout`."""
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(sender, function, args, kwargs, progress is not None),
                            daemon=True)
    with _main_not_rerun():
        child.start()
    sender.close()
    deadline = _now() + timeout
    try:
        while True:
            left = deadline - _now()
            if left <= 0 or not receiver.poll(left):
                raise LoadError(f"reading the files took longer than {timeout:,g} seconds, so it was stopped; "
                                "nothing was changed — split the file, or load it with the command line")
            try:
                kind, value = receiver.recv()
            except EOFError:
                raise LoadError("reading the files stopped unexpectedly (out of memory?); nothing was changed") \
                    from None
            if kind == "progress":
                progress(*value)
            elif kind == "error":
                raise value
            else:
                return value
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join(5)


@contextlib.contextmanager
def _main_not_rerun():
    """A spawned child runs the parent's __main__ again before its task. Under Streamlit that is the app
    script (app.py), so every child drew the app in bare mode first, and on a first run built the demo again
    from inside the child (which may not start processes while it bootstraps). A main module whose spec is
    named '__main__' is skipped by multiprocessing; the task itself is imported by name."""
    import importlib.machinery
    import sys

    main = sys.modules.get("__main__")
    if main is None or getattr(main, "__spec__", None) is not None:  # python -m …: re-imported by name, harmless
        yield
        return
    main.__spec__ = importlib.machinery.ModuleSpec("__main__", None)
    try:
        yield
    finally:
        main.__spec__ = None


def _now() -> float:
    import time

    return time.monotonic()


def check_files(*args: Any, timeout: float = CHECK_SECONDS, **kwargs: Any):
    """loader.check_files in a child process (see the module docstring)."""
    from .loader import check_files as check

    return run(check, *args, timeout=timeout, **kwargs)


def load_files(*args: Any, timeout: float = LOAD_SECONDS, **kwargs: Any):
    """loader.load_files in a child process (see the module docstring)."""
    from .loader import load_files as load

    return run(load, *args, timeout=timeout, **kwargs)
