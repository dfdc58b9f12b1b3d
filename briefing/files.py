"""Where produced briefings are kept, and how a file gets there whole.

A PDF is written under a temporary name in the same folder and renamed when complete
(``os.replace`` is atomic on one file system), so a half-written file is never served; a failed
write leaves nothing behind. Stored files have random names; a download finds its file through
the briefing's record (by id) and never through a name from the request, and the resolved path
must lie inside the folder.
"""

from __future__ import annotations

import os
import secrets
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from config.settings import get_settings

SUFFIX = ".pdf"


def folder() -> Path:
    path = get_settings().resolved_briefing_dir
    path.mkdir(parents=True, exist_ok=True)
    return path


def new_name() -> str:
    """A random file name for a briefing (nothing to guess, nothing from the user)."""
    return f"briefing-{secrets.token_hex(12)}{SUFFIX}"


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, renamed when
    complete; on any failure the temporary file is removed and ``path`` is untouched."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".partial-", suffix=SUFFIX, dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


#: A temporary file older than this belongs to a job that will never finish it.
PARTIAL_KEPT = timedelta(hours=1)


def sweep_partial(*, older_than: timedelta = PARTIAL_KEPT) -> int:
    """Remove the temporary files of jobs that died while writing (a killed worker cannot
    remove its own); how many. They are never served (:func:`stored`) meanwhile."""
    limit = time.time() - older_than.total_seconds()
    removed = 0
    for path in folder().glob(".partial-*"):
        try:
            if path.stat().st_mtime <= limit:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            continue
    return removed


def stored(file_name: str | None) -> Path | None:
    """The stored file of a record's ``file_name``, if it is one of ours and exists."""
    if not file_name or "/" in file_name or "\\" in file_name or file_name.startswith("."):
        return None
    base = folder().resolve()
    path = (base / file_name).resolve()
    if path.parent != base or path.suffix != SUFFIX or not path.is_file():
        return None
    return path
