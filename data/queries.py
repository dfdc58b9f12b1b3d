"""Query functions the pages call. Each takes keyword arguments only, the viewer's
:class:`~data.scope.Scope` first, applies it in its SQL (regions: the scope's subtrees;
indicators: the scope's departments), and returns a DataFrame (or a small plain value).
Results are cached by data version (see :func:`data.store.cached_query`)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy import ColumnElement, Select, and_, func, select, true

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
from data.store import cached_query, current_memo, data_version, read_connection


def frame(statement: Select) -> pd.DataFrame:
    """The rows of ``statement`` as a DataFrame, its columns named as the statement's."""
    with read_connection() as conn:
        result = conn.execute(statement)
        # Plain tuples: pandas probing SQLAlchemy rows for attributes costs seconds; all rows
        # fetched at once (row by row costs the driver a call each).
        return pd.DataFrame(list(map(tuple, result.fetchall())), columns=list(result.keys()))


_frame = frame


def shift_period(period: str, months: int) -> str:
    """The month ``months`` after ``period`` (``YYYY-MM``; before it if negative)."""
    year, month = divmod(int(period[:4]) * 12 + int(period[5:7]) - 1 + months, 12)
    return f"{year:04d}-{month + 1:02d}"


def indicator_clause(scope: Scope, column: ColumnElement) -> ColumnElement[bool]:
    """``column`` (an indicator code) names an indicator of the scope's departments."""
    if scope.departments is None:
        return true()
    return column.in_(select(Indicator.code).where(
        scope.department_clause(Indicator.owner_department)))


def value_clauses(scope: Scope, table) -> tuple[ColumnElement[bool], ...]:
    """The scope of a table keyed by region and indicator (values, targets)."""
    return (scope.region_clause(table.region_adcode),
            indicator_clause(scope, table.indicator_code))


def listed_value_clauses(scope: Scope, table) -> tuple[ColumnElement[bool], ...]:
    """:func:`value_clauses` with the scope's regions and indicators listed (read once, from
    the cache), not asked in a subquery: a question that reads an index from one end and
    stops at the first row in scope must not be turned into a join over the whole table
    (PostgreSQL did so with the subquery of a region's subtree: a seq scan of 8.7 million
    rows per month; scripts/bench_volume.py)."""
    clauses = []
    if scope.regions is not None:
        clauses.append(table.region_adcode.in_(tuple(regions(scope=scope)["adcode"])))
    if scope.departments is not None:
        clauses.append(table.indicator_code.in_(tuple(indicators(scope=scope)["code"])))
    return tuple(clauses)


@cached_query
def region_parents(*, scope: Scope) -> dict[str, str | None]:
    """The tree's shape (adcode → parent adcode) for every region. Places and their nesting
    are public geography, not governance data: a county user's breadcrumb names its city and
    province (as text, not links)."""
    with read_connection() as conn:
        return dict(conn.execute(select(Region.adcode, Region.parent_adcode)).all())


@cached_query
def region_names(*, scope: Scope) -> dict[str, str]:
    """adcode → name for every region (public geography, see :func:`region_parents`)."""
    with read_connection() as conn:
        return dict(conn.execute(select(Region.adcode, Region.name)).all())


def ancestors_of(parents: dict[str, str | None], adcode: str) -> list[str]:
    """The adcodes above a region, the province first."""
    chain, current = [], parents.get(adcode)
    while current is not None and current in parents:
        chain.insert(0, current)
        current = parents[current]
    return chain


@cached_query
def regions(*, scope: Scope) -> pd.DataFrame:
    """The regions the viewer may see (chosen in SQL), with the adcodes of their ancestors."""
    frame = _frame(select(Region).where(scope.region_clause(Region.adcode))
                   .order_by(Region.adcode))
    parents = region_parents(scope=scope)
    frame["ancestors"] = frame["adcode"].map(lambda a: ancestors_of(parents, a))
    return frame


