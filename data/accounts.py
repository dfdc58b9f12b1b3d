"""Users, their sessions and access tokens: the store side of signing in.

- An :class:`Account` is a user as the rest of the app sees it; its :attr:`Account.scope` is
  what it may see (the one rule from role, region and department to a :class:`Scope`).
- Passwords are hashed with argon2id (``argon2-cffi``); a new password must be strong
  (:func:`password_problems`), except the demo accounts' published one, set by ``seed-demo``.
- A session is a random secret held in the browser's signed cookie; the store keeps its
  SHA-256 with its user, kind, expiry and revocation, so that logging out, disabling a user
  or revoking a screen's token ends it at once on every worker.
- An access token (``device`` for a wall screen, ``api`` for a system that pushes data) is a
  random secret shown once; the store keeps its SHA-256. :func:`verify_token` is the one
  check, for the screen's sign-in and for the push API alike.

Changes to users and tokens are allowed to an administrator (an :class:`Account` with the
``admin`` role) or to the command line (``by=None``: whoever runs it has the server), and are
written to the audit log. None of these writes changes a figure, so none bumps the data
version; those that change who a live session is or what it may see (a user changed or
disabled, a session ended, a token revoked) bump the accounts version, against which each
worker's sessions kept in memory are checked (:mod:`data.kept_sessions`).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import bindparam, func, select, update

from data import audit
from data.auth_schema import AccessToken, User, UserSession
from data.kept_sessions import KeptSession, kept_sessions
from data.schema import Department, Region
from data.scope import NOTHING, Scope
from data.store import read_connection, versions, write_transaction

#: Role code → Chinese name. The role, the region and the department decide the scope.
ROLES = {
    "leader": "省领导",
    "region": "地区用户",
    "department": "部门用户",
    "admin": "管理员",
    "screen": "大屏账号",
}
ROLE_RULES = {
    "leader": "全省所有地区、所有部门",
    "region": "本地区及下级地区（如同时指定部门：本地区内该部门的事项）",
    "department": "本部门的指标、任务和问题，覆盖所有地区（如同时指定地区：该地区内）",
    "admin": "用户、令牌、数据导入和审计日志；数据范围同省领导（或所指定的地区、部门）",
    "screen": "一个地区的大屏，只读，用设备令牌登录",
}
TOKEN_KINDS = {"device": "大屏设备令牌", "api": "数据推送令牌"}
USERNAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{1,39}$")
MIN_PASSWORD = 10
#: Passwords never accepted for a real account: the demo accounts' published password and
#: the commonest choices.
COMMON_PASSWORDS = {
    "demo-2026", "password", "password1", "password123", "p@ssw0rd", "p@ssword1",
    "admin123", "admin@123", "admin12345", "admin@12345", "admin@2026", "qwerty123",
    "qwerty@123", "1qaz2wsx", "1qaz@wsx", "1qaz@wsx3edc", "welcome@123", "passw0rd!",
    "abc12345", "abcd1234", "12345678", "123456789", "1234567890", "zhejiang123",
    "zhejiang@123", "zj123456",
}
DEMO_PASSWORD = "Demo-2026"

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
#: A real hash, verified when the user name is unknown so that both answers take as long.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class AccountRefused(ValueError):
    """The input is refused; ``messages`` say why (in Chinese)."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("；".join(messages))
        self.messages = messages


class NotAllowed(PermissionError):
    """The acting user may not do this (e.g. manage users without the admin role)."""


