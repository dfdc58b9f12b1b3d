"""The briefings asked for and their schedules: writes of their state, and the lists a viewer
may see.

A briefing moves queued → running → done, or to failed with the reason in Chinese; a running
briefing shows a sign of life (``heartbeat_at``) at every step, and one silent for longer than
``COCKPIT_BRIEFING_STALE_MINUTES`` (its worker died, the machine restarted) is marked failed by
:func:`sweep_stale`, so that nothing stays "生成中" for ever. A failed briefing can be made
again (:func:`retry`: a new briefing with the same choices).

Who may see a briefing (and download it): the person it was made for, and anyone whose scope
covers everything it was computed under (:func:`covers`: its regions within the viewer's,
its departments among the viewer's). The region filter is applied in SQL.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

import pandas as pd
from sqlalchemy import Select, select, update

from data.briefings_schema import Briefing, BriefingSchedule
from data.scope import Scope
from data.store import read_connection, write_transaction

#: States of a briefing and their Chinese names.
STATUSES = {"queued": "排队中", "running": "生成中", "done": "已完成", "failed": "失败"}
SOURCES = {"page": "页面", "cli": "命令行", "schedule": "定时"}


def scope_text(scope: Scope) -> str:
    return json.dumps({"regions": scope.regions, "departments": scope.departments},
                      ensure_ascii=False)


def scope_of(text: str) -> Scope:
    found = json.loads(text)
    regions, departments = found.get("regions"), found.get("departments")
    return Scope(regions=tuple(regions) if regions is not None else None,
                 departments=tuple(departments) if departments is not None else None)


def covers(viewer: Scope, computed: Scope, *, ancestors: dict[str, list[str]]) -> bool:
    """Whether ``viewer`` may see everything a briefing computed under ``computed`` shows.
    ``ancestors`` gives each adcode's ancestors (the region tree)."""
    if viewer.regions is not None:
        if computed.regions is None:
            return False
        for root in computed.regions:
            if root not in viewer.regions and not any(
                    a in viewer.regions for a in ancestors.get(root, [])):
                return False
    if viewer.departments is not None:
        if computed.departments is None:
            return False
        if not set(computed.departments) <= set(viewer.departments):
            return False
    return True


def _frame(statement: Select) -> pd.DataFrame:
    with read_connection() as conn:
        result = conn.execute(statement)
        return pd.DataFrame(result.all(), columns=list(result.keys()))


# --- briefings ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class NewBriefing:
    """What a briefing is asked for with, and for whom."""

    username: str
    display_name: str
    unit: str
    requested_by: str
    scope: Scope
    region_adcode: str
    region_name: str
    window_kind: str
    window_key: str
    sections: tuple[str, ...]
    source: str
    indicator_code: str | None = None
    schedule_id: int | None = None


def create(new: NewBriefing, *, now: datetime) -> int:
    """Store a queued briefing; its id."""
    with write_transaction(figures=False) as conn:
        result = conn.execute(Briefing.__table__.insert().values(
            username=new.username, display_name=new.display_name[:40], unit=new.unit[:100],
            requested_by=new.requested_by[:40], scope=scope_text(new.scope),
            region_adcode=new.region_adcode, region_name=new.region_name,
            window_kind=new.window_kind, window_key=new.window_key,
            indicator_code=new.indicator_code, sections=",".join(new.sections),
            source=new.source, schedule_id=new.schedule_id, status="queued", progress=0,
            message=STATUSES["queued"], created_at=now))
    return int(result.inserted_primary_key[0])


def get(briefing_id: int) -> dict | None:
    with read_connection() as conn:
        row = conn.execute(select(Briefing.__table__).where(
            Briefing.id == int(briefing_id))).mappings().first()
    return dict(row) if row is not None else None


def start(briefing_id: int, *, now: datetime) -> bool:
    """Mark a queued briefing running (compare-and-set: a briefing starts once)."""
    table = Briefing.__table__
    with write_transaction(figures=False) as conn:
        changed = conn.execute(update(table).where(
            table.c.id == int(briefing_id), table.c.status == "queued").values(
            status="running", started_at=now, heartbeat_at=now, progress=1,
            message="开始生成")).rowcount
    return changed == 1


def heartbeat(briefing_id: int, *, progress: int, message: str, now: datetime) -> None:
    table = Briefing.__table__
    with write_transaction(figures=False) as conn:
        conn.execute(update(table).where(
            table.c.id == int(briefing_id), table.c.status == "running").values(
            progress=max(0, min(int(progress), 99)), message=message[:200], heartbeat_at=now))


