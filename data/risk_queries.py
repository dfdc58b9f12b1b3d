"""Queries of the five-colour risk map. Keyword arguments, the viewer's scope first, applied
in SQL to every assessment, notice and evacuation (by region: risk is not a department's);
DataFrames out; cached by data version. The levels, hazards and events themselves are
reference data every viewer may see."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
from sqlalchemy import func, select

from data import queries
from data.queries import _frame
from data.reference import PROVINCE
from data.risk_rules import (
    NO_DATA_CODE,
    NO_DATA_COLOUR,
    NO_DATA_NAME,
    OVERALL,
    high_counts,
    latest_per_hazard,
    overall_levels,
)
from data.risk_schema import Evacuation, Hazard, RiskAssessment, RiskEvent, RiskLevel, RiskNotice
from data.schema import Region
from data.scope import Scope, subtree
from data.store import cached_query, read_connection, write_transaction


@cached_query
def risk_levels(*, scope: Scope) -> pd.DataFrame:
    """The levels, highest risk first (rank 1)."""
    return _frame(select(RiskLevel).order_by(RiskLevel.rank))


@cached_query
def hazards(*, scope: Scope) -> pd.DataFrame:
    return _frame(select(Hazard).order_by(Hazard.sort_order))


@cached_query
def risk_events(*, scope: Scope) -> pd.DataFrame:
    """Events, the most recent first."""
    return _frame(select(RiskEvent).order_by(RiskEvent.started_at.desc(), RiskEvent.id.desc()))


def counties_under(*, scope: Scope, parent: str) -> pd.DataFrame:
    """The counties the viewer may see in ``parent``'s subtree (a county: itself)."""
    tree = queries.regions(scope=scope)
    mask = (tree["level"] == "county") & (
        (tree["adcode"] == parent) | tree["ancestors"].map(lambda a: parent in a))
    return tree[mask]


def _under(scope: Scope, column, parent: str) -> tuple:
    """``column`` (an adcode) lies under ``parent`` and in the viewer's scope (in SQL)."""
    return (column.in_(subtree((parent,))), scope.region_clause(column))


@cached_query
def event_assessments(*, scope: Scope, event_id: int, parent: str) -> pd.DataFrame:
    """Every assessment of an event for the counties under ``parent`` the viewer sees."""
    frame = _frame(
        select(RiskAssessment.id, RiskAssessment.region_adcode, RiskAssessment.hazard_code,
               RiskAssessment.level_code, RiskAssessment.assessed_at)
        .where(RiskAssessment.event_id == event_id,
               *_under(scope, RiskAssessment.region_adcode, parent))
        .order_by(RiskAssessment.assessed_at, RiskAssessment.id)
    )
    if frame.empty:
        return frame
    frame["assessed_at"] = pd.to_datetime(frame["assessed_at"])
    return frame


@cached_query
def assessment_times(*, scope: Scope, event_id: int) -> list[datetime]:
    with read_connection() as conn:
        found = conn.execute(
            select(RiskAssessment.assessed_at)
            .where(RiskAssessment.event_id == event_id,
                   scope.region_clause(RiskAssessment.region_adcode))
            .distinct().order_by(RiskAssessment.assessed_at)).scalars().all()
    return [pd.Timestamp(t).to_pydatetime() for t in found]


def risk_map(*, scope: Scope, event_id: int, parent: str, hazard: str, at: datetime
             ) -> pd.DataFrame:
    """One row per county under ``parent``: its level for ``hazard`` (or overall, ``ALL``)
    at ``at``, with the level's name, colour and rank; 无数据 (grey) where not assessed."""
    counties = counties_under(scope=scope, parent=parent)
    names = queries.region_names(scope=scope)
    levels = risk_levels(scope=scope).set_index("code")
    rows = event_assessments(scope=scope, event_id=event_id, parent=parent)
    if hazard != OVERALL and not rows.empty:
        rows = rows[rows["hazard_code"] == hazard]
    latest = latest_per_hazard(rows, pd.Timestamp(at)) if not rows.empty else rows
    found = overall_levels(latest, levels["rank"].to_dict())
    out = counties[["adcode", "name", "parent_adcode", "population", "label_lon",
                    "label_lat"]].merge(found, left_on="adcode", right_on="region_adcode",
                                        how="left")
    out["city_name"] = out["parent_adcode"].map(lambda a: names.get(a, ""))
    out["level_code"] = out["level_code"].fillna(NO_DATA_CODE)
    out["level_name"] = out["level_code"].map(levels["name"]).fillna(NO_DATA_NAME)
    out["level_short"] = out["level_code"].map(levels["short_name"]).fillna(NO_DATA_NAME)
    out["colour"] = out["level_code"].map(levels["colour"]).fillna(NO_DATA_COLOUR)
    out["rank"] = out["level_code"].map(levels["rank"]).fillna(len(levels) + 1).astype(int)
    out["hazards"] = out["hazards"].map(lambda h: h if isinstance(h, tuple) else ())
    return out.drop(columns=["region_adcode"])


