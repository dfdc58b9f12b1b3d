"""Deterministic demo data (演示数据): monthly values 2021-01…2026-10 for every region and
indicator where the indicator applies, the 2020 year-end values (the baselines, 基期值), and
the regions' yearly targets, generated from the catalogue with a fixed seed.

How it is made, so that the figures are plausible and honest:
- Each indicator is generated at the deepest level it is counted at (``lowest_level``):
  counties, cities, or the province alone. Where an indicator is kept by the province only,
  no city or county has a figure or a target (their maps say 不适用).
- The province's path follows its targets (the plan's and the derived ones, see
  :mod:`data.targets`); years without a target follow a heuristic (rates close a part of
  their gap to 100 %, counts grow by 15–20 % a year, petitions fall by about 4 % a year).
- Additive indicators (aggregation ``sum``) share the province's figure among the units by
  population and an economic weight per city (the digital economy leans to Hangzhou and
  Ningbo); counts of whole things are shared out in whole numbers. Rates (``mean``) hold
  every unit to the province's target. Those regional targets are marked as the demo's own
  derivation (source ``demo``, shown 推算).
- Each unit has its own pace per indicator (a city effect plus its own), so maps and
  rankings differ; within a year a value moves from last December's value towards its goal.
  A yearly statistic (数字经济总量) has one value a year, in December, published the next
  spring (so 2026 has none yet).
- Figures reported in the seeds (``data/files/reported_figures.csv``, e.g. the 30 industry
  brain pilot sectors and 33 "future factory" pilots announced in June 2021) are the demo's
  values at that month, for the indicators whose 口径 they match; pilot lists are announced
  in batches each June.
- Cities and the province are computed from their units: sums for additive indicators,
  population-weighted means for rates. So a province figure always agrees with its parts.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache

import numpy as np
import pandas as pd
from sqlalchemy import Connection, delete, func, select

from data.reference import FILES, PROVINCE, read_indicators, read_regions
from data.rules import REPORT_MONTHS
from data.schema import DatasetInfo, IndicatorTarget, IndicatorValue
from data.targets import province_targets as reference_province_targets

SEED = 20210215  # the day the province launched its digital reform
GENERATOR_VERSION = "2"
#: The year-end before the plan's first year: the baselines of 2021.
BASELINE_PERIOD = "2020-12"
FIRST_PERIOD = "2021-01"
LAST_PERIOD = "2026-10"
YEARS = tuple(range(2021, 2027))
PETITIONS_PER_10K = 36.0  # a demo figure for 2020's petitions per 10,000 residents

#: Economic weight of each city for the digital-economy indicators (log scale).
CITY_ECONOMY = {
    "330100": 0.45, "330200": 0.30, "330300": 0.05, "330400": 0.12, "330500": 0.02,
    "330600": 0.08, "330700": 0.05, "330800": -0.20, "330900": -0.10, "331000": 0.0,
    "331100": -0.25,
}
DEMO_SHARE_BASIS = "演示数据：按人口和经济权重由全省目标分解"
DEMO_RATE_BASIS = "演示数据：沿用全省目标"


def periods(first: str = FIRST_PERIOD, last: str = LAST_PERIOD) -> list[str]:
    return [p.strftime("%Y-%m") for p in pd.period_range(first, last, freq="M")]


def read_reported_figures() -> pd.DataFrame:
    return pd.read_csv(FILES / "reported_figures.csv", dtype={"region_adcode": str})


def province_targets(row: pd.Series, known: dict[int, float] | None = None
                     ) -> dict[int, float]:
    """The province's path for 2020 (the starting point) to 2026: its targets where it has
    them (``known``; by default the plan's and the derived ones), a heuristic elsewhere."""
    if known is None:
        frame = reference_province_targets(pd.DataFrame([row]), until=YEARS[-1])
        known = dict(zip(frame["year"].astype(int), frame["target"].astype(float),
                         strict=True))
    is_rate = row["unit"] == "%"
    if not known:
        return {}
    years = sorted(known)
    targets: dict[int, float] = dict(known)
    for y in range(years[0] - 1, 2019, -1):  # backwards from the first known year
        nxt = targets[y + 1]
        targets[y] = 100 - (100 - nxt) / 0.65 if is_rate else nxt / 1.2
    for y in range(years[0] + 1, YEARS[-1] + 1):
        if y in targets:
            continue
        later = [k for k in years if k > y]
        earlier = max(k for k in targets if k < y)
        if later:  # interpolate between known years
            k = later[0]
            targets[y] = targets[earlier] + (known[k] - targets[earlier]) * (y - earlier) / (
                k - earlier)
        else:  # beyond them: rates close a part of their gap to 100 %, counts grow
            previous = targets[earlier]
            targets[y] = previous + (100 - previous) * 0.3 if is_rate else previous * 1.15
    return {y: max(0.0, min(100.0, t)) if is_rate else t for y, t in targets.items()}


def _demo_path(ind: pd.Series, regions: pd.DataFrame, reported: pd.DataFrame
               ) -> dict[int, float]:
    """The province's path for indicators without targets of their own."""
    if ind["target_rule"] == "below_last_year":
        population = regions.loc[regions["level"] == "county", "population"].sum()
        total = population / 1e4 * PETITIONS_PER_10K
        return {y: total * 0.96 ** (y - 2020) for y in range(2020, YEARS[-1] + 1)}
    mine = reported[reported["indicator_code"] == ind["code"]]
    if len(mine):
        first = mine.sort_values("period").iloc[0]
        year, value = int(first["period"][:4]), float(first["value"])
        return {y: 0.0 if y < year else round(value * 1.3 ** (y - year))
                for y in range(2020, YEARS[-1] + 1)}
    return province_targets(ind)


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


def _units(regions: pd.DataFrame, level: str) -> pd.DataFrame:
    """The regions an indicator is generated for, with the city each belongs to."""
    units = regions[regions["level"] == level].reset_index(drop=True).copy()
    if level == "county":
        units["city"] = units["parent_adcode"]
    elif level == "city":
        units["city"] = units["adcode"]
        population = regions[regions["level"] == "county"].groupby("parent_adcode")[
            "population"].sum()
        units["population"] = units["population"].fillna(units["adcode"].map(population))
    else:
        units["city"] = None
        units["population"] = regions.loc[regions["level"] == "county", "population"].sum()
    return units


def generate(regions: pd.DataFrame | None = None, indicators: pd.DataFrame | None = None
             ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (values, targets) DataFrames for every region and indicator where it applies.

    ``targets`` holds the regions' demo targets (source ``demo``) and the province's demo
    derivations; the plan's and the reference's derived targets are loaded by
    :func:`data.reference.load_reference`.
    """
    regions = read_regions() if regions is None else regions
    indicators = read_indicators() if indicators is None else indicators
    reported = read_reported_figures()
    rng = np.random.default_rng(SEED)
    all_periods = [BASELINE_PERIOD, *periods()]
    months = np.array([int(p[5:]) for p in all_periods])
    years = np.array([int(p[:4]) for p in all_periods])

    value_frames, target_frames = [], []
    for _, ind in indicators.iterrows():
        stored = reference_province_targets(pd.DataFrame([ind]), until=YEARS[-1])
        known = dict(zip(stored["year"].astype(int), stored["target"].astype(float),
                         strict=True))
        path = province_targets(ind, known) if known else _demo_path(ind, regions, reported)
        units = _units(regions, ind["lowest_level"])
        values, unit_targets = _unit_values(ind, units, path, rng, months, years)
        frame = pd.DataFrame(values, columns=all_periods)
        frame["region_adcode"] = units["adcode"]
        long = frame.melt(id_vars="region_adcode", var_name="period", value_name="value")
        long["indicator_code"] = ind["code"]
        long = _pin_reported(long, reported, ind)
        frequency_months = REPORT_MONTHS[ind["frequency"]]
        long = long[long["period"].str[5:7].astype(int).isin(frequency_months)]
        value_frames.append(_roll_up(long, regions, ind["aggregation"]))

        # The province's own demo derivations: a year before the plan's first, from the
        # demo's baseline (e.g. 2021 for the platform indicators, whose plan starts in 2022).
        province = value_frames[-1]
        december = province[(province["region_adcode"] == PROVINCE)
                            & (province["period"].str[5:] == "12")]
        baselines = {(ind["code"], int(p[:4]) + 1): v
                     for p, v in zip(december["period"], december["value"], strict=True)}
        with_baselines = reference_province_targets(pd.DataFrame([ind]), until=YEARS[-1],
                                                    baselines=baselines)
        extra = with_baselines[~with_baselines["year"].isin(stored["year"])]
        all_targets = pd.concat([stored, extra], ignore_index=True)
        province_rows = extra.assign(region_adcode=PROVINCE, source="demo")
        target_frames.append(province_rows)
        if ind["lowest_level"] != "province" and len(all_targets):
            target_frames.append(_regional_targets(ind, units, regions, unit_targets,
                                                   all_targets))

    values = pd.concat(value_frames, ignore_index=True)
    frequency = values["indicator_code"].map(indicators.set_index("code")["frequency"])
    published = {key: _published_at(*key) for key in set(zip(values["period"], frequency,
                                                              strict=True))}
    values["updated_at"] = [published[key] for key in zip(values["period"], frequency,
                                                          strict=True)]
    values["source"] = "demo"
    targets = pd.concat(target_frames, ignore_index=True)
    targets["year"] = targets["year"].astype(int)
    targets["due_month"] = targets["due_month"].astype(int)
    targets["target"] = targets["target"].astype(float).round(6)
    targets["source"] = "demo"
    columns = ["indicator_code", "region_adcode", "year", "target", "source", "due_month",
               "wording", "basis"]
    return values.reset_index(drop=True), targets[columns].reset_index(drop=True)


def _unit_values(ind: pd.Series, units: pd.DataFrame, path: dict[int, float],
                 rng: np.random.Generator, months: np.ndarray, years: np.ndarray
                 ) -> tuple[np.ndarray, dict[int, np.ndarray]]:
    """Values (units × periods, the first column the 2020 year-end) and each unit's share
    of the province's path per year."""
    n = len(units)
    is_rate = ind["unit"] == "%"
    whole = int(ind["decimals"]) == 0
    lower = ind["direction"] == "lower"
    economy = np.array([CITY_ECONOMY.get(c, 0.0) for c in units["city"]])
    if ind["system_code"] != "DIGITAL_ECONOMY":
        economy = economy * 0.3
    population = units["population"].to_numpy(dtype=float)
    spread = 0.25 if ind["lowest_level"] == "county" else 0.08  # cities differ less
    weights = population**0.9 * np.exp(economy + rng.normal(0, spread, n))
    city_pace = {c: rng.normal(0, 0.035) for c in sorted(set(units["city"].dropna()))}
    pace = (1.02 + np.array([city_pace.get(c, 0.0) for c in units["city"]])
            + rng.normal(0, 0.045, n))
    if n == 1:  # the province alone: on its path, give or take a little
        pace = np.array([1.0 + rng.normal(0, 0.02)])
    curve = rng.uniform(0.85, 1.3, n)  # some units deliver late in the year

    shares = {}
    for year in range(2020, YEARS[-1] + 1):
        if ind["aggregation"] == "sum":
            shares[year] = _shares(weights, path[year], whole)
        else:
            shares[year] = np.full(n, path[year])

    values = np.zeros((n, len(months)))
    start = shares[2020] * (1 + rng.normal(0, 0.03, n))
    if is_rate:
        start = np.clip(shares[2020] + rng.normal(0, 2.0, n), 0, 100)
    if whole:
        start = np.round(start)
    values[:, 0] = start
    flow = ind["target_kind"] == "ytd"
    for year in YEARS:
        in_year = years == year
        goal_pace = pace + rng.normal(0, 0.02, n)
        if lower:  # for "lower is better", a faster pace means a lower figure
            goal_pace = 2.0 - goal_pace
        target = shares[year]
        goal = np.clip(target + (goal_pace - 1) * 50, 0, 100) if is_rate else target * goal_pace
        from_value = np.zeros(n) if flow else start
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
    return np.round(values, int(ind["decimals"]) + 2), shares


def _pin_reported(long: pd.DataFrame, reported: pd.DataFrame, ind: pd.Series) -> pd.DataFrame:
    """Put the seeds' reported figures in place; a pilot list announced in a June holds
    its size until the next June's batch."""
    mine = reported[reported["indicator_code"] == ind["code"]]
    if mine.empty:
        return long
    if ind["lowest_level"] != "province":
        raise ValueError(f"reported figures are pinned for province-only indicators: {ind['code']}")
    out = long.set_index("period").sort_index()
    first = mine.sort_values("period").iloc[0]
    year, month = int(first["period"][:4]), int(first["period"][5:7])
    base = float(first["value"])
    for period in out.index:
        y, m = int(period[:4]), int(period[5:7])
        batches = (y - year) + (1 if m >= month else 0)
        out.loc[period, "value"] = 0.0 if batches <= 0 else float(
            round(base * 1.3 ** (batches - 1)))
    for row in mine.itertuples():
        out.loc[row.period, "value"] = float(row.value)
    return out.reset_index()[long.columns]


def _regional_targets(ind: pd.Series, units: pd.DataFrame, regions: pd.DataFrame,
                      shares: dict[int, np.ndarray], province: pd.DataFrame) -> pd.DataFrame:
    """The units' (and their cities') demo targets for each year the province has one."""
    whole = int(ind["decimals"]) == 0
    rows = []
    for target in province.itertuples():
        year = int(target.year)
        if ind["aggregation"] == "sum":
            weights = np.where(shares[year].sum() > 0, shares[year], 1.0)
            split = _shares(np.asarray(weights, dtype=float), float(target.target), whole)
            basis = DEMO_SHARE_BASIS
        else:
            split = np.full(len(units), float(target.target))
            basis = DEMO_RATE_BASIS
        for adcode, value in zip(units["adcode"], split, strict=True):
            rows.append({"indicator_code": ind["code"], "region_adcode": adcode,
                         "year": year, "target": float(value),
                         "due_month": int(target.due_month), "wording": target.wording,
                         "basis": basis})
    frame = pd.DataFrame(rows)
    if ind["lowest_level"] == "county":  # the cities between the counties and the province
        parent = regions.set_index("adcode")["parent_adcode"]
        frame["city"] = frame["region_adcode"].map(parent)
        if ind["aggregation"] == "sum":
            cities = frame.groupby(["city", "year"], as_index=False).agg(
                target=("target", "sum"), due_month=("due_month", "first"),
                wording=("wording", "first"))
        else:
            cities = frame.groupby(["city", "year"], as_index=False).agg(
                target=("target", "first"), due_month=("due_month", "first"),
                wording=("wording", "first"))
        cities = cities.rename(columns={"city": "region_adcode"}).assign(
            indicator_code=ind["code"], basis=basis)
        frame = pd.concat([frame.drop(columns="city"), cities], ignore_index=True)
    return frame


@lru_cache(maxsize=1)
def demo_dataset() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The demo data from the shipped catalogue (deterministic, so computed once)."""
    return generate()


def _roll_up(unit_rows: pd.DataFrame, regions: pd.DataFrame, aggregation: str
             ) -> pd.DataFrame:
    """Add the rows of the regions above the units (cities, the province), computed from
    the unit rows: sums, or population-weighted means."""
    tree = regions.set_index("adcode")
    population = tree["population"].astype(float)
    population = population.fillna(regions[regions["level"] == "county"].groupby(
        "parent_adcode")["population"].sum())
    level = tree.loc[unit_rows["region_adcode"].iloc[0], "level"]
    columns = ["indicator_code", "region_adcode", "period", "value"]
    if level == "province":
        return unit_rows[columns].assign(value=unit_rows["value"].round(6))
    rows = unit_rows.copy()
    rows["parent"] = rows["region_adcode"].map(tree["parent_adcode"])
    rows["weight"] = rows["region_adcode"].map(population)
    keys = ["indicator_code", "period"]

    def combine(group_keys: list[str]) -> pd.DataFrame:
        if aggregation == "sum":
            return rows.groupby(group_keys, as_index=False)["value"].sum()
        weighted = rows.assign(wv=rows["value"] * rows["weight"])
        sums = weighted.groupby(group_keys, as_index=False)[["wv", "weight"]].sum()
        return sums.assign(value=sums["wv"] / sums["weight"])[group_keys + ["value"]]

    parts = [unit_rows[columns]]
    if level == "county":
        parts.append(combine(keys + ["parent"]).rename(columns={"parent": "region_adcode"})[
            columns])
    parts.append(combine(keys).assign(region_adcode=PROVINCE)[columns])
    out = pd.concat(parts, ignore_index=True)
    out["value"] = out["value"].round(6)
    return out


def _published_at(period: str, frequency: str = "monthly") -> datetime:
    """Demo figures for a month are published on the 10th of the next month at 09:30; a
    yearly statistic on the 10th of March of the next year."""
    first = datetime.strptime(period + "-01", "%Y-%m-%d")
    if frequency == "yearly":
        return datetime(first.year + 1, 3, 10, 9, 30)
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
    values, targets = demo_dataset()
    if (not force and info.get("demo_generator") == GENERATOR_VERSION
            and present == len(values)):
        return f"演示数据已是最新（{present} 条指标值），未改动。"

    conn.execute(delete(IndicatorValue).where(IndicatorValue.source == "demo"))
    conn.execute(delete(IndicatorTarget).where(IndicatorTarget.source == "demo"))
    plan = {
        tuple(r) for r in conn.execute(
            select(IndicatorTarget.indicator_code, IndicatorTarget.region_adcode,
                   IndicatorTarget.year)).all()
    }
    keep = [(c, r, y) not in plan for c, r, y in
            targets[["indicator_code", "region_adcode", "year"]].itertuples(index=False)]
    kept = targets[keep]
    target_records = kept.astype(object).where(kept.notna(), None).to_dict("records")
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