@dataclass(frozen=True)
class Account:
    """A user as the app sees it (and as Flask-Login's ``current_user``)."""

    id: int
    username: str
    display_name: str
    unit: str
    title: str | None
    role: str
    region: str | None
    department: str | None
    active: bool
    source: str
    #: The secret of the session this account was loaded for (held by the browser's
    #: cookie; the store keeps only its SHA-256), and the session's kind.
    session_secret: str | None = field(default=None, repr=False, compare=False)
    session_kind: str | None = field(default=None, compare=False)

    # Flask-Login's interface
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str | None:
        return self.session_secret

    @property
    def scope(self) -> Scope:
        """What this user may see (and, unless read-only, act on)."""
        if not self.active:
            return NOTHING
        if self.role == "leader":
            return Scope()
        if self.role == "screen" and not self.region:
            return NOTHING
        return Scope(regions=(self.region,) if self.region else None,
                     departments=(self.department,) if self.department else None,
                     read_only=self.role == "screen")

    @property
    def role_name(self) -> str:
        return ROLES.get(self.role, self.role)

    @property
    def is_admin(self) -> bool:
        return self.active and self.role == "admin"

    @property
    def can_write(self) -> bool:
        return self.active and self.role != "screen"

    @property
    def author_role(self) -> str:
        """How the user signs a directive: the title, or else the role."""
        return self.title or self.role_name


def _account(row) -> Account:
    return Account(id=row.id, username=row.username, display_name=row.display_name,
                   unit=row.unit, title=row.title, role=row.role, region=row.region_adcode,
                   department=row.department_code, active=bool(row.active), source=row.source)


def now() -> datetime:
    """The wall clock (sessions, tokens and the audit log are about real time, not the demo's
    pinned day)."""
    return datetime.now().replace(microsecond=0)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


# --- passwords ----------------------------------------------------------------------------------

def password_problems(password: str | None, *, username: str = "") -> list[str]:
    """Why a new password is not strong enough (empty when it is)."""
    password = password or ""
    problems = []
    if len(password) < MIN_PASSWORD:
        problems.append(f"密码至少 {MIN_PASSWORD} 位。")
    classes = sum(bool(re.search(p, password)) for p in (r"[a-z]", r"[A-Z]", r"\d", r"[^\w\s]|_"))
    if classes < 3:
        problems.append("密码须包含大写字母、小写字母、数字、符号中的至少三类。")
    if username and username.lower() in password.lower():
        problems.append("密码不能包含用户名。")
    if password.lower() in COMMON_PASSWORDS:
        problems.append("该密码过于常见（或是演示账号的公开密码），请换一个。")
    return problems


def hash_password(password: str) -> str:
    return _hasher.hash(password)


# --- reading users -----------------------------------------------------------------------------

def find_user(username: str) -> Account | None:
    with read_connection() as conn:
        row = conn.execute(select(User).where(User.username == username.strip().lower())
                           ).first()
    return _account(row) if row else None


def list_users() -> list[Account]:
    with read_connection() as conn:
        rows = conn.execute(select(User).order_by(User.role, User.username)).all()
    return [_account(r) for r in rows]


def check_password(username: str, password: str) -> Account | None:
    """The active account with this user name and password, else ``None`` (as slow either
    way). A hash made with older parameters is renewed."""
    name = (username or "").strip().lower()
    with read_connection() as conn:
        row = conn.execute(select(User).where(User.username == name)).first()
    stored = row.password_hash if row is not None else None
    try:
        _hasher.verify(stored or _DUMMY_HASH, password or "")
    except (VerificationError, InvalidHashError):
        return None
    if row is None or stored is None or not row.active:
        return None
    if _hasher.check_needs_rehash(stored):
        with write_transaction(figures=False) as conn:
            conn.execute(update(User).where(User.id == row.id)
                         .values(password_hash=_hasher.hash(password)))
    return _account(row)


# --- changing users (administrators and the command line) ---------------------------------------

def _require_admin(by: Account | None) -> str:
    """The name to record for ``by``; refuses anyone but an administrator."""
    if by is None:
        return "命令行"
    if not by.is_admin:
        raise NotAllowed("只有管理员可以管理用户和令牌。")
    return by.username


