"""The demo accounts (演示账号), written by ``seed-demo`` only, all with the published password
``Demo-2026`` (which a real account may never have): one per role, and a wall screen that
signs in with a published device token. Outside demo data no account exists until an
administrator makes one (``flask --app app:server create-user``)."""

from __future__ import annotations

from sqlalchemy import Connection, select, update

from data.accounts import DEMO_PASSWORD, digest, hash_password, now
from data.auth_schema import AccessToken, User

#: The demo wall screen's device token (published like the password; demo data only).
DEMO_SCREEN_TOKEN = "dev_Demo-2026-screen"
DEMO_SCREEN_NAME = "省指挥中心大屏（演示）"

#: username → (display name, unit, title, role, region, department)
DEMO_ACCOUNTS = {
    "leader": ("省领导（演示）", "省委改革办（省数字化改革办）", "主任", "leader", None, None),
    "hangzhou": ("杭州市用户（演示）", "杭州市数字化改革办", "工作人员", "region", "330100",
                 None),
    "xihu": ("西湖区用户（演示）", "西湖区数字化改革办", "工作人员", "region", "330106", None),
    "dsj": ("省大数据局用户（演示）", "省大数据发展管理局", "工作人员", "department", None,
            "BIGDATA"),
    "admin": ("系统管理员（演示）", "省数字化改革办信息中心", "系统管理员", "admin", None, None),
    "screen": ("省指挥中心大屏（演示）", "省数字化改革办指挥中心", None, "screen", "330000", None),
}


def seed_demo_accounts(conn: Connection, *, force: bool = False) -> str:
    """Create the demo accounts that do not exist (and the screen's device token); with
    ``force``, set their fields and password back. An account of the same name that is not
    a demo account is left alone."""
    users = User.__table__
    existing = {row.username: row for row in conn.execute(
        select(users.c.id, users.c.username, users.c.source)).all()}
    stamp = now()
    made, reset = [], []
    password_hash = None
    for username, (name, unit, title, role, region, department) in DEMO_ACCOUNTS.items():
        fields = {"display_name": name, "unit": unit, "title": title, "role": role,
                  "region_adcode": region, "department_code": department, "active": True,
                  "updated_at": stamp}
        if role != "screen":
            password_hash = password_hash or hash_password(DEMO_PASSWORD)
        secret = password_hash if role != "screen" else None
        found = existing.get(username)
        if found is None:
            conn.execute(users.insert().values(username=username, password_hash=secret,
                                               source="demo", created_at=stamp, **fields))
            made.append(username)
        elif found.source == "demo" and force:
            conn.execute(update(users).where(users.c.id == found.id)
                         .values(password_hash=secret, **fields))
            reset.append(username)
    screen_id = conn.execute(select(users.c.id).where(users.c.username == "screen",
                                                      users.c.source == "demo")).scalar()
    token_made = False
    if screen_id is not None:
        tokens = AccessToken.__table__
        if conn.execute(select(tokens.c.id).where(
                tokens.c.token_hash == digest(DEMO_SCREEN_TOKEN))).first() is None:
            conn.execute(tokens.insert().values(
                kind="device", name=DEMO_SCREEN_NAME, user_id=screen_id,
                token_hash=digest(DEMO_SCREEN_TOKEN), prefix=DEMO_SCREEN_TOKEN[:10],
                created_at=stamp, created_by="seed-demo"))
            token_made = True
    if not made and not reset and not token_made:
        return "演示账号已是最新，未改动。"
    parts = []
    if made:
        parts.append(f"新建 {'、'.join(made)}")
    if reset:
        parts.append(f"重置 {'、'.join(reset)}")
    return (f"已写入演示账号（{'；'.join(parts) or '大屏设备令牌'}），密码 {DEMO_PASSWORD}，"
            f"大屏设备令牌 {DEMO_SCREEN_TOKEN}。")
