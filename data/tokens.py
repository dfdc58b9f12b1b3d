"""Bearer tokens: one per system that pushes figures (``push``) or per wall screen that only
reads (``device``). The one token mechanism of the cockpit.

A token is 43 random URL-safe characters after ``ck_`` (256 bits), shown once when created
(``flask --app app create-token NAME``) and stored only as its SHA-256 — a token is a random
secret, not a password, so a fast hash is the right one (nothing to guess). A revoked token
stays listed with who revoked it and when; it never works again. Checking a token records
when it was last used (outside the data version: it is not a figure).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

import pandas as pd
from sqlalchemy import select, update

from data import clock
from data.imports_schema import ApiToken
from data.schema import Region
from data.scope import EVERYTHING
from data.store import engine, read_connection, write_transaction

PREFIX = "ck_"
PURPOSES = ("push", "device")
MAX_NAME = 80


class TokenRefused(ValueError):
    """A token cannot be created or revoked; the message says why."""


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(*, name: str, purpose: str = "push", actor: str, region: str | None = None,
                 note: str | None = None) -> str:
    """Create a token and return it (the only time it is seen)."""
    name = (name or "").strip()
    if not name or len(name) > MAX_NAME:
        raise TokenRefused(f"令牌名称不能为空，且不超过{MAX_NAME}个字。")
    if purpose not in PURPOSES:
        raise TokenRefused("用途应为 push（推送数据的系统）或 device（只读的大屏）。")
    token = PREFIX + secrets.token_urlsafe(32)
    with write_transaction() as conn:
        if conn.execute(select(ApiToken.id).where(ApiToken.name == name)).first():
            raise TokenRefused(f"已有名为“{name}”的令牌（吊销的也保留记录），请换一个名称。")
        if region is not None and not conn.execute(
                select(Region.adcode).where(Region.adcode == region)).first():
            raise TokenRefused(f"没有行政区划代码为“{region}”的地区。")
        conn.execute(ApiToken.__table__.insert().values(
            name=name, purpose=purpose, token_hash=digest(token), prefix=token[:10],
            region_adcode=region, note=note, created_at=clock.now(scope=EVERYTHING),
            created_by=actor[:80]))
    return token


def revoke_token(*, name: str, actor: str) -> None:
    with write_transaction() as conn:
        row = conn.execute(select(ApiToken.id, ApiToken.revoked_at)
                           .where(ApiToken.name == name)).first()
        if row is None:
            raise TokenRefused(f"没有名为“{name}”的令牌。")
        if row.revoked_at is not None:
            raise TokenRefused(f"令牌“{name}”已于 {row.revoked_at:%Y-%m-%d %H:%M} 吊销。")
        conn.execute(update(ApiToken).where(ApiToken.id == row.id).values(
            revoked_at=clock.now(scope=EVERYTHING), revoked_by=actor[:80]))


def verify_token(token: str | None, *, purpose: str) -> dict | None:
    """The token's record if ``token`` is a valid, unrevoked token for ``purpose``."""
    if not token or not token.startswith(PREFIX) or len(token) > 200:
        return None
    wanted = digest(token)
    with read_connection() as conn:
        row = conn.execute(select(ApiToken).where(ApiToken.token_hash == wanted)
                           ).mappings().first()
    if (row is None or row["revoked_at"] is not None or row["purpose"] != purpose
            or not hmac.compare_digest(row["token_hash"], wanted)):
        return None
    with engine().begin() as conn:  # not a figure: no new data version
        conn.execute(update(ApiToken).where(ApiToken.id == row["id"]).values(
            last_used_at=clock.now(scope=EVERYTHING)))
    return dict(row)


def list_tokens() -> pd.DataFrame:
    with read_connection() as conn:
        result = conn.execute(select(
            ApiToken.name, ApiToken.purpose, ApiToken.prefix, ApiToken.region_adcode,
            ApiToken.note, ApiToken.created_at, ApiToken.created_by, ApiToken.revoked_at,
            ApiToken.revoked_by, ApiToken.last_used_at).order_by(ApiToken.created_at))
        return pd.DataFrame(result.all(), columns=list(result.keys()))
