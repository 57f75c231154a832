"""A lock between processes on one database: an advisory lock on a file beside it.

    with exclusive_lock(Path(f"{db_path}.crawl-lock")) as mine:
        if not mine: ...  # another process holds it

The lock is taken without waiting, and the operating system drops it when its process dies,
so a killed process never leaves a lock behind.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def exclusive_lock(path: Path) -> Iterator[bool]:
    """Hold the lock on `path` (created if needed) for the block: True, or False if another
    process holds it."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no lock
        yield True
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