def _check_fields(*, role: str, region: str | None, department: str | None,
                  display_name: str, unit: str) -> list[str]:
    problems = []
    if role not in ROLES:
        problems.append(f"角色“{role}”无法识别，应为 {'、'.join(ROLES)} 之一。")
    if not (display_name or "").strip():
        problems.append("请填写姓名（或大屏的名称）。")
    if not (unit or "").strip():
        problems.append("请填写单位。")
    with read_connection() as conn:
        if region and not conn.execute(select(Region.adcode).where(Region.adcode == region)
                                       ).first():
            problems.append(f"未找到行政区划代码为“{region}”的地区。")
        if department and not conn.execute(
                select(Department.code).where(Department.code == department)).first():
            problems.append(f"未找到编码为“{department}”的部门。")
    if role == "leader" and (region or department):
        problems.append("省领导看全省所有地区和部门，不能再指定地区或部门。")
    if role == "region" and not region:
        problems.append("地区用户须指定地区。")
    if role == "department" and not department:
        problems.append("部门用户须指定部门。")
    if role == "screen" and not region:
        problems.append("大屏账号须指定一个地区。")
    if role == "screen" and department:
        problems.append("大屏账号只按地区显示，不能指定部门。")
    return problems


def create_user(*, username: str, display_name: str, unit: str, role: str,
                password: str | None, title: str | None = None, region: str | None = None,
                department: str | None = None, by: Account | None, source: str = "admin",
                check_strength: bool = True) -> Account:
    """Create a user. A screen account has no password (it signs in with a device token);
    everyone else needs a strong one (``check_strength=False`` only for the demo seeder)."""
    who = _require_admin(by)
    username = (username or "").strip().lower()
    region, department = region or None, department or None
    problems = []
    if not USERNAME.match(username):
        problems.append("用户名须为 2–40 位小写字母、数字或 _ . -，以字母或数字开头。")
    elif find_user(username) is not None:
        problems.append(f"用户名“{username}”已存在。")
    problems += _check_fields(role=role, region=region, department=department,
                              display_name=display_name, unit=unit)
    if role == "screen":
        if password:
            problems.append("大屏账号不设密码，用设备令牌登录。")
    elif check_strength:
        problems += password_problems(password, username=username)
    elif not password:
        problems.append("请设置密码。")
    if problems:
        raise AccountRefused(problems)
    stamp = now()
    with write_transaction(figures=False) as conn:
        conn.execute(User.__table__.insert().values(
            username=username, display_name=display_name.strip(), unit=unit.strip(),
            title=(title or "").strip() or None, role=role, region_adcode=region,
            department_code=department,
            password_hash=hash_password(password) if password else None, active=True,
            source=source, created_at=stamp, updated_at=stamp)).inserted_primary_key[0]
    audit.record("user_create", by=by, by_name=who, target=username,
                 detail=f"{ROLES[role]} · {region or '—'} · {department or '—'}")
    return find_user(username)


def update_user(*, username: str, by: Account | None, display_name: str, unit: str,
                title: str | None, role: str, region: str | None,
                department: str | None) -> Account:
    """Change a user's name, unit, title, role, region or department. A change of what the
    user may see ends the user's sessions (the next request signs in again)."""
    who = _require_admin(by)
    current = find_user(username)
    if current is None:
        raise AccountRefused([f"未找到用户“{username}”。"])
    region, department = region or None, department or None
    problems = _check_fields(role=role, region=region, department=department,
                             display_name=display_name, unit=unit)
    if role == "screen" and current.role != "screen":
        problems.append("不能把人员账号改为大屏账号：请新建大屏账号。")
    if current.role == "screen" and role != "screen":
        problems.append("不能把大屏账号改为人员账号：请新建用户。")
    if by is not None and by.id == current.id and role != "admin":
        problems.append("不能取消自己的管理员角色。")
    if problems:
        raise AccountRefused(problems)
    with write_transaction(figures=False, accounts=True) as conn:
        conn.execute(update(User).where(User.id == current.id).values(
            display_name=display_name.strip(), unit=unit.strip(),
            title=(title or "").strip() or None, role=role, region_adcode=region,
            department_code=department, updated_at=now()))
    changed = replace(current, display_name=display_name.strip(), unit=unit.strip(),
                      title=(title or "").strip() or None, role=role, region=region,
                      department=department)
    if changed.scope != current.scope or changed.role != current.role:
        revoke_sessions(user_id=current.id)
    audit.record("user_update", by=by, by_name=who, target=username,
                 detail=f"{ROLES[role]} · {region or '—'} · {department or '—'}")
    return find_user(username)


