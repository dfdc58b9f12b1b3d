"""The province's targets: the plan's own (``data/files/indicator_targets.csv``) and those
derived from them for the years the plan did not set (推算), each with the basis in words.

How a missing year is derived depends on the indicator's ``target_rule``:
- ``interpolate``: between two plan years, linearly; after the last plan year, rates hold
  the last target and counts continue the yearly pace of the last two plan years (or hold
  it when the plan gives one year only); before the first plan year, halfway from the
  baseline (last December's value) when one is known.
- ``hold``: the last plan target is kept (the plan asks for more of the same, without a
  number).
- ``none``: nothing is derived (the plan set a one-off target).
- ``below_last_year``: nothing is stored; :func:`data.rules.fill_derived_targets` holds the
  indicator to last year's value when the figures are read.

Counts of whole things (no decimals) get whole targets.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

FILES = Path(__file__).resolve().parent / "files"
FIRST_TARGET_YEAR = 2021


def read_plan_targets() -> pd.DataFrame:
    """The plan's targets for the province (a fresh copy: callers may change it)."""
    return _plan_targets().copy()


@lru_cache(maxsize=1)
def _plan_targets() -> pd.DataFrame:
    frame = pd.read_csv(FILES / "indicator_targets.csv", dtype={"wording": str, "basis": str})
    frame["wording"] = frame["wording"].astype(object).where(frame["wording"].notna(), None)
    return frame


def _round(value: float, decimals: int) -> float:
    if decimals == 0:
        return float(int(value + 0.5))
    return round(value, decimals + 2)


def derived_targets(plan: pd.DataFrame, indicators: pd.DataFrame, *, until: int,
                    baselines: dict[tuple[str, int], float] | None = None) -> pd.DataFrame:
    """Province targets for the years ``FIRST_TARGET_YEAR``…``until`` the plan did not set.

    ``baselines`` maps (indicator code, year) to the value at the end of the year before;
    with it a year before the plan's first is derived too.
    """
    baselines = baselines or {}
    rows = []
    for ind in indicators.itertuples():
        rule = ind.target_rule
        if rule in ("none", "below_last_year"):
            continue
        own = plan[plan["indicator_code"] == ind.code].sort_values("year")
        if own.empty:
            continue
        known = dict(zip(own["year"].astype(int), own["target"].astype(float), strict=True))
        years = sorted(known)
        decimals = int(ind.decimals)
        is_rate = ind.unit == "%"
        for year in range(FIRST_TARGET_YEAR, until + 1):
            if year in known:
                continue
            earlier = [y for y in years if y < year]
            later = [y for y in years if y > year]
            value, basis = None, None
            if earlier and later and rule == "interpolate":
                y0, y1 = earlier[-1], later[0]
                value = known[y0] + (known[y1] - known[y0]) * (year - y0) / (y1 - y0)
                basis = f"方案未设{year}年目标，按{y0}年与{y1}年方案目标线性推算"
            elif earlier:
                last = earlier[-1]
                pace_years = [y for y in years if y <= last][-2:]
                if rule == "interpolate" and not is_rate and len(pace_years) == 2:
                    y0, y1 = pace_years
                    pace = (known[y1] - known[y0]) / (y1 - y0)
                    value = known[y1] + pace * (year - y1)
                    basis = f"方案未设{year}年目标，按{y0}—{y1}年方案目标的年均增量外推"
                else:
                    value = known[last]
                    basis = f"方案未设{year}年目标，沿用{last}年方案目标"
            elif later and rule == "interpolate" and (ind.code, year) in baselines:
                y1 = later[0]
                start = baselines[(ind.code, year)]
                value = start + (known[y1] - start) * 1 / (y1 - year + 1)
                basis = f"方案未设{year}年目标，按{year - 1}年末值与{y1}年方案目标线性推算"
            if value is None:
                continue
            if is_rate:
                value = min(100.0, max(0.0, value))
            rows.append({"indicator_code": ind.code, "year": year,
                         "target": _round(value, decimals), "due_month": 12,
                         "wording": None, "source": "derived", "basis": basis})
    columns = ["indicator_code", "year", "target", "due_month", "wording", "source", "basis"]
    return pd.DataFrame(rows, columns=columns)


def province_targets(indicators: pd.DataFrame, *, until: int,
                     baselines: dict[tuple[str, int], float] | None = None) -> pd.DataFrame:
    """The plan's targets and the derived ones, one row per indicator and year."""
    plan = read_plan_targets()
    plan = plan[plan["indicator_code"].isin(indicators["code"])]
    derived = derived_targets(plan, indicators, until=until, baselines=baselines)
    both = pd.concat([plan, derived], ignore_index=True)
    return both.sort_values(["indicator_code", "year"]).reset_index(drop=True)