def region_path(*, scope: Scope, adcode: str) -> list[tuple[str, str, bool]]:
    """(adcode, name, visible) from the province down to ``adcode``: a breadcrumb links only
    the regions the viewer may open."""
    parents = region_parents(scope=scope)
    names = region_names(scope=scope)
    visible = set(regions(scope=scope)["adcode"])
    return [(a, names.get(a, a), a in visible) for a in [*ancestors_of(parents, adcode), adcode]]


class ScopeRefused(LookupError):
    """The address names a region or department that does not exist, or one the viewer may
    not see; the message (Chinese) says which, without naming anything outside the scope."""


def check_region(*, scope: Scope, adcode: str) -> None:
    """Raise :class:`ScopeRefused` unless ``adcode`` is a region the viewer may see. A region
    that exists but lies outside the scope is 无权限 (and written to the audit log)."""
    if adcode in set(regions(scope=scope)["adcode"]):
        return
    if adcode not in region_names(scope=scope):
        raise ScopeRefused(f"未找到行政区划代码为“{adcode}”的地区。")
    from data import audit

    audit.record_denied(f"地区 {adcode}")
    raise ScopeRefused(f"无权限：您的账号不能查看行政区划代码为“{adcode}”的地区的数据。"
                        f"可查看的范围：{scope_words(scope)}。")


def check_department(*, scope: Scope, code: str) -> None:
    """Raise :class:`ScopeRefused` unless ``code`` is a department the viewer may see: 无权限
    (audited) for another department of a department user, else not found."""
    with read_connection() as conn:
        exists = conn.execute(select(Department.code).where(Department.code == code)).first()
    if exists is None:
        raise ScopeRefused(f"未找到编码为“{code}”的部门。")
    if scope.admits_department(code):
        return
    from data import audit

    audit.record_denied(f"部门 {code}")
    raise ScopeRefused(f"无权限：您的账号不能查看编码为“{code}”的部门的事项。"
                       f"可查看的范围：{scope_words(scope)}。")


def scope_words(scope: Scope) -> str:
    """What a scope admits, in words (for messages)."""
    names = region_names(scope=scope)
    parts = []
    if scope.regions is not None:
        parts.append("、".join(f"{names.get(a, a)}及其下级地区" for a in scope.regions)
                     or "无地区")
    if scope.departments is not None:
        with read_connection() as conn:
            found = dict(conn.execute(select(Department.code, Department.name)
                                      .where(Department.code.in_(scope.departments))).all())
        parts.append("、".join(found.get(d, d) for d in scope.departments) + "的事项"
                     if scope.departments else "无部门")
    return "，".join(parts) or "全省所有地区和部门"


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
    statement = statement.where(scope.department_clause(Indicator.owner_department))
    return _frame(statement)


@cached_query
def periods(*, scope: Scope) -> list[str]:
    """Months with indicator values (of the viewer's scope), oldest first.

    Read month by month along the index on ``period`` (each step: the first month after the
    last one found), not with a DISTINCT over every value: the cost grows with the months
    there are, not with the values (a DISTINCT read all 8.7 million rows of a store with 100
    times the demo's history; scripts/bench_volume.py)."""
    months = _months_after(select(func.min(IndicatorValue.period).label("period")), scope)
    with read_connection() as conn:
        found = conn.execute(select(months.c.period)
                             .where(months.c.period.is_not(None))).scalars().all()
    return sorted(found)


def _months_after(first: Select, scope: Scope):
    """A recursive query: the first month with values of ``scope``, then each next one."""
    clauses = listed_value_clauses(scope, IndicatorValue)
    months = first.where(*clauses).cte("months", recursive=True)
    following = (select(func.min(IndicatorValue.period))
                 .where(IndicatorValue.period > months.c.period, *clauses)
                 .scalar_subquery())
    return months.union_all(
        select(following.label("period")).where(months.c.period.is_not(None)))


@cached_query
def dataset_status(*, scope: Scope) -> dict:
    """Which topics still hold demo data (the header says 演示数据 while any does), and when
    the figures were last updated: the newest indicator value or import (accepted or
    withdrawn), whichever is later."""
    from data.demo_topics import TOPIC_NAMES, demo_topics
    from data.imports_schema import ImportBatch

    clauses = listed_value_clauses(scope, IndicatorValue)
    with read_connection() as conn:
        topics = demo_topics(conn)
        # Two questions, each answered from the end of its own index (one query asking both
        # read every row on SQLite).
        latest = [conn.execute(select(func.max(column)).where(*clauses)).scalar()
                  for column in (IndicatorValue.updated_at, IndicatorValue.period)]
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
    return statuses(scope=scope, adcodes=adcodes, periods=(period,), indicator=indicator)[period]


