"""Briefings on the command line (whoever runs these has the server):

    flask --app app briefing --region 330100 --period 2026-10 --out 杭州.pdf
    flask --app app briefing --region 330000 --window quarter --period 2026-Q3 \\
        --each-child --out 简报/
    flask --app app briefings-due                  # for a timer (cron, a systemd timer)
    flask --app app briefing-schedule add --name 杭州周报 --region 330100 --window week --day 1 \\
        --recipient hangzhou --recipient leader
    flask --app app briefing-schedule list | disable ID | enable ID

A briefing made here is computed under the scope of ``--user`` (default: everything, as a
leader sees it) and recorded in the audit log; an unknown region, period or user exits non-zero
with a Chinese message.
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import click
from flask import Flask

from briefing import environment, files, jobs
from briefing.document import SECTIONS, BriefingRequest, Viewer
from data import accounts, audit, clock, queries
from data import briefings as records
from data.scope import EVERYTHING
from data.windows import KINDS, BadWindow, Window, due, latest
from panels.addresses import BadAddress

CLI_VIEWER = Viewer("命令行", "服务器")


def _window(period: str | None, kind: str) -> Window:
    if period:
        return Window.parse(period, kind=kind)
    return latest(kind, clock.today(scope=EVERYTHING))


def _sections(chosen: tuple[str, ...]) -> tuple[str, ...]:
    unknown = [s for s in chosen if s not in SECTIONS]
    if unknown:
        raise click.ClickException(
            f"没有这些章节：{'、'.join(unknown)}（可选：{'、'.join(SECTIONS)}）。")
    return chosen or tuple(SECTIONS)


def register_cli(server: Flask) -> None:
    register_ready(server)

    @server.cli.command("briefing")
    @click.option("--region", "adcode", default="330000", show_default=True,
                  help="地区的行政区划代码（省、市或县）。")
    @click.option("--period", default=None,
                  help="时段：2026-10、2026-W47、2026-B5、2026-Q4、2026 或某一天；默认最近一期。")
    @click.option("--window", "kind", type=click.Choice(KINDS), default="month",
                  show_default=True, help="时段类型。")
    @click.option("--out", "out", required=True, type=click.Path(path_type=Path),
                  help="PDF 文件（--each-child 时为文件夹）。")
    @click.option("--each-child", is_flag=True,
                  help="为每个下级地区各生成一份，存入 --out 文件夹。")
    @click.option("--user", "username", default=None, help="按该用户的权限范围生成（默认全部）。")
    @click.option("--section", "chosen", multiple=True,
                  help=f"章节（可重复）：{'、'.join(SECTIONS)}。")
    @click.option("--indicator", default=None, help="地图和排名的指标编码。")
    def briefing_command(adcode, period, kind, out, each_child, username, chosen, indicator):
        """Produce a briefing (PDF) for a region and a window."""
        problems = environment.missing()
        if problems:
            raise click.ClickException("无法生成简报：\n" + "\n".join(problems))
        scope, viewer, who = EVERYTHING, CLI_VIEWER, "命令行"
        if username:
            account = accounts.find_user(username)
            if account is None or not account.active:
                raise click.ClickException(f"用户“{username}”不存在或已停用。")
            scope, viewer, who = account.scope, Viewer(account.display_name, account.unit), \
                username
        try:
            window = _window(period, kind)
        except BadWindow as bad:
            raise click.ClickException(str(bad)) from bad
        sections = _sections(chosen)
        tree = queries.regions(scope=scope)
        if adcode not in set(tree["adcode"]):
            raise click.ClickException(
                f"未找到行政区划代码为“{adcode}”的地区，或不在该用户的权限范围内。")
        targets = [adcode]
        if each_child:
            targets = list(tree.loc[tree["parent_adcode"] == adcode, "adcode"])
            if not targets:
                raise click.ClickException(f"地区“{adcode}”没有下级地区。")
            out.mkdir(parents=True, exist_ok=True)
        for target in targets:
            started = time.perf_counter()
            request = BriefingRequest(adcode=target, window=window, sections=sections,
                                      indicator=indicator)
            try:
                made = jobs.make_pdf(request, scope=scope, viewer=viewer)
            except (BadAddress, environment.NotReady, ValueError) as refused:
                audit.record("briefing", by_name=who, target=f"{target} {window.key}",
                             detail=f"命令行：{refused}", outcome="failed")
                raise click.ClickException(str(refused)) from refused
            path = out / made.file_name if each_child else out
            files.write_atomically(path, made.data)
            audit.record("briefing", by_name=who, target=f"{target} {window.key}",
                         detail=f"命令行：{path}（{made.pages} 页，{len(made.data):,} 字节）")
            click.echo(f"已生成：{path}（{made.pages} 页，{len(made.data) / 1024:,.0f} KB，"
                       f"{time.perf_counter() - started:.1f} 秒）")

    @server.cli.command("briefings-due")
    @click.option("--date", "on", default=None, help="按这一天判断是否到期（默认今天）。")
    def briefings_due(on):
        """Produce the briefings whose schedule is due (call it from a daily timer)."""
        today = clock.today(scope=EVERYTHING)
        if on:
            try:
                today = date.fromisoformat(on)
            except ValueError as bad:
                raise click.ClickException(f"日期“{on}”格式不正确，应为 2026-11-23。") from bad
        records.sweep_stale(now=accounts.now(), minutes=_stale_minutes(server))
        files.sweep_partial()
        made = skipped = failed = 0
        for schedule in records.schedules(active_only=True):
            window = due(schedule["window_kind"], schedule["day"], today)
            if window is None:
                continue
            for username in schedule["recipients"]:
                account = accounts.find_user(username)
                for adcode in schedule["regions"]:
                    if records.made_for(schedule_id=schedule["id"], username=username,
                                        adcode=adcode, window_key=window.key):
                        continue
                    if account is None or not account.active:
                        click.echo(f"跳过：用户“{username}”不存在或已停用"
                                   f"（{schedule['name']}）。")
                        skipped += 1
                        continue
                    request = BriefingRequest(adcode=adcode, window=window,
                                              sections=schedule["sections"] or tuple(SECTIONS))
                    try:
                        briefing_id = jobs.queue(account=account, requested_by="定时",
                                                 request=request, source="schedule",
                                                 schedule_id=schedule["id"])
                    except BadAddress as refused:
                        click.echo(f"跳过：{username} · {refused}")
                        skipped += 1
                        continue
                    record = jobs.produce(briefing_id)
                    if record.get("status") == "done":
                        made += 1
                        click.echo(f"已生成：{schedule['name']} · {username} · "
                                   f"{record['region_name']} · {window.label}")
                    else:
                        failed += 1
                        click.echo(f"失败：{schedule['name']} · {username} · {adcode} · "
                                   f"{record.get('message')}")
        click.echo(f"到期简报：生成 {made} 份，跳过 {skipped} 份，失败 {failed} 份。")
        if failed:
            raise SystemExit(1)

    @server.cli.group("briefing-schedule")
    def schedule_group():
        """Schedules of briefings (region(s), window, day, recipients)."""

    @schedule_group.command("add")
    @click.option("--name", required=True)
    @click.option("--region", "regions", multiple=True, required=True)
    @click.option("--window", "kind", type=click.Choice(KINDS), required=True)
    @click.option("--day", type=int, default=1, show_default=True,
                  help="周报：星期几（1=周一）；其他：时段结束后下月的几号。")
    @click.option("--recipient", "recipients", multiple=True, required=True,
                  help="接收人的用户名（可重复）；每人按自己的权限范围生成。")
    @click.option("--section", "chosen", multiple=True)
    def schedule_add(name, regions, kind, day, recipients, chosen):
        tree = set(queries.regions(scope=EVERYTHING)["adcode"])
        unknown = [r for r in regions if r not in tree]
        if unknown:
            raise click.ClickException(f"未找到这些地区：{'、'.join(unknown)}。")
        missing = [u for u in recipients if accounts.find_user(u) is None]
        if missing:
            raise click.ClickException(f"没有这些用户：{'、'.join(missing)}。")
        try:
            due(kind, day, clock.today(scope=EVERYTHING))
        except BadWindow as bad:
            raise click.ClickException(str(bad)) from bad
        schedule_id = records.add_schedule(
            name=name, regions=tuple(regions), window_kind=kind, day=day,
            recipients=tuple(recipients), sections=_sections(chosen), created_by="命令行",
            now=accounts.now())
        click.echo(f"已添加定时简报 #{schedule_id}：{name}")

    @schedule_group.command("list")
    def schedule_list():
        for s in records.schedules():
            state = "启用" if s["active"] else "停用"
            click.echo(f"#{s['id']} {s['name']} · {s['window_kind']} · 第{s['day']}天 · "
                       f"地区 {','.join(s['regions'])} · 接收人 {','.join(s['recipients'])} · "
                       f"{state}")

    @schedule_group.command("disable")
    @click.argument("schedule_id", type=int)
    def schedule_disable(schedule_id):
        _set_active(schedule_id, active=False)

    @schedule_group.command("enable")
    @click.argument("schedule_id", type=int)
    def schedule_enable(schedule_id):
        _set_active(schedule_id, active=True)


def _set_active(schedule_id: int, *, active: bool) -> None:
    if not records.set_schedule_active(schedule_id, active=active):
        raise click.ClickException(f"没有定时简报 #{schedule_id}。")
    click.echo(f"已{'启用' if active else '停用'}定时简报 #{schedule_id}。")


def _stale_minutes(server: Flask) -> int:
    return server.config["COCKPIT_SETTINGS"].briefing_stale_minutes


def register_ready(server: Flask) -> None:
    @server.cli.command("briefing-ready")
    def briefing_ready():
        """Say whether this machine can produce PDF briefings (and what is missing)."""
        problems = environment.missing()
        if not problems:
            click.echo("简报（PDF）：可以生成（WeasyPrint、Noto Sans SC、Chromium 均已就绪）。")
            return
        click.echo("简报（PDF）暂时无法生成，缺少：")
        for problem in problems:
            click.echo(f"  - {problem}")
