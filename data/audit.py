"""The audit log: who did what, when, from which address (append-only).

:func:`record` is the one way in; everything that signs in, exports, writes a directive, moves
a problem, changes a user or a token, imports or makes a briefing calls it. Passwords and
token secrets are never passed to it. The audit page reads it with :func:`events`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

import pandas as pd
from flask import has_request_context, request
from sqlalchemy import Select, func, select

from data.auth_schema import AuditEvent
from data.store import read_connection, write_transaction

if TYPE_CHECKING:
    from data.accounts import Account

log = logging.getLogger(__name__)

#: Action code → Chinese name (the audit page's filter and column).
ACTIONS = {
    "login": "登录",
    "login_failed": "登录失败",
    "login_blocked": "登录受限（失败次数过多）",
    "device_login": "大屏设备登录",
    "device_login_failed": "大屏设备登录失败",
    "logout": "退出登录",
    "access_denied": "越权访问被拒",
    "export": "导出",
    "briefing": "生成简报",
    "briefing_download": "下载简报",
    "import": "导入数据",
    "import_withdraw": "撤销导入批次",
    "directive": "签发批示/督办单",
    "reply": "回复批示/督办单",
    "stage_move": "问题阶段推进",
    "user_create": "新建用户",
    "user_update": "修改用户",
    "user_disable": "停用用户",
    "user_enable": "启用用户",
    "password_set": "重设密码",
    "sessions_revoke": "强制下线（注销会话）",
    "token_create": "新建令牌",
    "token_revoke": "吊销令牌",
    "api_push": "接口推送",
    "ranking_weights": "修改赛马榜权重",
}
OUTCOMES = {"ok": "成功", "refused": "被拒绝", "failed": "失败"}


def client_address() -> str | None:
    """The client's address (the proxy's forwarded one where proxies are trusted)."""
    return request.remote_addr if has_request_context() else None


def record(action: str, *, by: Account | None = None, by_name: str | None = None,
           target: str | None = None, detail: str | None = None, outcome: str = "ok",
           address: str | None = None) -> None:
    """Append one event. ``by`` is the acting account (``by_name`` a name to record instead,
    e.g. the user name typed at a failed sign-in, or 命令行)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    values = {
        "at": datetime.now().replace(microsecond=0),
        "user_id": by.id if by is not None else None,
        "username": (by_name if by_name is not None else
                     by.username if by is not None else None),
        "action": action,
        "target": (target or "")[:200] or None,
        "detail": detail or None,
        "address": (address or client_address() or "")[:64] or None,
        "outcome": outcome,
    }
    with write_transaction(figures=False) as conn:
        conn.execute(AuditEvent.__table__.insert().values(**values))


@dataclass(frozen=True)
class AuditFilter:
    username: str | None = None
    action: str | None = None
    outcome: str | None = None
    address: str | None = None
    since: date | None = None
    until: date | None = None  # inclusive


def _filtered(statement: Select, filters: AuditFilter) -> Select:
    if filters.username:
        statement = statement.where(AuditEvent.username == filters.username.strip().lower())
    if filters.action:
        statement = statement.where(AuditEvent.action == filters.action)
    if filters.outcome:
        statement = statement.where(AuditEvent.outcome == filters.outcome)
    if filters.address:
        statement = statement.where(AuditEvent.address == filters.address.strip())
    if filters.since:
        statement = statement.where(AuditEvent.at >= datetime.combine(filters.since,
                                                                      datetime.min.time()))
    if filters.until:
        statement = statement.where(AuditEvent.at < datetime.combine(
            filters.until + timedelta(days=1), datetime.min.time()))
    return statement


def events(filters: AuditFilter, *, limit: int | None = 2000) -> pd.DataFrame:
    """Events that pass ``filters``, newest first, with the action's and outcome's names."""
    statement = _filtered(select(AuditEvent), filters).order_by(AuditEvent.at.desc(),
                                                                AuditEvent.id.desc())
    if limit is not None:
        statement = statement.limit(limit)
    with read_connection() as conn:
        result = conn.execute(statement)
        frame = pd.DataFrame(result.all(), columns=list(result.keys()))
    frame["action_name"] = frame["action"].map(ACTIONS).fillna(frame["action"])
    frame["outcome_name"] = frame["outcome"].map(OUTCOMES).fillna(frame["outcome"])
    return frame


def count(filters: AuditFilter) -> int:
    with read_connection() as conn:
        return int(conn.execute(_filtered(select(func.count()).select_from(AuditEvent),
                                          filters)).scalar_one())


def usernames() -> list[str]:
    with read_connection() as conn:
        return sorted(n for n in conn.execute(select(AuditEvent.username).distinct()
                                              ).scalars() if n)


def record_denied(target: str) -> None:
    """An attempt to open something outside the viewer's scope (an edited address, a forged
    callback): written with the signed-in user, never in the way of the answer."""
    if not has_request_context():
        return
    from flask_login import current_user

    from data.store import StoreUnavailable

    account = current_user._get_current_object() if current_user else None
    by = account if getattr(account, "is_authenticated", False) else None
    try:
        record("access_denied", by=by, target=target, outcome="refused")
    except StoreUnavailable:
        log.warning("audit log unavailable; denied access to %s not recorded", target)