def statuses(*, scope: Scope, adcodes: tuple[str, ...], periods: tuple[str, ...],
             indicator: str | None = None) -> dict[str, pd.DataFrame]:
    """:func:`indicator_status` of each of ``periods``, from one read of the values and
    targets they need (a board and its month before, a year of boards): each month's
    answer is computed from the rows its own query would have read. A month whose statuses
    this build already shares (:func:`share_statuses`) for every region asked is taken from
    them (the rows of the regions and indicator asked, in the order a read gives)."""
    tree = regions(scope=scope).set_index("adcode")
    adcodes = tuple(a for a in adcodes if a in tree.index)
    catalogue = indicators(scope=scope)
    if indicator is not None:
        catalogue = catalogue[catalogue["code"] == indicator]
    codes = tuple(catalogue["code"])
    columns = ["region_adcode", "indicator_code"]
    if not adcodes or not codes or not periods:
        return {period: pd.DataFrame(columns=columns) for period in periods}
    shared = _shared_statuses(scope)
    found = {}
    if shared is not None and len(set(adcodes)) == len(adcodes):
        for period in periods:
            block = shared.get(period)
            if block is not None and block[0].issuperset(adcodes):
                found[period] = _rows_of(block[1], adcodes, codes)
    missing = tuple(period for period in periods if period not in found)
    if missing:
        found |= _read_statuses(scope=scope, tree=tree, catalogue=catalogue, adcodes=adcodes,
                                periods=missing)
    return {period: found[period] for period in periods}


def share_statuses(*, scope: Scope, adcodes: tuple[str, ...], periods: tuple[str, ...]) -> None:
    """Within a request (or a :func:`data.store.query_memo`), compute the statuses of every
    indicator of ``adcodes`` in ``periods`` once (one read), so that the panels of one build
    — the cards of a region, its map and ranking, the board of the regions it is compared
    with and that board's month before — take their rows from them instead of each reading
    and judging its own. Outside both, nothing is kept and nothing is done."""
    shared = _shared_statuses(scope)
    if shared is None:
        return
    tree = regions(scope=scope).set_index("adcode")
    adcodes = tuple(dict.fromkeys(a for a in adcodes if a in tree.index))
    wanted = tuple(period for period in periods if period not in shared
                   or not shared[period][0].issuperset(adcodes))
    catalogue = indicators(scope=scope)
    if not adcodes or not wanted or catalogue.empty:
        return
    computed = _read_statuses(scope=scope, tree=tree, catalogue=catalogue, adcodes=adcodes,
                              periods=wanted)
    for period, frame in computed.items():
        shared[period] = (frozenset(adcodes), frame)


def _shared_statuses(scope: Scope) -> dict | None:
    """The statuses this build shares for ``scope`` at the store's version, by month:
    (the regions computed, their rows); ``None`` outside a request or query memo."""
    memo = current_memo()
    if memo is None:
        return None
    return memo.setdefault(("shared-statuses", data_version(), repr(scope)), {})


def _rows_of(block: pd.DataFrame, adcodes: tuple[str, ...], codes: tuple[str, ...]
             ) -> pd.DataFrame:
    """The rows of ``adcodes`` × ``codes`` of a shared block, regions in the order asked and
    indicators in the catalogue's (the order :func:`_read_statuses` gives)."""
    place = {adcode: i for i, adcode in enumerate(adcodes)}
    rows = block[block["region_adcode"].isin(place) & block["indicator_code"].isin(codes)]
    order = np.argsort(rows["region_adcode"].map(place).to_numpy(), kind="stable")
    return rows.iloc[order].reset_index(drop=True)


