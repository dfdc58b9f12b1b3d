"""The command-line side of imports (registered on the app by ``app.register_cli``):

    flask --app app import --kind indicator-values FILE      # exit 1 when refused
    flask --app app import-template --kind tasks [--csv] OUT
    flask --app app batches [--kind K]
    flask --app app withdraw-batch ID

Tokens of pushing systems are made with ``flask create-token --kind api --name NAME``
(:mod:`auth.cli`).
"""

from __future__ import annotations

import getpass
from pathlib import Path

import click
from flask import Flask, current_app

from data.imports.registry import KINDS
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


