"""Deterministic demo data (演示数据): monthly values 2021-01…2026-10 for every region and
indicator, and yearly targets, generated from the catalogue with a fixed seed.

How it is made, so that the figures are plausible and consistent:
- The province's yearly targets are the plan's (2021, 2022, 2025); the years between are
  interpolated, the years outside extrapolated (rates close a part of their gap to
  100 %, counts grow by 15–20 % a year).
- Counties carry the data. For additive indicators (aggregation ``sum``) each county gets a
  fixed share of the province's target, by population and an economic weight per city (the
  digital economy leans to Hangzhou and Ningbo); counts of whole things are shared out in
  whole numbers. Rates (``mean``) hold every county to the province's target.
- Each county has its own pace per indicator (a city effect plus its own), so maps and
  rankings differ; within a year a value moves from last December's value towards its goal.
- Cities and the province are computed from their counties: sums for additive indicators,
  population-weighted means for rates. So a province figure always agrees with its parts.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache

import numpy as np
import pandas as pd
from sqlalchemy import Connection, delete, func, select

from data.reference import PROVINCE, read_indicators, read_regions
from data.schema import DatasetInfo, IndicatorTarget, IndicatorValue

SEED = 20210215  # the day the province launched its digital reform
GENERATOR_VERSION = "1"
FIRST_PERIOD = "2021-01"
LAST_PERIOD = "2026-10"
YEARS = tuple(range(2021, 2027))

#: Economic weight of each city for the digital-economy indicators (log scale).
CITY_ECONOMY = {
    "330100": 0.45, "330200": 0.30, "330300": 0.05, "330400": 0.12, "330500": 0.02,
    "330600": 0.08, "330700": 0.05, "330800": -0.20, "330900": -0.10, "331000": 0.0,
    "331100": -0.25,
}


def periods(first: str = FIRST_PERIOD, last: str = LAST_PERIOD) -> list[str]:
    return [p.strftime("%Y-%m") for p in pd.period_range(first, last, freq="M")]


def province_targets(row: pd.Series) -> dict[int, float]:
    """Targets for 2020 (the starting point) to 2026 from the plan's known years."""
    is_rate = row["unit"] == "%"
    known = {y: float(row[f"target_{y}"]) for y in (2021, 2022, 2025)
             if pd.notna(row[f"target_{y}"])}
    years = sorted(known)
    targets: dict[int, float] = dict(known)
    for y in range(years[0] - 1, 2019, -1):  # backwards from the first known year
        nxt = targets[y + 1]
        targets[y] = 100 - (100 - nxt) / 0.65 if is_rate else nxt / 1.2
    for y in range(years[0] + 1, 2027):
        if y in targets:
            continue
        later = [k for k in years if k > y]
        earlier = max(k for k in targets if k < y)
        if later:  # interpolate between plan years
            k = later[0]
            targets[y] = targets[earlier] + (known[k] - targets[earlier]) * (y - earlier) / (
                k - earlier)
        else:  # beyond the plan: rates close a part of their gap to 100 %, counts grow
            previous = targets[earlier]
            targets[y] = previous + (100 - previous) * 0.3 if is_rate else previous * 1.15
    return {y: max(0.0, min(100.0, t)) if is_rate else t for y, t in targets.items()}


def _shares(weights: np.ndarray, total: float, whole: bool) -> np.ndarray:
    """Split ``total`` by ``weights``; in whole numbers (largest remainder) if ``whole``."""
    raw = total * weights / weights.sum()
    if not whole:
        return raw
    base = np.floor(raw)
    missing = int(round(total - base.sum()))
    order = np.argsort(-(raw - base), kind="stable")
    base[order[:missing]] += 1
    return base