def set_password(*, username: str, password: str, by: Account | None) -> None:
    """Give a user a new (strong) password; the user's sessions end."""
    who = _require_admin(by)
    current = find_user(username)
    if current is None:
        raise AccountRefused([f"未找到用户“{username}”。"])
    if current.role == "screen":
        raise AccountRefused(["大屏账号不设密码，用设备令牌登录。"])
    problems = password_problems(password, username=current.username)
    if problems:
        raise AccountRefused(problems)
    with write_transaction(figures=False) as conn:
        conn.execute(update(User).where(User.id == current.id)
                     .values(password_hash=hash_password(password), updated_at=now()))
    revoke_sessions(user_id=current.id)
    audit.record("password_set", by=by, by_name=who, target=username)


def set_active(*, username: str, active: bool, by: Account | None) -> None:
    """Disable (or enable again) a user; disabling ends the user's sessions at once."""
    who = _require_admin(by)
    current = find_user(username)
    if current is None:
        raise AccountRefused([f"未找到用户“{username}”。"])
    if by is not None and by.id == current.id and not active:
        raise AccountRefused(["不能停用自己的账号。"])
    with write_transaction(figures=False, accounts=True) as conn:
        conn.execute(update(User).where(User.id == current.id)
                     .values(active=active, updated_at=now()))
    if not active:
        revoke_sessions(user_id=current.id)
    audit.record("user_enable" if active else "user_disable", by=by, by_name=who,
                 target=username)


def end_sessions(*, username: str, by: Account | None) -> int:
    """Sign a user out everywhere at once (every live session ends); returns how many."""
    who = _require_admin(by)
    current = find_user(username)
    if current is None:
        raise AccountRefused([f"未找到用户“{username}”。"])
    ended = revoke_sessions(user_id=current.id)
    audit.record("sessions_revoke", by=by, by_name=who, target=username,
                 detail=f"{ended} 个会话")
    return ended


# --- sessions -----------------------------------------------------------------------------------

def open_session(*, account: Account, kind: str, lifetime: timedelta,
                 token_id: int | None = None, address: str | None = None,
                 user_agent: str | None = None) -> str:
    """Start a session for ``account``; returns the secret for the browser's cookie."""
    secret = secrets.token_urlsafe(32)
    stamp = now()
    with write_transaction(figures=False) as conn:
        conn.execute(UserSession.__table__.insert().values(
            id=digest(secret), user_id=account.id, kind=kind, token_id=token_id,
            created_at=stamp, last_seen_at=stamp, expires_at=stamp + lifetime,
            address=(address or "")[:64] or None, user_agent=(user_agent or "")[:200] or None))
    return secret


#: A session's last_seen_at (and a screen's sliding expiry) is written at most this often.
TOUCH_EVERY = timedelta(minutes=5)


#: A live session's row as :func:`session_account` reads it, built once.
_SESSION_ROW = (
    select(User, UserSession.kind, UserSession.expires_at, UserSession.last_seen_at,
           UserSession.revoked_at, UserSession.token_id,
           AccessToken.revoked_at.label("token_revoked_at"))
    .join(UserSession, UserSession.user_id == User.id)
    .outerjoin(AccessToken, AccessToken.id == UserSession.token_id)
    .where(UserSession.id == bindparam("session_id")))


