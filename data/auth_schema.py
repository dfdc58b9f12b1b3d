"""Tables of users, their sessions, access tokens (wall screens, pushing systems) and the
audit log. Declared on :class:`data.schema.Base` like every topic's tables.

Secrets are never stored: a password as its argon2 hash, a session or a token as the SHA-256
of a random value of 256 bits (which only the browser or the system holds).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from data.schema import Base


class User(Base):
    """A person (or a wall screen) who signs in. The role and the region and department
    decide what the user sees (see :func:`data.accounts.Account.scope`)."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    display_name: Mapped[str] = mapped_column(String(40))
    unit: Mapped[str] = mapped_column(String(80))
    title: Mapped[str | None] = mapped_column(String(60))
    #: leader / region / department / admin / screen (see data.accounts.ROLES)
    role: Mapped[str] = mapped_column(String(12))
    region_adcode: Mapped[str | None] = mapped_column(ForeignKey("regions.adcode"))
    department_code: Mapped[str | None] = mapped_column(ForeignKey("departments.code"))
    #: argon2id hash; ``None`` for an account that cannot sign in with a password (a screen).
    password_hash: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: 'demo' (made by seed-demo), 'cli' or 'admin' (made by an administrator).
    source: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class UserSession(Base):
    """A signed-in browser. The cookie holds a random secret; the store its SHA-256."""

    __tablename__ = "user_sessions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    #: 'password' (a person at the login form) or 'device' (a wall screen's token).
    kind: Mapped[str] = mapped_column(String(10))
    token_id: Mapped[int | None] = mapped_column(ForeignKey("access_tokens.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    address: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(200))


class AccessToken(Base):
    """A long-lived secret for a machine: a wall screen signs in with a ``device`` token,
    a system pushes data with an ``api`` token. Created by a command or an administrator,
    shown once, stored hashed, revocable."""

    __tablename__ = "access_tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), index=True)
    #: The screen's place or the pushing system's name, e.g. "省大数据局数据中台".
    name: Mapped[str] = mapped_column(String(80))
    #: The account the token acts as (a device token: its screen account; an api token:
    #: optional, limits the pushed data to that account's scope).
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: The token's first characters, to tell tokens apart in lists (not a secret).
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(40))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_by: Mapped[str | None] = mapped_column(String(40))


class AuditEvent(Base):
    """Who did what, when, from which address (append-only)."""

    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    user_id: Mapped[int | None] = mapped_column(Integer)
    #: The user name as typed or signed in (kept even if the user is later renamed).
    username: Mapped[str | None] = mapped_column(String(40), index=True)
    #: login, login_failed, logout, export, directive, stage_move … (data.audit.ACTIONS)
    action: Mapped[str] = mapped_column(String(30), index=True)
    target: Mapped[str | None] = mapped_column(String(200))
    detail: Mapped[str | None] = mapped_column(Text)
    address: Mapped[str | None] = mapped_column(String(64), index=True)
    #: 'ok', 'refused' (the rules or the permissions said no) or 'failed'.
    outcome: Mapped[str] = mapped_column(String(10))