def generate(regions: pd.DataFrame | None = None, indicators: pd.DataFrame | None = None
             ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (values, targets) DataFrames for every region and indicator."""
    regions = read_regions() if regions is None else regions
    indicators = read_indicators() if indicators is None else indicators
    rng = np.random.default_rng(SEED)
    counties = regions[regions["level"] == "county"].reset_index(drop=True)
    cities = regions[regions["level"] == "city"].reset_index(drop=True)
    county_city = counties["parent_adcode"].to_numpy()
    population = counties["population"].to_numpy(dtype=float)
    all_periods = periods()
    months = np.array([int(p[5:]) for p in all_periods])
    years = np.array([int(p[:4]) for p in all_periods])
    n = len(counties)

    value_frames, target_frames = [], []
    for _, ind in indicators.iterrows():
        targets = province_targets(ind)
        is_rate = ind["unit"] == "%"
        whole = int(ind["decimals"]) == 0
        economy = np.array([CITY_ECONOMY[c] for c in county_city])
        if ind["system_code"] != "DIGITAL_ECONOMY":
            economy = economy * 0.3
        weights = population**0.9 * np.exp(economy + rng.normal(0, 0.25, n))
        city_pace = {c: rng.normal(0, 0.035) for c in cities["adcode"]}
        pace = 1.02 + np.array([city_pace[c] for c in county_city]) + rng.normal(0, 0.045, n)
        curve = rng.uniform(0.85, 1.3, n)  # some counties deliver late in the year

        county_targets = {}
        for year in range(2020, 2027):
            if ind["aggregation"] == "sum":
                county_targets[year] = _shares(weights, targets[year], whole)
            else:
                county_targets[year] = np.full(n, targets[year])

        values = np.zeros((n, len(all_periods)))
        start = county_targets[2020] * (1 + rng.normal(0, 0.03, n))
        if is_rate:
            start = np.clip(county_targets[2020] + rng.normal(0, 2.0, n), 0, 100)
        for year in YEARS:
            in_year = years == year
            goal_pace = pace + rng.normal(0, 0.02, n)
            target = county_targets[year]
            goal = np.clip(target + (goal_pace - 1) * 50, 0, 100) if is_rate else target * goal_pace
            from_value = np.zeros(n) if ind["target_kind"] == "ytd" else start
            fraction = (months[in_year][None, :] / 12.0) ** curve[:, None]
            noise = rng.normal(0, 0.012, (n, in_year.sum())) * np.abs(goal - from_value)[:, None]
            year_values = from_value[:, None] + (goal - from_value)[:, None] * fraction + noise
            year_values = np.clip(year_values, 0, 100) if is_rate else np.maximum(year_values, 0)
            if whole:
                year_values = np.round(year_values)
            if ind["target_kind"] in ("stock", "ytd"):
                year_values = np.maximum.accumulate(year_values, axis=1)
            values[:, in_year] = year_values
            start = year_values[:, -1]
        values = np.round(values, int(ind["decimals"]) + 2)

        frame = pd.DataFrame(values, columns=all_periods)
        frame["region_adcode"] = counties["adcode"]
        long = frame.melt(id_vars="region_adcode", var_name="period", value_name="value")
        long["indicator_code"] = ind["code"]
        value_frames.append(_roll_up(long, regions, ind["aggregation"]))

        t = pd.DataFrame({y: county_targets[y] for y in YEARS})
        t["region_adcode"] = counties["adcode"]
        t_long = t.melt(id_vars="region_adcode", var_name="year", value_name="target")
        t_long["indicator_code"] = ind["code"]
        if ind["aggregation"] == "sum":
            t_long = _roll_up(t_long.rename(columns={"year": "period", "target": "value"}),
                              regions, "sum").rename(columns={"period": "year",
                                                              "value": "target"})
        else:
            t_long = _roll_up_constant(t_long, regions, targets)
        target_frames.append(t_long)

    values = pd.concat(value_frames, ignore_index=True)
    values["updated_at"] = values["period"].map(_published_at)
    values["source"] = "demo"
    targets = pd.concat(target_frames, ignore_index=True)
    targets["year"] = targets["year"].astype(int)
    targets["target"] = targets["target"].round(6)
    targets["source"] = "demo"
    return values, targets


@lru_cache(maxsize=1)
def demo_dataset() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The demo data from the shipped catalogue (deterministic, so computed once)."""
    return generate()


def _roll_up(county_rows: pd.DataFrame, regions: pd.DataFrame, aggregation: str
             ) -> pd.DataFrame:
    """Add city and province rows computed from the county rows."""
    population = regions.set_index("adcode")["population"].astype(float)
    parent = regions.set_index("adcode")["parent_adcode"]
    rows = county_rows.copy()
    rows["city"] = rows["region_adcode"].map(parent)
    rows["weight"] = rows["region_adcode"].map(population)
    keys = ["indicator_code", "period"]

    def combine(group_keys: list[str]) -> pd.DataFrame:
        if aggregation == "sum":
            return rows.groupby(group_keys, as_index=False)["value"].sum()
        weighted = rows.assign(wv=rows["value"] * rows["weight"])
        sums = weighted.groupby(group_keys, as_index=False)[["wv", "weight"]].sum()
        return sums.assign(value=sums["wv"] / sums["weight"])[group_keys + ["value"]]

    city_rows = combine(keys + ["city"]).rename(columns={"city": "region_adcode"})
    province_rows = combine(keys).assign(region_adcode=PROVINCE)
    columns = ["indicator_code", "region_adcode", "period", "value"]
    out = pd.concat([county_rows[columns], city_rows[columns], province_rows[columns]],
                    ignore_index=True)
    out["value"] = out["value"].round(6)
    return out


def _roll_up_constant(county_rows: pd.DataFrame, regions: pd.DataFrame,
                      targets: dict[int, float]) -> pd.DataFrame:
    """Rates: every city and the province are held to the province's target."""
    others = regions[regions["level"] != "county"]["adcode"]
    code = county_rows["indicator_code"].iloc[0]
    extra = pd.DataFrame(
        [{"region_adcode": a, "year": y, "target": targets[y], "indicator_code": code}
         for a in others for y in YEARS]
    )
    return pd.concat([county_rows, extra], ignore_index=True)


def _published_at(period: str) -> datetime:
    """Demo figures for a month are published on the 10th of the next month at 09:30."""
    first = datetime.strptime(period + "-01", "%Y-%m-%d")
    next_month = (first + timedelta(days=32)).replace(day=10, hour=9, minute=30)
    return next_month


class ImportedDataPresent(RuntimeError):
    """Demo data is never mixed with imported figures."""


def seed_demo(conn: Connection, *, force: bool = False) -> str:
    """Replace the demo data in one transaction; a no-op when it is already current.

    Returns a sentence for the console. ``conn`` must be inside a write transaction.
    """
    imported = conn.execute(
        select(func.count()).select_from(IndicatorValue).where(IndicatorValue.source != "demo")
    ).scalar_one()
    if imported:
        raise ImportedDataPresent(f"库中已有 {imported} 条导入数据，不写入演示数据。")
    info = dict(conn.execute(select(DatasetInfo.key, DatasetInfo.value)).all())
    present = conn.execute(select(func.count()).select_from(IndicatorValue)).scalar_one()
    expected = len(read_regions()) * len(read_indicators()) * len(periods())
    if (not force and info.get("demo_generator") == GENERATOR_VERSION
            and present == expected):
        return f"演示数据已是最新（{present} 条指标值），未改动。"
    values, targets = generate()

    conn.execute(delete(IndicatorValue).where(IndicatorValue.source == "demo"))
    conn.execute(delete(IndicatorTarget).where(IndicatorTarget.source == "demo"))
    plan = {
        tuple(r) for r in conn.execute(
            select(IndicatorTarget.indicator_code, IndicatorTarget.region_adcode,
                   IndicatorTarget.year)).all()
    }
    keep = [(c, r, y) not in plan for c, r, y in
            targets[["indicator_code", "region_adcode", "year"]].itertuples(index=False)]
    target_records = targets[keep].to_dict("records")
    value_records = values[["indicator_code", "region_adcode", "period", "value",
                            "updated_at", "source"]].to_dict("records")
    for chunk in _chunks(target_records):
        conn.execute(IndicatorTarget.__table__.insert(), chunk)
    for chunk in _chunks(value_records):
        conn.execute(IndicatorValue.__table__.insert(), chunk)
    now = datetime.now().replace(microsecond=0).isoformat(sep=" ")
    _set_info(conn, {"demo": "1", "demo_generator": GENERATOR_VERSION, "demo_seeded_at": now})
    return f"已写入演示数据：{len(value_records)} 条指标值，{len(target_records)} 条年度目标。"


def _chunks(records: list[dict], size: int = 10000):
    for i in range(0, len(records), size):
        yield records[i : i + size]


def _set_info(conn: Connection, facts: dict[str, str]) -> None:
    table = DatasetInfo.__table__
    for key, value in facts.items():
        conn.execute(delete(table).where(table.c.key == key))
        conn.execute(table.insert().values(key=key, value=value))