def _read_statuses(*, scope: Scope, tree: pd.DataFrame, catalogue: pd.DataFrame,
                   adcodes: tuple[str, ...], periods: tuple[str, ...]
                   ) -> dict[str, pd.DataFrame]:
    """:func:`statuses` read from the store (``catalogue``: the indicators asked)."""
    codes = tuple(catalogue["code"])
    columns = ["region_adcode", "indicator_code"]
    years = sorted({rules.period_year(period) for period in periods})
    values = _frame(
        select(IndicatorValue.region_adcode, IndicatorValue.indicator_code,
               IndicatorValue.period, IndicatorValue.value, IndicatorValue.updated_at,
               IndicatorValue.source.label("value_source"), IndicatorValue.batch_id,
               IndicatorValue.source_row)
        .where(
            IndicatorValue.region_adcode.in_(adcodes),
            IndicatorValue.indicator_code.in_(codes),
            IndicatorValue.period.between(f"{years[0] - 2}-12", max(periods)),
            *value_clauses(scope, IndicatorValue),
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
            IndicatorTarget.year.between(years[0] - 1, years[-1]),
            *value_clauses(scope, IndicatorTarget),
        )
    )
    values[GROUP] = numbered_groups(values, columns)
    values = values.sort_values("period", kind="stable")  # once for every month
    batches = _batches(values["batch_id"])
    grid = pd.MultiIndex.from_product([adcodes, codes], names=columns).to_frame(index=False)
    meta = catalogue.rename(columns={"code": "indicator_code", "name": "indicator_name"})
    grid = grid.merge(meta, on="indicator_code", how="left")
    grid["level"] = grid["region_adcode"].map(tree["level"])
    grid["applicable"] = rules.applicable(grid["lowest_level"], grid["level"])
    periodic = set(catalogue.loc[catalogue["frequency"] != "monthly", "code"])
    out = {}
    for period in periods:
        year = rules.period_year(period)
        if len(periods) == 1:
            mine, theirs = values, targets
        else:  # the rows the month's own query reads
            mine = values[values["period"].between(f"{year - 2}-12", period)]
            theirs = targets[targets["value_year"].isin((year - 1, year))]
        out[period] = _status_of(grid, mine, theirs, batches, period=period, periodic=periodic)
    return out


def _status_of(grid: pd.DataFrame, values: pd.DataFrame, targets: pd.DataFrame,
               batches: pd.DataFrame, *, period: str, periodic: set[str]) -> pd.DataFrame:
    """:func:`indicator_status` of ``period`` from the values and targets it reads."""
    columns = ["region_adcode", "indicator_code"]
    year = rules.period_year(period)
    latest_columns = [*columns, "period", "value", "updated_at", "value_source", "batch_id",
                      "source_row"]
    if len(values):
        ordered = values  # sorted by period (statuses)
        this_year = ordered[ordered["period"].between(f"{year}-01", period)]
        latest = last_per_group(this_year, columns, latest_columns)
        # A quarterly or yearly statistic not yet reported this year: last year's latest
        # (of the quarterly and yearly indicators only, chosen before grouping).
        last_year = ordered[ordered["indicator_code"].isin(periodic)]
        last_year = last_year[last_year["period"].str[:4] == str(year - 1)]
        if len(last_year):
            earlier = last_per_group(last_year, columns, latest_columns)
            reported = set(zip(*_items(latest, *columns), strict=True))
            earlier = earlier[np.array([key not in reported for key in zip(
                *_items(earlier, *columns), strict=True)], dtype=bool)]
            latest = pd.concat([latest, earlier], ignore_index=True)
    else:
        latest = pd.DataFrame(columns=latest_columns)
    frame = grid.merge(latest, on=columns, how="left").rename(columns={"period": "as_of"})
    has_value = frame["as_of"].notna()  # a month where a value was found, else missing
    frame["value_year"] = frame["as_of"].where(has_value, period).str[:4].astype(int)
    # (region, indicator, month) → value: one value per key (the table's primary key).
    keyed = dict(zip(zip(*_items(values, "region_adcode", "indicator_code", "period"),
                         strict=True), _items(values, "value")[0], strict=True))
    regions_, codes = _items(frame, "region_adcode", "indicator_code")

    def lookup(periods_: pd.Series) -> pd.Series:
        found = [keyed.get(key, np.nan) for key in zip(
            regions_, codes, periods_.to_numpy(dtype=object).tolist(), strict=True)]
        return pd.Series(np.array(found, dtype=float), index=frame.index, dtype=float)

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
    frame["batch_id"] = pd.to_numeric(frame["batch_id"], errors="coerce").astype("Int64")
    return rules.assess(frame.merge(batches, on="batch_id", how="left"))