def session_account(secret: str, *, device_lifetime: timedelta) -> Account | None:
    """The account of a live session: not revoked, not expired, its user active and, for a
    screen, its device token not revoked. A screen's session is renewed while in use.

    Kept in the worker's memory under the store's versions (:mod:`data.kept_sessions`): read
    from the store again after any write that could change the answer, in any worker."""
    if not secret:
        return None
    session_id = digest(secret)
    seen = versions()  # before the session: a change after it is a change of version
    memory = kept_sessions()
    stamp = now()
    kept = memory.get(session_id, seen)
    if kept is None or kept.expires_at <= stamp:
        kept = _live_session(session_id, stamp)
        if kept is None:
            memory.forget(session_id)
            return None
    if stamp - kept.last_seen_at >= TOUCH_EVERY:
        values = {"last_seen_at": stamp}
        if kept.kind == "device":
            values["expires_at"] = stamp + device_lifetime
        with write_transaction(figures=False) as conn:
            conn.execute(update(UserSession).where(UserSession.id == session_id)
                         .values(**values))
        kept = replace(kept, **values)
    memory.keep(session_id, seen, kept)
    return replace(kept.account, session_secret=secret, session_kind=kept.kind)


def _live_session(session_id: str, stamp: datetime) -> KeptSession | None:
    """The session as the store has it, if it is live at ``stamp``."""
    with read_connection() as conn:
        row = conn.execute(_SESSION_ROW, {"session_id": session_id}).first()
    if (row is None or row.revoked_at is not None or row.expires_at <= stamp
            or not row.active or row.token_revoked_at is not None):
        return None
    return KeptSession(account=_account(row), kind=row.kind, expires_at=row.expires_at,
                       last_seen_at=row.last_seen_at)


def close_session(session_id: str) -> None:
    with write_transaction(figures=False, accounts=True) as conn:
        conn.execute(update(UserSession).where(UserSession.id == session_id,
                                               UserSession.revoked_at.is_(None))
                     .values(revoked_at=now()))


def revoke_sessions(*, user_id: int | None = None, token_id: int | None = None) -> int:
    """End every live session of a user (or opened with a device token)."""
    condition = (UserSession.user_id == user_id if user_id is not None
                 else UserSession.token_id == token_id)
    with write_transaction(figures=False, accounts=True) as conn:
        return conn.execute(update(UserSession).where(condition,
                                                      UserSession.revoked_at.is_(None))
                            .values(revoked_at=now())).rowcount


def live_sessions() -> dict[int, int]:
    """User id → number of live sessions (for the admin page)."""
    with read_connection() as conn:
        rows = conn.execute(select(UserSession.user_id, func.count())
                            .where(UserSession.revoked_at.is_(None),
                                   UserSession.expires_at > now())
                            .group_by(UserSession.user_id)).all()
    return {user_id: count for user_id, count in rows}


# --- access tokens --------------------------------------------------------------------------------

@dataclass(frozen=True)
class TokenInfo:
    id: int
    kind: str
    name: str
    prefix: str
    user: Account | None
    created_at: datetime
    created_by: str
    last_used_at: datetime | None
    revoked_at: datetime | None

    @property
    def scope(self) -> Scope:
        """What the token's holder may see or write: its account's scope, or everything
        for a pushing system not bound to an account."""
        return self.user.scope if self.user is not None else Scope()


def _token(row, user: Account | None) -> TokenInfo:
    return TokenInfo(id=row.id, kind=row.kind, name=row.name, prefix=row.prefix, user=user,
                     created_at=row.created_at, created_by=row.created_by,
                     last_used_at=row.last_used_at, revoked_at=row.revoked_at)


