"""Query functions the pages call. Each takes keyword arguments only, the viewer's
:class:`~data.scope.Scope` first, and returns a DataFrame (or a small plain value).
Results are cached by data version (see :func:`data.store.cached_query`)."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Select, and_, func, select

from data import rules
from data.schema import (
    Department,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    Region,
    System,
)
from data.scope import Scope
from data.store import cached_query, read_connection


def _frame(statement: Select) -> pd.DataFrame:
    with read_connection() as conn:
        result = conn.execute(statement)
        return pd.DataFrame(result.all(), columns=list(result.keys()))


def shift_period(period: str, months: int) -> str:
    return (pd.Period(period, freq="M") + months).strftime("%Y-%m")


@cached_query
def regions(*, scope: Scope) -> pd.DataFrame:
    """The regions the viewer may see, with the adcodes of their ancestors."""
    frame = _frame(select(Region).order_by(Region.adcode))
    parents = dict(zip(frame["adcode"], frame["parent_adcode"], strict=True))

    def ancestors(adcode: str) -> list[str]:
        chain, current = [], parents.get(adcode)
        while current is not None and current in parents:
            chain.insert(0, current)
            current = parents[current]
        return chain

    frame["ancestors"] = frame["adcode"].map(ancestors)
    admitted = [scope.admits_region(a, anc) for a, anc in
                zip(frame["adcode"], frame["ancestors"], strict=True)]
    return frame[admitted].reset_index(drop=True)


@cached_query
def indicators(*, scope: Scope) -> pd.DataFrame:
    """The indicator catalogue with system and owner department names, in catalogue order."""
    statement = (
        select(
            Indicator,
            System.name.label("system_name"),
            System.sort_order.label("system_order"),
            Department.name.label("department_name"),
        )
        .join(System, System.code == Indicator.system_code)
        .join(Department, Department.code == Indicator.owner_department)
        .order_by(System.sort_order, Indicator.sort_order)
    )
    if scope.departments is not None:
        statement = statement.where(Indicator.owner_department.in_(scope.departments))
    return _frame(statement)


@cached_query
def periods(*, scope: Scope) -> list[str]:
    """Months with indicator values, oldest first."""
    with read_connection() as conn:
        found = conn.execute(select(IndicatorValue.period).distinct()).scalars().all()
    return sorted(found)


@cached_query
def dataset_status(*, scope: Scope) -> dict:
    """Which topics still hold demo data (the header says 演示数据 while any does), and when
    the figures were last updated: the newest indicator value or import (accepted or
    withdrawn), whichever is later."""
    from data.demo_topics import TOPIC_NAMES, demo_topics
    from data.imports_schema import ImportBatch

    with read_connection() as conn:
        topics = demo_topics(conn)
        latest = conn.execute(
            select(func.max(IndicatorValue.updated_at), func.max(IndicatorValue.period))
        ).one()
        imported = conn.execute(select(func.max(func.coalesce(
            ImportBatch.withdrawn_at, ImportBatch.created_at))).where(
                ImportBatch.status != "refused")).scalar()
    updated = max((t for t in (latest[0], imported) if t is not None), default=None)
    return {
        "demo": bool(topics),
        "demo_topics": [TOPIC_NAMES[t] for t in topics],
        "updated_at": updated,
        "latest_period": latest[1],
    }


#: Catalogue columns every status row carries (so a card or tooltip needs nothing else).
STATUS_CATALOGUE = ("indicator_name", "unit", "decimals", "direction", "frequency",
                    "target_kind", "lowest_level", "target_rule", "definition",
                    "alert_threshold", "excellent_threshold", "system_code", "system_name",
                    "system_order", "owner_department", "department_name", "sort_order")


@cached_query
def indicator_status(
    *, scope: Scope, adcodes: tuple[str, ...], period: str, indicator: str | None = None
) -> pd.DataFrame:
    """One row per (region, indicator): the latest value of ``period``'s year up to
    ``period`` (for a quarterly or yearly statistic not yet reported this year, last year's
    latest), the target of the value's year with its due month, wording, source and basis,
    the baseline (last December's value), the value a year earlier, whether the indicator
    applies at the region's level, completion, progress and light (see :mod:`data.rules`)."""
    tree = regions(scope=scope).set_index("adcode")
    adcodes = tuple(a for a in adcodes if a in tree.index)
    catalogue = indicators(scope=scope)
    if indicator is not None:
        catalogue = catalogue[catalogue["code"] == indicator]
    codes = tuple(catalogue["code"])
    year = rules.period_year(period)
    columns = ["region_adcode", "indicator_code"]
    if not adcodes or not codes:
        return pd.DataFrame(columns=columns)

    values = _frame(
        select(IndicatorValue.region_adcode, IndicatorValue.indicator_code,
               IndicatorValue.period, IndicatorValue.value, IndicatorValue.updated_at,
               IndicatorValue.source.label("value_source"), IndicatorValue.batch_id,
               IndicatorValue.source_row)
        .where(
            IndicatorValue.region_adcode.in_(adcodes),
            IndicatorValue.indicator_code.in_(codes),
            IndicatorValue.period.between(f"{year - 2}-12", period),
        )
    )
    targets = _frame(
        select(IndicatorTarget.region_adcode, IndicatorTarget.indicator_code,
               IndicatorTarget.year.label("value_year"), IndicatorTarget.target,
               IndicatorTarget.due_month, IndicatorTarget.wording.label("target_wording"),
               IndicatorTarget.source.label("target_source"),
               IndicatorTarget.basis.label("target_basis"))
        .where(
            IndicatorTarget.region_adcode.in_(adcodes),
            IndicatorTarget.indicator_code.in_(codes),
            IndicatorTarget.year.in_((year - 1, year)),
        )
    )
    grid = pd.MultiIndex.from_product([adcodes, codes], names=columns).to_frame(index=False)
    meta = catalogue.rename(columns={"code": "indicator_code", "name": "indicator_name"})
    grid = grid.merge(meta, on="indicator_code", how="left")
    grid["level"] = grid["region_adcode"].map(tree["level"])
    grid["applicable"] = rules.applicable(grid["lowest_level"], grid["level"])

    latest_columns = [*columns, "period", "value", "updated_at", "value_source", "batch_id",
                      "source_row"]
    if len(values):
        ordered = values.sort_values("period")
        this_year = ordered[ordered["period"].between(f"{year}-01", period)]
        latest = this_year.groupby(columns, as_index=False).last()[latest_columns]
        # A quarterly or yearly statistic not yet reported this year: last year's latest.
        last_year = ordered[ordered["period"].str[:4] == str(year - 1)]
        earlier = last_year.groupby(columns, as_index=False).last()[latest_columns]
        periodic = set(catalogue.loc[catalogue["frequency"] != "monthly", "code"])
        earlier = earlier[earlier["indicator_code"].isin(periodic)]
        earlier = earlier.merge(latest[columns], on=columns, how="left", indicator=True)
        earlier = earlier[earlier["_merge"] == "left_only"].drop(columns="_merge")
        latest = pd.concat([latest, earlier], ignore_index=True)
    else:
        latest = pd.DataFrame(columns=latest_columns)
    frame = grid.merge(latest, on=columns, how="left").rename(columns={"period": "as_of"})
    has_value = frame["as_of"].map(lambda p: isinstance(p, str))
    frame["value_year"] = frame["as_of"].where(has_value, period).str[:4].astype(int)
    keyed = (values.set_index([*columns, "period"])["value"] if len(values)
             else pd.Series(dtype=float))

    def lookup(periods_: pd.Series) -> pd.Series:
        index = pd.MultiIndex.from_arrays(
            [frame["region_adcode"], frame["indicator_code"], periods_])
        return pd.Series(keyed.reindex(index).to_numpy(), index=frame.index, dtype=float)

    frame["baseline"] = lookup((frame["value_year"] - 1).astype(str) + "-12")
    last_year_period = frame["as_of"].map(
        lambda p: shift_period(p, -12) if isinstance(p, str) else None)
    frame["last_year_value"] = lookup(last_year_period)
    frame = frame.merge(targets, on=[*columns, "value_year"], how="left")
    frame = rules.fill_derived_targets(frame)
    frame["due_month"] = frame["due_month"].fillna(12).astype(int)
    frame["month"] = frame["as_of"].map(
        lambda p: rules.period_month(p) if isinstance(p, str) else rules.period_month(period))
    frame["value"] = frame["value"].astype(float)
    frame["target"] = frame["target"].astype(float)
    frame["yoy_change"] = frame["value"] - frame["last_year_value"]
    frame["yoy_ratio"] = frame["yoy_change"] / frame["last_year_value"].where(
        frame["last_year_value"] != 0) * 100.0
    frame = _with_batches(frame)
    return rules.assess(frame)


def _with_batches(frame: pd.DataFrame) -> pd.DataFrame:
    """Where each value came from: its batch's file or system, who and when (provenance)."""
    from data.imports_schema import ImportBatch

    frame["batch_id"] = pd.to_numeric(frame["batch_id"], errors="coerce").astype("Int64")
    ids = tuple(int(b) for b in frame["batch_id"].dropna().unique())
    columns = ["batch_id", "batch_origin", "batch_channel", "batch_actor", "batch_at"]
    if ids:
        found = _frame(select(ImportBatch.id.label("batch_id"),
                              func.coalesce(ImportBatch.filename, ImportBatch.system_name)
                              .label("batch_origin"),
                              ImportBatch.channel.label("batch_channel"),
                              ImportBatch.actor.label("batch_actor"),
                              ImportBatch.created_at.label("batch_at"))
                       .where(ImportBatch.id.in_(ids)))
        found["batch_id"] = found["batch_id"].astype("Int64")
    else:
        found = pd.DataFrame(columns=columns).astype({"batch_id": "Int64"})
    return frame.merge(found, on="batch_id", how="left")


def region_comparison(
    *, scope: Scope, adcode: str, indicator: str, period: str
) -> pd.DataFrame:
    """The regions to compare on a region's map and ranking: its children, or, for a
    county, the counties of its city (``is_current`` marks the region itself)."""
    tree = regions(scope=scope)
    level = tree.loc[tree["adcode"] == adcode, "level"]
    if level.empty:
        return pd.DataFrame()
    parent = (adcode if level.iloc[0] != "county"
              else tree.loc[tree["adcode"] == adcode, "parent_adcode"].iloc[0])
    members = tree[tree["parent_adcode"] == parent]
    status = indicator_status(scope=scope, adcodes=tuple(members["adcode"]),
                              indicator=indicator, period=period)
    out = members[["adcode", "name", "level", "population", "label_lon", "label_lat"]].merge(
        status.drop(columns=["level"], errors="ignore"), left_on="adcode",
        right_on="region_adcode", how="left")
    out["is_current"] = out["adcode"] == adcode
    out["ranked"] = out["applicable"].fillna(False).astype(bool) & out["value"].notna()
    return out


@cached_query
def indicator_trend(*, scope: Scope, adcode: str, indicator: str, period: str) -> pd.DataFrame:
    """Values of one indicator for one region up to ``period`` (its baseline, last
    December, included), with each month's time-prorated target (序时目标) and the year's
    target (derived where the indicator's rule says so)."""
    columns = ["period", "value", "target", "expected", "target_derived"]
    visible = set(regions(scope=scope)["adcode"])
    catalogue = indicators(scope=scope)
    meta = catalogue[catalogue["code"] == indicator]
    if adcode not in visible or meta.empty:
        return pd.DataFrame(columns=columns)
    values = _frame(
        select(IndicatorValue.period, IndicatorValue.value)
        .where(and_(IndicatorValue.region_adcode == adcode,
                    IndicatorValue.indicator_code == indicator,
                    IndicatorValue.period <= period))
        .order_by(IndicatorValue.period)
    )
    targets = _frame(
        select(IndicatorTarget.year, IndicatorTarget.target, IndicatorTarget.due_month,
               IndicatorTarget.source.label("target_source"))
        .where(IndicatorTarget.region_adcode == adcode,
               IndicatorTarget.indicator_code == indicator)
    )
    if values.empty:
        return pd.DataFrame(columns=columns)
    values["year"] = values["period"].str[:4].astype(int)
    values["month"] = values["period"].str[5:7].astype(int)
    values = values.merge(targets, on="year", how="left")
    december = values[values["month"] == 12].set_index("year")["value"]
    values["baseline"] = values["year"].map(lambda y: december.get(y - 1))
    values["target_rule"] = meta["target_rule"].iloc[0]
    values = rules.fill_derived_targets(values)
    values["expected"] = rules.expected_to_date(
        target=values["target"].astype(float),
        baseline=values["baseline"].astype(float),
        target_kind=pd.Series(meta["target_kind"].iloc[0], index=values.index),
        month=values["month"].astype(float),
        due_month=values["due_month"].astype(float),
    )
    values["target_derived"] = rules.is_derived(values["target_source"]) & values[
        "target"].notna()
    return values[columns]