GROUP = "_group"


def numbered_groups(frame: pd.DataFrame, keys: list[str]) -> np.ndarray:
    """A number per row for its ``keys`` (two columns), in the keys' sorted order."""
    first, first_values = pd.factorize(frame[keys[0]], sort=True)
    second, second_values = pd.factorize(frame[keys[1]], sort=True)
    return first.astype(np.int64) * max(len(second_values), 1) + second


def last_per_group(rows: pd.DataFrame, keys: list[str], columns: list[str]) -> pd.DataFrame:
    """``rows.groupby(keys, as_index=False).last()[columns]``: per group of ``keys`` (numbered
    in ``rows[GROUP]`` by :func:`numbered_groups`), in the keys' order, each column's last
    value that is not missing (missing where none is) — from positions found by NumPy, without
    pandas' group-by machinery (a tenth of the time on a year of values)."""
    if rows.empty:
        return rows.groupby(keys, as_index=False).last()[columns]
    group = rows[GROUP].to_numpy()
    groups, from_end = np.unique(group[::-1], return_index=True)
    out = rows.iloc[len(group) - 1 - from_end][columns].reset_index(drop=True)
    for column in columns:
        present = rows[column].notna().to_numpy()
        if present.all() or not present.any():
            continue  # the last row's value is the last present one (or none is)
        where = np.flatnonzero(present)
        found, from_end = np.unique(group[where][::-1], return_index=True)
        filled = out[column].copy()
        filled.iloc[np.searchsorted(groups, found)] = \
            rows[column].iloc[where[len(where) - 1 - from_end]].to_numpy()
        out[column] = filled
    return out


def _items(frame: pd.DataFrame, *columns: str) -> list[list]:
    """The values of ``columns`` as plain lists (iterating a pandas string column is slow)."""
    return [frame[column].to_numpy(dtype=object).tolist() for column in columns]


def _batches(ids: pd.Series) -> pd.DataFrame:
    """Where values came from (provenance): for each batch of ``ids``, its file or system,
    who and when."""
    from data.imports_schema import ImportBatch

    ids = tuple(int(b) for b in pd.to_numeric(ids, errors="coerce").dropna().unique())
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
    return found


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
    """Values of one indicator for one region in the trend's window up to ``period``
    (:func:`data.rules.trend_window`: the year of ``period`` and the five before it, from the
    December before them), with each month's time-prorated target (序时目标) and the year's
    target (derived where the indicator's rule says so). The window's first month is the
    baseline of its first year: it shows its value only (its own year lies outside)."""
    columns = ["period", "value", "target", "expected", "target_derived"]
    visible = set(regions(scope=scope)["adcode"])
    catalogue = indicators(scope=scope)
    meta = catalogue[catalogue["code"] == indicator]
    if adcode not in visible or meta.empty:
        return pd.DataFrame(columns=columns)
    first, last = rules.trend_window(period)
    values = _frame(
        select(IndicatorValue.period, IndicatorValue.value)
        .where(and_(IndicatorValue.region_adcode == adcode,
                    IndicatorValue.indicator_code == indicator,
                    IndicatorValue.period.between(first, last),
                    *value_clauses(scope, IndicatorValue)))
        .order_by(IndicatorValue.period)
    )
    targets = _frame(
        select(IndicatorTarget.year, IndicatorTarget.target, IndicatorTarget.due_month,
               IndicatorTarget.source.label("target_source"))
        .where(IndicatorTarget.region_adcode == adcode,
               IndicatorTarget.indicator_code == indicator,
               IndicatorTarget.year.between(rules.period_year(first) + 1,
                                            rules.period_year(last)),
               *value_clauses(scope, IndicatorTarget))
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