def finish(briefing_id: int, *, file_name: str, title: str, size_bytes: int, pages: int,
           now: datetime) -> None:
    table = Briefing.__table__
    with write_transaction(figures=False) as conn:
        conn.execute(update(table).where(table.c.id == int(briefing_id)).values(
            status="done", progress=100, message=STATUSES["done"], file_name=file_name,
            title=title[:200], size_bytes=int(size_bytes), pages=int(pages), finished_at=now,
            heartbeat_at=now))


def fail(briefing_id: int, *, reason: str, now: datetime) -> None:
    """Mark a briefing failed with its reason (it keeps no file)."""
    table = Briefing.__table__
    with write_transaction(figures=False) as conn:
        conn.execute(update(table).where(
            table.c.id == int(briefing_id), table.c.status.in_(("queued", "running"))).values(
            status="failed", message=reason[:2000], file_name=None, finished_at=now))


def sweep_stale(*, now: datetime, minutes: int) -> int:
    """Mark failed the briefings that stopped giving signs of life (running) or never started
    (queued) within ``minutes``; how many."""
    table = Briefing.__table__
    limit = now - timedelta(minutes=minutes)
    with write_transaction(figures=False) as conn:
        running = conn.execute(update(table).where(
            table.c.status == "running", table.c.heartbeat_at < limit).values(
            status="failed", finished_at=now,
            message=f"生成中断：超过 {minutes} 分钟没有进展（后台任务可能已退出），"
                    "可以重新生成。")).rowcount
        queued = conn.execute(update(table).where(
            table.c.status == "queued", table.c.created_at < limit).values(
            status="failed", finished_at=now,
            message=f"未能开始：{minutes} 分钟内没有后台任务接手（请检查后台任务进程），"
                    "可以重新生成。")).rowcount
    return running + queued


def visible(*, scope: Scope, username: str | None, ancestors: dict[str, list[str]],
            limit: int = 100) -> pd.DataFrame:
    """The briefings ``scope`` may see (those made for ``username`` and those it covers),
    newest first."""
    table = Briefing.__table__
    statement = select(table).order_by(table.c.created_at.desc(), table.c.id.desc())
    if username is not None and scope.regions is not None:
        statement = statement.where(scope.region_clause(table.c.region_adcode)
                                    | (table.c.username == username))
    elif scope.regions is not None:
        statement = statement.where(scope.region_clause(table.c.region_adcode))
    frame = _frame(statement.limit(limit * 4))
    if frame.empty:
        return frame
    keep = [(name == username) or covers(scope, scope_of(text), ancestors=ancestors)
            for name, text in zip(frame["username"], frame["scope"], strict=True)]
    return frame[keep].head(limit).reset_index(drop=True)


def may_see(record: dict, *, scope: Scope, username: str | None,
            ancestors: dict[str, list[str]]) -> bool:
    return record["username"] == username or covers(scope, scope_of(record["scope"]),
                                                    ancestors=ancestors)


def made_for(*, schedule_id: int, username: str, adcode: str, window_key: str) -> bool:
    """Whether a schedule already made (or is making) this briefing."""
    table = Briefing.__table__
    with read_connection() as conn:
        found = conn.execute(select(table.c.id).where(
            table.c.schedule_id == schedule_id, table.c.username == username,
            table.c.region_adcode == adcode, table.c.window_key == window_key,
            table.c.status != "failed")).first()
    return found is not None


# --- schedules ----------------------------------------------------------------------------------

def add_schedule(*, name: str, regions: tuple[str, ...], window_kind: str, day: int,
                 recipients: tuple[str, ...], sections: tuple[str, ...], created_by: str,
                 now: datetime) -> int:
    with write_transaction(figures=False) as conn:
        result = conn.execute(BriefingSchedule.__table__.insert().values(
            name=name, regions=",".join(regions), window_kind=window_kind, day=int(day),
            recipients=",".join(recipients), sections=",".join(sections), active=True,
            created_by=created_by, created_at=now))
    return int(result.inserted_primary_key[0])


def schedules(*, active_only: bool = False) -> list[dict]:
    table = BriefingSchedule.__table__
    statement = select(table).order_by(table.c.id)
    if active_only:
        statement = statement.where(table.c.active.is_(True))
    with read_connection() as conn:
        rows = [dict(r) for r in conn.execute(statement).mappings()]
    for row in rows:
        for column in ("regions", "recipients", "sections"):
            row[column] = tuple(v for v in row[column].split(",") if v)
    return rows


def set_schedule_active(schedule_id: int, *, active: bool) -> bool:
    table = BriefingSchedule.__table__
    with write_transaction(figures=False) as conn:
        return conn.execute(update(table).where(table.c.id == int(schedule_id)).values(
            active=active)).rowcount == 1
