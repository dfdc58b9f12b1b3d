"""Rules for indicators, written once and used by every page, the large screen and the PDF.

Completion (完成率) compares the actual value with the year's target. The traffic light
compares it with the time-prorated target (序时进度): the year's target spread evenly over
the months, starting from where the region stood at the end of last year.

    expected = baseline + (target - baseline) × month / 12
        baseline: last December's value (level and stock indicators), 0 (year-to-date flows)
    progress = actual / expected × 100            (direction "higher"; inverted for "lower")
        a value that already meets the year's target counts as at least 100
    light    = green  if progress ≥ excellent threshold (default 100)
               yellow if progress ≥ alert threshold     (default 90; 97 for rates in %)
               red    otherwise
               none   when there is no target or no value
"""

from __future__ import annotations

import numpy as np
import pandas as pd

LIGHTS = ("green", "yellow", "red", "none")


def period_month(period: str) -> int:
    return int(period[5:7])


def period_year(period: str) -> int:
    return int(period[:4])


def expected_to_date(
    *, target: pd.Series, baseline: pd.Series, target_kind: pd.Series, month: pd.Series
) -> pd.Series:
    """The time-prorated target (序时目标) at the end of ``month``."""
    start = baseline.where(target_kind != "ytd", 0.0)
    # Without last December's value a level or stock indicator is held to the full target.
    start = start.where(start.notna(), target.where(target_kind != "ytd", 0.0))
    return start + (target - start) * month / 12.0


def assess(frame: pd.DataFrame) -> pd.DataFrame:
    """Add ``expected``, ``completion``, ``progress`` and ``light`` to ``frame``.

    ``frame`` has the columns value, target, baseline, target_kind, direction, month,
    alert_threshold and excellent_threshold (one row per region and indicator).
    """
    out = frame.copy()
    value = out["value"].astype(float)
    target = out["target"].astype(float)
    higher = out["direction"] != "lower"
    expected = expected_to_date(
        target=target,
        baseline=out["baseline"].astype(float),
        target_kind=out["target_kind"],
        month=out["month"].astype(float),
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        completion = np.where(higher, value / target, target / value) * 100.0
        progress = np.where(higher, value / expected, expected / value) * 100.0
    completion = pd.Series(completion, index=out.index).replace([np.inf, -np.inf], np.nan)
    progress = pd.Series(progress, index=out.index).replace([np.inf, -np.inf], np.nan)
    meets_target = np.where(higher, value >= target, value <= target)
    meets_expected = np.where(higher, value >= expected, value <= expected)
    # A region at or beyond its target, or its time-prorated target, is on track even where
    # a ratio cannot be formed (a target of zero).
    on_track = pd.Series(meets_target | meets_expected, index=out.index)
    progress = progress.where(~on_track, progress.clip(lower=100.0).fillna(100.0))

    light = np.select(
        [
            value.isna() | target.isna(),
            progress >= out["excellent_threshold"],
            progress >= out["alert_threshold"],
        ],
        ["none", "green", "yellow"],
        default="red",
    )
    out["expected"] = expected
    out["completion"] = completion.where(target.notna() & value.notna())
    out["progress"] = progress.where(target.notna() & value.notna())
    out["light"] = light
    return out


def light_rule_text(*, alert_threshold: float, excellent_threshold: float) -> str:
    """The light rule in words, for tooltips and the PDF."""
    return (
        f"亮灯规则：对照序时进度（上年末值 +（年度目标 − 上年末值）× 月份 / 12）。"
        f"达到序时进度的{excellent_threshold:g}%及以上为绿灯，"
        f"{alert_threshold:g}%至{excellent_threshold:g}%为黄灯，低于{alert_threshold:g}%为红灯；"
        f"已达到年度目标即为绿灯。"
    )
