"""Rules of the five-colour risk map, written once.

- A place's level for a hazard at a time is its latest assessment for that hazard at or
  before that time (within the event being shown).
- Its overall level (综合) is the highest risk over all hazards: the level of lowest rank.
- A place with no assessment has no level: it is drawn grey as 无数据, never as green
  (green means "assessed, low risk").
"""

from __future__ import annotations

import numpy as np
import pandas as pd

NO_DATA_CODE = "NONE"
NO_DATA_NAME = "无数据"
NO_DATA_COLOUR = "#c8cdd3"
OVERALL = "ALL"
OVERALL_NAME = "综合（各灾种最高）"


def latest_per_hazard(assessments: pd.DataFrame, at: pd.Timestamp | None) -> pd.DataFrame:
    """Each place's latest assessment per hazard at or before ``at`` (all if ``at`` is None).

    ``assessments`` has region_adcode, hazard_code, level_code, assessed_at.
    """
    rows = assessments if at is None else assessments[assessments["assessed_at"] <= at]
    if rows.empty:
        return rows
    rows = rows.sort_values(["assessed_at", "id"] if "id" in rows else ["assessed_at"])
    return rows.groupby(["region_adcode", "hazard_code"], as_index=False).last()


def overall_levels(latest: pd.DataFrame, ranks: dict[str, int]) -> pd.DataFrame:
    """Per place, the highest-risk level over its hazards, with the hazards at that level."""
    if latest.empty:
        return pd.DataFrame(columns=["region_adcode", "level_code", "hazards", "assessed_at"])
    rows = latest.assign(rank=latest["level_code"].map(ranks))
    top = rows.groupby("region_adcode")["rank"].transform("min")
    worst = rows[rows["rank"] == top]
    return worst.groupby("region_adcode", as_index=False).agg(
        level_code=("level_code", "first"),
        hazards=("hazard_code", lambda s: tuple(sorted(s))),
        assessed_at=("assessed_at", "max"),
    )


def high_counts(assessments: pd.DataFrame, times: list, ranks: dict[str, int], *,
                top: int) -> list[int]:
    """For each of ``times``, the places whose overall level (:func:`overall_levels` of
    :func:`latest_per_hazard` at that time) has a rank of ``top`` or less (higher risk).

    One pass over the assessments in time order, each place's level per hazard kept as it
    goes: the same answer as those two functions at every time, without a group-by per time
    (an event has dozens of assessment times).
    """
    if assessments.empty or not times:
        return [0 for _ in times]
    rows = assessments.sort_values(["assessed_at", "id"] if "id" in assessments
                                   else ["assessed_at"])
    moments = sorted({pd.Timestamp(t) for t in times})
    # Where each moment's assessments end (those at or before it; NaT sorts last, never in).
    ends = np.searchsorted(rows["assessed_at"].to_numpy(),
                           np.array([m.to_datetime64() for m in moments]), side="right")
    places, hazards, codes = (rows[c].to_numpy(dtype=object).tolist()
                              for c in ("region_adcode", "hazard_code", "level_code"))
    levels = [ranks.get(code) for code in codes]
    current: dict[str, dict[str, int | None]] = {}
    high: set[str] = set()
    counts: dict[pd.Timestamp, int] = {}
    done = 0
    for when, end in zip(moments, ends, strict=True):
        while done < end:
            place = places[done]
            mine = current.setdefault(place, {})
            mine[hazards[done]] = levels[done]
            known = [rank for rank in mine.values() if rank is not None]
            if known and min(known) <= top:
                high.add(place)
            else:
                high.discard(place)
            done += 1
        counts[when] = len(high)
    return [counts[pd.Timestamp(t)] for t in times]


def count_by_level(frame: pd.DataFrame, levels: pd.DataFrame) -> pd.DataFrame:
    """Counties per level, every level listed (highest risk first) even at zero, and 无数据
    last. ``frame`` has level_code per county; ``levels`` code, name, colour, rank."""
    counts = frame["level_code"].value_counts()
    rows = [{"code": r.code, "name": r.name, "colour": r.colour,
             "count": int(counts.get(r.code, 0))}
            for r in levels.sort_values("rank").itertuples()]
    rows.append({"code": NO_DATA_CODE, "name": NO_DATA_NAME, "colour": NO_DATA_COLOUR,
                 "count": int(counts.get(NO_DATA_CODE, 0))})
    return pd.DataFrame(rows)
