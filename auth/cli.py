"""Commands to manage users and tokens (``flask --app app:server <command>``).

Whoever runs them has the server, so they need no sign-in; everything they change is written
to the audit log as done by 命令行. A password is asked for (twice, hidden) or read from
standard input (``--password-stdin``), never taken from the command line, which shells and
process lists keep.
"""

from __future__ import annotations

import sys

import click
from flask import Flask

from data import accounts

ROLE_CHOICE = click.Choice(list(accounts.ROLES))


def _refused(refused: accounts.AccountRefused) -> click.ClickException:
    return click.ClickException("\n".join(refused.messages))


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return click.prompt("密码", hide_input=True, confirmation_prompt="再次输入密码")


def register_cli(server: Flask) -> None:
    @server.cli.command("create-user")
    @click.argument("username")
    @click.option("--name", "display_name", required=True, help="姓名（或大屏的名称）")
    @click.option("--unit", required=True, help="单位，如 杭州市数字化改革办")
    @click.option("--role", required=True, type=ROLE_CHOICE,
                  help="leader / region / department / admin / screen")
    @click.option("--region", default=None, help="地区的行政区划代码，如 330100")
    @click.option("--department", default=None, help="部门编码，如 BIGDATA")
    @click.option("--title", default=None, help="职务（签发批示时署名）")
    @click.option("--password-stdin", is_flag=True, help="从标准输入读取密码")
    def create_user(username, display_name, unit, role, region, department, title,
                    password_stdin):
        """Create a user (a screen account gets no password: give it a device token)."""
        password = None if role == "screen" else _read_password(password_stdin)
        try:
            account = accounts.create_user(
                username=username, display_name=display_name, unit=unit, role=role,
                region=region, department=department, title=title, password=password,
                by=None, source="cli")
        except accounts.AccountRefused as refused:
            raise _refused(refused) from refused
        click.echo(f"已创建用户 {account.username}（{account.role_name}）。")

    @server.cli.command("set-password")
    @click.argument("username")
    @click.option("--password-stdin", is_flag=True, help="从标准输入读取密码")
    def set_password(username, password_stdin):
        """Give a user a new password (the user's sessions end)."""
        try:
            accounts.set_password(username=username, password=_read_password(password_stdin),
                                  by=None)
        except accounts.AccountRefused as refused:
            raise _refused(refused) from refused
        click.echo(f"已为 {username} 设置新密码，其已登录的会话均已退出。")

    @server.cli.command("disable-user")
    @click.argument("username")
    def disable_user(username):
        """Disable a user; the user's sessions end at once."""
        try:
            accounts.set_active(username=username, active=False, by=None)
        except accounts.AccountRefused as refused:
            raise _refused(refused) from refused
        click.echo(f"已停用用户 {username}。")

    @server.cli.command("enable-user")
    @click.argument("username")
    def enable_user(username):
        """Enable a disabled user again."""
        try:
            accounts.set_active(username=username, active=True, by=None)
        except accounts.AccountRefused as refused:
            raise _refused(refused) from refused
        click.echo(f"已启用用户 {username}。")

    @server.cli.command("list-users")
    def list_users():
        """List the users, their roles and scopes."""
        for a in accounts.list_users():
            state = "" if a.active else "（已停用）"
            click.echo(f"{a.username:<16} {a.role_name:<6} 地区={a.region or '—':<7} "
                       f"部门={a.department or '—':<14} {a.display_name} · {a.unit}{state}")

    @server.cli.command("create-token")
    @click.option("--kind", required=True, type=click.Choice(list(accounts.TOKEN_KINDS)),
                  help="device（大屏设备）或 api（数据推送系统）")
    @click.option("--name", required=True, help="大屏所在位置，或推送数据的系统名称")
    @click.option("--user", "username", default=None,
                  help="令牌所属账号：device 须为大屏账号；api 可选，限定推送范围")
    def create_token(kind, name, username):
        """Create a token and print its secret (shown this once only)."""
        try:
            info, secret = accounts.create_token(kind=kind, name=name, username=username,
                                                 by=None)
        except accounts.AccountRefused as refused:
            raise _refused(refused) from refused
        click.echo(f"已创建{accounts.TOKEN_KINDS[kind]} #{info.id}（{info.name}）。"
                   "令牌只显示这一次，请妥善保存：")
        click.echo(secret)
        if kind == "device":
            click.echo(f"大屏地址：/login/device#token={secret}&next=/screen")
        else:
            click.echo(f"请求头：Authorization: Bearer {secret}")

    @server.cli.command("revoke-token")
    @click.argument("token_id", type=int)
    def revoke_token(token_id):
        """Revoke a token; a screen signed in with it is signed out at its next request."""
        try:
            info = accounts.revoke_token(token_id=token_id, by=None)
        except accounts.AccountRefused as refused:
            raise _refused(refused) from refused
        click.echo(f"已吊销令牌 #{info.id}（{info.name}）。")

    @server.cli.command("list-tokens")
    def list_tokens():
        """List the tokens (never their secrets)."""
        for t in accounts.list_tokens():
            state = f"已吊销 {t.revoked_at:%Y-%m-%d %H:%M}" if t.revoked_at else "有效"
            used = f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "未使用"
            owner = t.user.username if t.user else "—"
            click.echo(f"#{t.id:<4} {t.kind:<6} {t.prefix}…  {t.name}  账号={owner}  "
                       f"最近使用={used}  {state}")