def create_token(*, kind: str, name: str, by: Account | None, username: str | None = None,
                 secret: str | None = None) -> tuple[TokenInfo, str]:
    """Make a token and return it with its secret (shown once, never stored). A device
    token needs a screen account (``username``); an api token may name an account whose
    scope limits what it pushes. ``secret`` is given only by the demo seeder."""
    who = _require_admin(by)
    problems = []
    if kind not in TOKEN_KINDS:
        problems.append(f"令牌类型“{kind}”无法识别，应为 device 或 api。")
    if not (name or "").strip():
        problems.append("请填写令牌的名称（大屏所在位置或推送数据的系统）。")
    account = find_user(username) if username else None
    if username and account is None:
        problems.append(f"未找到用户“{username}”。")
    if kind == "device" and (account is None or account.role != "screen"):
        problems.append("设备令牌须属于一个大屏账号（--user）。")
    if kind == "api" and account is not None and account.role == "screen":
        problems.append("数据推送令牌不能属于大屏账号（大屏只读）。")
    if problems:
        raise AccountRefused(problems)
    secret = secret or f"{'dev' if kind == 'device' else 'api'}_{secrets.token_urlsafe(32)}"
    stamp = now()
    with write_transaction(figures=False) as conn:
        token_id = conn.execute(AccessToken.__table__.insert().values(
            kind=kind, name=name.strip(), user_id=account.id if account else None,
            token_hash=digest(secret), prefix=secret[:10], created_at=stamp, created_by=who,
        )).inserted_primary_key[0]
    audit.record("token_create", by=by, by_name=who, target=f"{kind}#{token_id} {name}",
                 detail=f"账号：{username or '—'}")
    return token(token_id), secret


def token(token_id: int) -> TokenInfo | None:
    with read_connection() as conn:
        row = conn.execute(select(AccessToken).where(AccessToken.id == token_id)).first()
    if row is None:
        return None
    return _token(row, _user_by_id(row.user_id))


def _user_by_id(user_id: int | None) -> Account | None:
    if user_id is None:
        return None
    with read_connection() as conn:
        row = conn.execute(select(User).where(User.id == user_id)).first()
    return _account(row) if row else None


def list_tokens() -> list[TokenInfo]:
    with read_connection() as conn:
        rows = conn.execute(select(AccessToken).order_by(AccessToken.id)).all()
    users = {a.id: a for a in list_users()}
    return [_token(r, users.get(r.user_id)) for r in rows]


def verify_token(secret: str | None, *, kind: str) -> TokenInfo | None:
    """The live token of ``kind`` with this secret (its account active), else ``None``."""
    if not secret:
        return None
    with read_connection() as conn:
        row = conn.execute(select(AccessToken).where(AccessToken.token_hash == digest(secret),
                                                     AccessToken.kind == kind)).first()
    if row is None or row.revoked_at is not None:
        return None
    account = _user_by_id(row.user_id)
    if row.user_id is not None and (account is None or not account.active):
        return None
    stamp = now()
    if row.last_used_at is None or stamp - row.last_used_at >= TOUCH_EVERY:
        with write_transaction(figures=False) as conn:
            conn.execute(update(AccessToken).where(AccessToken.id == row.id)
                         .values(last_used_at=stamp))
    return _token(row, account)


def revoke_token(*, token_id: int, by: Account | None) -> TokenInfo:
    """Revoke a token; a screen signed in with it is signed out at its next request."""
    who = _require_admin(by)
    found = token(token_id)
    if found is None:
        raise AccountRefused([f"未找到编号为 {token_id} 的令牌。"])
    with write_transaction(figures=False, accounts=True) as conn:
        conn.execute(update(AccessToken).where(AccessToken.id == token_id,
                                               AccessToken.revoked_at.is_(None))
                     .values(revoked_at=now(), revoked_by=who))
    revoke_sessions(token_id=token_id)
    audit.record("token_revoke", by=by, by_name=who, target=f"{found.kind}#{token_id} "
                                                          f"{found.name}")
    return token(token_id)
