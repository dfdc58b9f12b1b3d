"""Queries of the public's appeals (民呼我为). Each takes the viewer's scope and applies it in
SQL: the counties through :meth:`Scope.region_clause`, the categories through the department
that answers for them (:meth:`Scope.department_clause`). Counts are stored by county; a city's
or the province's are the sums of its counties. The rules are in :mod:`data.appeals_rules`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pandas as pd
from sqlalchemy import func, select

from data import appeals_rules as rules
from data import queries
from data.appeals_schema import AppealCategory, AppealChannel, AppealChannelWeek, AppealWeek
from data.problems_schema import Problem, ProblemMove
from data.queries import frame as _frame
from data.schema import Region
from data.scope import ReadOnly, Scope, subtree
from data.store import cached_query, read_connection, write_transaction

COUNTS = ("received", "handled", "on_time", "rated", "satisfied")
PETITION_LIST = "PETITION"


@dataclass(frozen=True)
class AppealView:
    """A view of ``/appeals``: the region (its subtree), a category (or all), and the weeks
    shown, ending with the week starting ``week``."""

    region: str
    category: str | None
    weeks: int
    week: str  # ISO date of the last week's Monday



def _category_clause(scope: Scope):
    return AppealWeek.category_code.in_(select(AppealCategory.code).where(
        scope.department_clause(AppealCategory.department_code)))


@cached_query
def categories(*, scope: Scope) -> pd.DataFrame:
    """The categories the viewer may see (by their department), in order."""
    return _frame(select(AppealCategory.code, AppealCategory.name,
                         AppealCategory.department_code)
                  .where(scope.department_clause(AppealCategory.department_code))
                  .order_by(AppealCategory.sort_order))


@cached_query
def channels(*, scope: Scope) -> pd.DataFrame:
    return _frame(select(AppealChannel.code, AppealChannel.name)
                  .order_by(AppealChannel.sort_order))


@cached_query
def week_range(*, scope: Scope) -> tuple[date, date] | None:
    """The first and last weeks with counts the viewer may see."""
    with read_connection() as conn:
        first, last = conn.execute(select(func.min(AppealWeek.week_start),
                                          func.max(AppealWeek.week_start))
                                   .where(scope.region_clause(AppealWeek.region_adcode))).one()
    if first is None:
        return None
    return pd.Timestamp(first).date(), pd.Timestamp(last).date()


@cached_query
def is_demo(*, scope: Scope) -> bool:
    with read_connection() as conn:
        return bool(conn.execute(select(func.count()).select_from(AppealWeek)
                                 .where(AppealWeek.source == "demo")).scalar_one())


def _unit_column(region_level: str):
    """Counts of a province are told by city (a county's parent), of a city by county."""
    return Region.parent_adcode if region_level == "province" else Region.adcode


@cached_query
def weekly(*, scope: Scope, region: str, category: str | None, start: date, end: date,
           by_county: bool = False) -> pd.DataFrame:
    """Counts of ``region``'s subtree by unit (its children: cities of the province, counties
    of a city; the county itself; or every county with ``by_county``), category and week,
    from ``start`` to ``end`` (Mondays)."""
    tree = queries.regions(scope=scope).set_index("adcode")
    if region not in tree.index:  # outside the scope: nothing
        return pd.DataFrame(columns=["unit", "category_code", "week_start", *COUNTS])
    level = tree.at[region, "level"]
    unit = (Region.adcode if by_county else _unit_column(level)).label("unit")
    statement = (select(unit, AppealWeek.category_code, AppealWeek.week_start,
                        *(func.sum(getattr(AppealWeek, c)).label(c) for c in COUNTS))
                 .join(Region, Region.adcode == AppealWeek.region_adcode)
                 .where(AppealWeek.region_adcode.in_(subtree((region,))),
                        scope.region_clause(AppealWeek.region_adcode), _category_clause(scope),
                        AppealWeek.week_start.between(start, end))
                 .group_by(unit, AppealWeek.category_code, AppealWeek.week_start))
    if category:
        statement = statement.where(AppealWeek.category_code == category)
    frame = _frame(statement)
    if frame.empty:
        return pd.DataFrame(columns=["unit", "category_code", "week_start", *COUNTS])
    frame["week_start"] = pd.to_datetime(frame["week_start"]).dt.date
    for column in COUNTS:
        frame[column] = frame[column].astype(int)
    return frame


@cached_query
def channel_weekly(*, scope: Scope, region: str, start: date, end: date) -> pd.DataFrame:
    """Appeals received by channel and week in ``region``'s subtree (all categories: channels
    are counted apart from categories; a department viewer sees none)."""
    if scope.departments is not None:
        return pd.DataFrame(columns=["channel_code", "week_start", "received"])
    frame = _frame(select(AppealChannelWeek.channel_code, AppealChannelWeek.week_start,
                          func.sum(AppealChannelWeek.received).label("received"))
                   .where(AppealChannelWeek.region_adcode.in_(subtree((region,))),
                          scope.region_clause(AppealChannelWeek.region_adcode),
                          AppealChannelWeek.week_start.between(start, end))
                   .group_by(AppealChannelWeek.channel_code, AppealChannelWeek.week_start))
    if len(frame):
        frame["week_start"] = pd.to_datetime(frame["week_start"]).dt.date
        frame["received"] = frame["received"].astype(int)
    return frame


def warnings(*, scope: Scope, region: str, week: date) -> pd.DataFrame:
    """The trend warnings of the week starting ``week`` for the counties of ``region``'s
    subtree, where a surge shows before a city's sum dilutes it (see
    :func:`data.appeals_rules.warnings`), with names: unit, unit_name, category_code,
    category_name, received, mean, z, rise."""
    start = week - timedelta(weeks=rules.BASELINE_WEEKS)
    series = weekly(scope=scope, region=region, category=None, start=start, end=week,
                    by_county=True)
    found = rules.warnings(series[["unit", "category_code", "week_start", "received"]],
                           week=week)
    names = queries.region_names(scope=scope)
    category_names = categories(scope=scope).set_index("code")["name"]
    found["unit_name"] = found["unit"].map(names)
    found["category_name"] = found["category_code"].map(category_names)
    return found


class RaiseRefused(ValueError):
    """A warning could not be turned into a problem; the message says why (Chinese)."""


def raise_problem(*, scope: Scope, region: str, unit: str, category: str, week: date,
                  author: str, today: date, now: datetime) -> str:
    """Turn the trend warning of ``unit`` and ``category`` in the week ``week`` (as seen on
    ``region``'s page) into a problem on the 群众信访 list, found today by ``author``, with a
    deadline 30 days later and the first entry of its history. The warning is checked again
    here (a forged or stale request is refused); a warning already raised is not raised
    twice. Returns the new problem's code."""
    if scope.read_only:
        raise RaiseRefused(ReadOnly.message)
    try:
        queries.check_region(scope=scope, adcode=region)
        queries.check_region(scope=scope, adcode=unit)
    except queries.ScopeRefused as refused:
        raise RaiseRefused(str(refused)) from refused
    found = warnings(scope=scope, region=region, week=week)
    match = found[(found["unit"] == unit) & (found["category_code"] == category)]
    if match.empty:
        raise RaiseRefused("该地区该类诉求本周没有趋势预警（可能数据已更新），未生成问题。")
    warning = match.iloc[0]
    title = f"{warning['unit_name']}{warning['category_name']}类诉求激增（{week:%Y-%m-%d}当周）"
    department = categories(scope=scope).set_index("code").at[category, "department_code"]
    with write_transaction() as conn:
        exists = conn.execute(select(Problem.code).where(
            Problem.list_code == PETITION_LIST, Problem.title == title)).scalar()
        if exists:
            raise RaiseRefused(f"该预警已生成问题 {exists}，未重复生成。")
        year = today.year
        prefix = conn.execute(select(func.count()).select_from(Problem).where(
            Problem.code.like(f"XF-{year}-%"))).scalar_one()
        codes = set(conn.execute(select(Problem.code).where(
            Problem.code.like(f"XF-{year}-%"))).scalars())
        number = prefix + 1
        while f"XF-{year}-{number:04d}" in codes:
            number += 1
        code = f"XF-{year}-{number:04d}"
        description = (f"民呼我为趋势预警：本周 {int(warning['received'])} 件，前"
                       f"{rules.BASELINE_WEEKS}周均值 {warning['mean']:.1f} 件，"
                       f"z = {warning['z']:.1f}。{rules.RULE_TEXT}")
        inserted = conn.execute(Problem.__table__.insert().values(
            code=code, list_code=PETITION_LIST, title=title, description=description,
            region_adcode=unit, department_code=department,
            category=str(warning["category_name"]), severity="serious", stage="found",
            found_on=today, deadline=today + timedelta(days=30), source="appeal"))
        conn.execute(ProblemMove.__table__.insert().values(
            problem_id=inserted.inserted_primary_key[0], from_stage=None, to_stage="found",
            moved_by=author, moved_at=now.replace(microsecond=0),
            note="由民呼我为趋势预警转为问题（问题主动发现）"))
    return code


def compared(*, scope: Scope, region: str) -> tuple[str, pd.DataFrame]:
    """(parent, regions): the regions on the map of ``region``'s page — its children, or a
    county among its city's counties (the county alone where the viewer sees no more) —
    with ``is_current``."""
    tree = queries.regions(scope=scope)
    me = tree[tree["adcode"] == region].iloc[0]
    parent = region
    if me["level"] == "county":
        parent = me["parent_adcode"] if me["parent_adcode"] in set(tree["adcode"]) else region
    members = (tree[tree["parent_adcode"] == parent] if parent != region or
               me["level"] != "county" else tree[tree["adcode"] == region]).copy()
    members["is_current"] = members["adcode"] == region
    return parent, members.reset_index(drop=True)


def unit_summary(*, scope: Scope, region: str, category: str | None, start: date, end: date
                 ) -> pd.DataFrame:
    """The regions on ``region``'s map with their counts from ``start`` to ``end``, appeals per
    10,000 residents and their rates."""
    parent, members = compared(scope=scope, region=region)
    counts = weekly(scope=scope, region=parent, category=category, start=start, end=end)
    sums = counts.groupby("unit")[list(COUNTS)].sum() if len(counts) else pd.DataFrame(
        columns=list(COUNTS))
    out = members[["adcode", "name", "population", "label_lon", "label_lat", "is_current"]
                  ].merge(sums, left_on="adcode", right_index=True, how="left")
    for column in COUNTS:
        out[column] = out[column].fillna(0).astype(int)
    out["per_10k"] = out["received"] / out["population"].astype(float) * 10_000
    rates = [rules.rates(row) for _, row in out.iterrows()]
    for key in ("handling", "on_time", "satisfaction"):
        out[key] = [r[key] for r in rates]
    return out


def hot_list(counts: pd.DataFrame, previous: pd.DataFrame, names: dict[str, str]
             ) -> pd.DataFrame:
    """Categories by appeals received in the period, most first, with the change against the
    period before: category_code, name, received, share (%), previous, change (%)."""
    now = counts.groupby("category_code")["received"].sum() if len(counts) else pd.Series(
        dtype=int)
    before = previous.groupby("category_code")["received"].sum() if len(previous) else \
        pd.Series(dtype=int)
    frame = pd.DataFrame({"category_code": list(names)})
    frame["name"] = frame["category_code"].map(names)
    frame["received"] = frame["category_code"].map(now).fillna(0).astype(int)
    frame["previous"] = frame["category_code"].map(before).fillna(0).astype(int)
    total = frame["received"].sum()
    frame["share"] = frame["received"] / total * 100 if total else 0.0
    frame["change"] = [round((n - p) / p * 100, 1) if p else None
                       for n, p in zip(frame["received"], frame["previous"], strict=True)]
    return frame.sort_values(["received", "category_code"], ascending=[False, True],
                             ignore_index=True)