@cached_query
def risk_notices(*, scope: Scope, event_id: int, parent: str) -> pd.DataFrame:
    """Notices of an event sent to the counties under ``parent`` the viewer sees, oldest
    first."""
    frame = _frame(select(RiskNotice).where(RiskNotice.event_id == event_id,
                                            *_under(scope, RiskNotice.region_adcode, parent))
                   .order_by(RiskNotice.issued_at, RiskNotice.id))
    if frame.empty:
        return frame
    frame["issued_at"] = pd.to_datetime(frame["issued_at"])
    frame["acknowledged_at"] = pd.to_datetime(frame["acknowledged_at"])
    return frame


@cached_query
def evacuation_reports(*, scope: Scope, event_id: int, parent: str) -> pd.DataFrame:
    frame = _frame(select(Evacuation.region_adcode, Evacuation.reported_at, Evacuation.people)
                   .where(Evacuation.event_id == event_id,
                          *_under(scope, Evacuation.region_adcode, parent))
                   .order_by(Evacuation.reported_at))
    if frame.empty:
        return frame
    frame["reported_at"] = pd.to_datetime(frame["reported_at"])
    return frame


def evacuated_at(reports: pd.DataFrame, at: datetime) -> pd.Series:
    """People moved per county by ``at`` (the latest cumulative report at or before it)."""
    if reports.empty:
        return pd.Series(dtype=int)
    upto = reports[reports["reported_at"] <= pd.Timestamp(at)]
    return upto.groupby("region_adcode")["people"].last().sort_values(ascending=False)


def county_history(*, scope: Scope, event_id: int, adcode: str) -> pd.DataFrame:
    """A county's assessments over the event, per hazard, with level names and ranks."""
    rows = event_assessments(scope=scope, event_id=event_id, parent=adcode)
    levels = risk_levels(scope=scope).set_index("code")
    names = hazards(scope=scope).set_index("code")["name"]
    if rows.empty:
        return rows
    return rows.assign(level_name=rows["level_code"].map(levels["short_name"]),
                       rank=rows["level_code"].map(levels["rank"]),
                       colour=rows["level_code"].map(levels["colour"]),
                       hazard_name=rows["hazard_code"].map(names))


@cached_query
def peak_time(*, scope: Scope, event_id: int) -> datetime | None:
    """The assessment time at which the most counties stood at the two highest levels."""
    rows = event_assessments(scope=scope, event_id=event_id, parent=PROVINCE)
    times = assessment_times(scope=scope, event_id=event_id)
    if rows.empty or not times:
        return times[-1] if times else None
    ranks = risk_levels(scope=scope).set_index("code")["rank"].to_dict()
    best, best_score = times[-1], -1
    for when, score in zip(times, high_counts(rows, times, ranks, top=2), strict=True):
        if score > best_score:
            best, best_score = when, score
    return best


def current_event(*, scope: Scope, now: datetime) -> pd.Series | None:
    """The event under way at ``now``, or else the latest one."""
    events = risk_events(scope=scope)
    if events.empty:
        return None
    ongoing = events[(events["started_at"] <= now) & (events["ended_at"] >= now)]
    return (ongoing if len(ongoing) else events).iloc[0]


class InvalidAssessment(ValueError):
    """An assessment that names a place, hazard or level that does not exist."""


def record_assessment(*, region: str, hazard: str, level: str, at: datetime,
                      event_id: int | None = None, source: str = "import") -> int:
    """Store one assessment; it shows on the next refresh of every page and worker."""
    with read_connection() as conn:
        known = {
            "region": conn.execute(select(func.count()).select_from(
                Region).where(Region.adcode == region)).scalar_one(),
            "hazard": conn.execute(select(func.count()).select_from(Hazard).where(
                Hazard.code == hazard)).scalar_one(),
            "level": conn.execute(select(func.count()).select_from(RiskLevel).where(
                RiskLevel.code == level)).scalar_one(),
        }
    missing = [name for name, count in known.items() if not count]
    if missing:
        raise InvalidAssessment(f"不存在的{'、'.join(missing)}：{region} {hazard} {level}")
    with write_transaction() as conn:
        result = conn.execute(RiskAssessment.__table__.insert().values(
            event_id=event_id, region_adcode=region, hazard_code=hazard, level_code=level,
            assessed_at=at, source=source))
    return int(result.inserted_primary_key[0])


def cockpit_moment(*, scope: Scope, now: datetime) -> tuple[pd.Series, datetime] | None:
    """The event to show on the cockpit: the one under way at ``now`` at its latest
    assessment so far, or else the latest event at its peak."""
    event = current_event(scope=scope, now=now)
    if event is None:
        return None
    event_id = int(event["id"])
    times = assessment_times(scope=scope, event_id=event_id)
    if not times:
        return None
    ongoing = event["started_at"] <= now <= event["ended_at"]
    if ongoing:
        so_far = [t for t in times if t <= now]
        return event, (so_far[-1] if so_far else times[0])
    return event, peak_time(scope=scope, event_id=event_id)
