"""The key that signs session cookies and CSRF tokens.

From ``COCKPIT_SECRET_KEY`` when set (several hosts behind one proxy must share it); else
generated once, at random, into ``<instance>/secret_key`` (mode 0600) and read from there by
every worker and every later start. Never a constant in the code.
"""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

from config.settings import Settings

log = logging.getLogger(__name__)
KEY_FILE = "secret_key"
MIN_LENGTH = 32


class WeakSecretKey(ValueError):
    pass


def secret_key(settings: Settings) -> str:
    if settings.secret_key:
        if len(settings.secret_key) < MIN_LENGTH:
            raise WeakSecretKey(
                f"COCKPIT_SECRET_KEY must be at least {MIN_LENGTH} characters (random); "
                "or leave it empty to have one generated into the instance folder.")
        return settings.secret_key
    return key_from_file(settings.instance_dir / KEY_FILE)


def key_from_file(path: Path) -> str:
    """The key in ``path``, written first (atomically, readable by the owner only) if the
    file does not exist yet. Two processes starting together agree on one key."""
    existing = _read(path)
    if existing:
        return existing
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(secrets.token_urlsafe(48))
    try:
        os.link(temporary, path)  # fails if another process was first: then its key counts
        log.info("generated a new secret key in %s", path)
    except FileExistsError:
        pass
    finally:
        temporary.unlink()
    key = _read(path)
    if not key:
        raise WeakSecretKey(f"{path} is empty: delete it to have a new key generated")
    return key


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="ascii").strip() or None
    except FileNotFoundError:
        return None
