"""The command-line side of imports (registered on the app by ``app.register_cli``):

    flask --app app import --kind indicator-values FILE      # exit 1 when refused
    flask --app app import-template --kind tasks [--csv] OUT
    flask --app app batches [--kind K]
    flask --app app withdraw-batch ID
    flask --app app create-token NAME [--purpose push|device] [--region ADCODE]
    flask --app app revoke-token NAME
    flask --app app tokens
"""

from __future__ import annotations

import getpass
from pathlib import Path

import click
from flask import Flask, current_app

from data.imports.kinds import KINDS
from data.scope import EVERYTHING

SHOWN_ISSUES = 50


def _actor(given: str | None) -> str:
    if given:
        return given
    try:
        return f"命令行（{getpass.getuser()}）"
    except Exception:  # no login name in some containers
        return "命令行"


def register(server: Flask) -> None:
    @server.cli.command("import")
    @click.option("--kind", "kind", required=True, type=click.Choice(sorted(KINDS)),
                  help="What the file holds (see the README).")
    @click.option("--actor", default=None, help="Who imports (recorded with the batch).")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    def import_command(kind: str, file: Path, actor: str | None) -> None:
        """Import FILE (.xlsx or CSV) — all rows or none."""
        from data.imports.run import run_import

        settings = current_app.config["COCKPIT_SETTINGS"]
        outcome = run_import(file, kind=kind, channel="cli", actor=_actor(actor),
                             filename=file.name, max_bytes=settings.import_max_bytes)
        if outcome.accepted:
            click.echo(outcome.summary())
            return
        click.echo(outcome.message, err=True)
        for issue in outcome.issues[:SHOWN_ISSUES]:
            click.echo(f"  {issue.sentence()}", err=True)
        if outcome.issue_count > SHOWN_ISSUES:
            click.echo(f"  ……另有 {outcome.issue_count - SHOWN_ISSUES} 处问题，"
                       f"见 /data?batch={outcome.batch_id}", err=True)
        raise click.exceptions.Exit(1)

    @server.cli.command("import-template")
    @click.option("--kind", "kind", required=True, type=click.Choice(sorted(KINDS)))
    @click.option("--csv", "as_csv", is_flag=True, help="CSV (UTF-8 with BOM) instead of .xlsx.")
    @click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
    def template_command(kind: str, as_csv: bool, out: Path) -> None:
        """Write the template of KIND to OUT."""
        from data.imports.templates import csv_template, xlsx_template

        data = csv_template(kind) if as_csv else xlsx_template(kind)
        out.write_bytes(data)
        click.echo(f"已写出模板：{out}")

    @server.cli.command("batches")
    @click.option("--kind", "kind", default=None, type=click.Choice(sorted(KINDS)))
    @click.option("--limit", default=30, show_default=True)
    def batches_command(kind: str | None, limit: int) -> None:
        """List the latest import batches."""
        from data.imports.batches import CHANNEL_NAMES, STATUS_NAMES, batches

        frame = batches(scope=EVERYTHING, kind=kind, limit=limit)
        for row in frame.itertuples():
            origin = row.filename or row.system_name or ""
            click.echo(f"{row.id:>5}  {row.created_at:%Y-%m-%d %H:%M}  "
                       f"{STATUS_NAMES.get(row.status, row.status)}  {row.kind:<18} "
                       f"{CHANNEL_NAMES.get(row.channel, row.channel)}  {origin}  {row.actor}  "
                       f"新增{row.inserted} 更新{row.updated} 未变{row.unchanged}")

    @server.cli.command("withdraw-batch")
    @click.argument("batch_id", type=int)
    @click.option("--actor", default=None)
    def withdraw_command(batch_id: int, actor: str | None) -> None:
        """Withdraw an accepted batch (restores what it replaced)."""
        from data.imports.batches import WithdrawRefused, withdraw

        try:
            click.echo(withdraw(batch_id, actor=_actor(actor), scope=EVERYTHING))
        except WithdrawRefused as refused:
            raise click.ClickException(str(refused)) from refused

    @server.cli.command("create-token")
    @click.argument("name")
    @click.option("--purpose", type=click.Choice(["push", "device"]), default="push",
                  show_default=True, help="push: a system that sends figures; device: a wall "
                  "screen that only reads.")
    @click.option("--region", default=None, help="Limit a device token to a region's subtree.")
    @click.option("--note", default=None)
    @click.option("--actor", default=None)
    def create_token_command(name: str, purpose: str, region: str | None, note: str | None,
                             actor: str | None) -> None:
        """Create a bearer token; it is shown once and stored hashed."""
        from data.tokens import TokenRefused, create_token

        try:
            token = create_token(name=name, purpose=purpose, region=region, note=note,
                                 actor=_actor(actor))
        except TokenRefused as refused:
            raise click.ClickException(str(refused)) from refused
        click.echo(f"已创建令牌“{name}”（{purpose}）。请立即保存，它不会再次显示：")
        click.echo(token)

    @server.cli.command("revoke-token")
    @click.argument("name")
    @click.option("--actor", default=None)
    def revoke_token_command(name: str, actor: str | None) -> None:
        """Revoke a token: requests bearing it are refused from now on."""
        from data.tokens import TokenRefused, revoke_token

        try:
            revoke_token(name=name, actor=_actor(actor))
        except TokenRefused as refused:
            raise click.ClickException(str(refused)) from refused
        click.echo(f"已吊销令牌“{name}”。")

    @server.cli.command("tokens")
    def tokens_command() -> None:
        """List the tokens (never the tokens themselves)."""
        from data.tokens import list_tokens

        for row in list_tokens().itertuples():
            state = "已吊销" if row.revoked_at is not None and not _nat(row.revoked_at) else "有效"
            used = "" if _nat(row.last_used_at) else f"  最近使用 {row.last_used_at:%Y-%m-%d %H:%M}"
            click.echo(f"{row.name:<24} {row.purpose:<7} {row.prefix}…  {state}  "
                       f"创建于 {row.created_at:%Y-%m-%d %H:%M}（{row.created_by}）{used}")


def _nat(value) -> bool:
    import pandas as pd

    return value is None or pd.isna(value)
