"""Rules for indicators, written once and used by every page, the large screen and the PDF.

Where an indicator applies
    Each indicator is counted down to a level (``lowest_level``: province, city or county).
    Below it the indicator does not apply (不适用): no light, grey on maps, left out of
    rankings — a county is never judged on a figure only the province keeps.

Completion (完成率) compares the value with the year's target. The traffic light compares it
with the time-prorated target (序时目标): the target spread evenly over the months up to its
due month (完成时限, December unless the target says otherwise), starting from where the
region stood at the end of last year (its baseline, 基期值: last December's value).

    start    = baseline (level and stock indicators), 0 (year-to-date flows);
               without a baseline a level or stock is held to the whole target
    expected = start + (target − start) × min(month, due month) / due month
    progress = value / expected × 100        (higher is better; expected / value if lower)
    light    = 不适用 na      where the indicator does not apply at the region's level
               无数据 none    no value
               无目标 none    no target, or a target of zero or less (never green)
               red            from the due month on, the whole target not reached
               green          the whole target reached (for a year-to-date flow that should
                              stay low: only once the due month is reached), or
                              progress ≥ excellent threshold
               yellow         progress ≥ alert threshold
               red            otherwise

A target carries its source: the plan (方案), an annual document (年度文件), an import, or a
derivation (推算: interpolated between the plan's years, held or continued beyond them, or,
for "lower than last year" indicators, last year's value). Derived targets are flagged
(``target_derived``) so that every surface marks them 推算.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

LIGHTS = ("green", "yellow", "red", "none", "na")
#: How deep each level sits; an indicator applies down to its ``lowest_level``.
LEVEL_DEPTH = {"province": 0, "city": 1, "county": 2}
#: Sources of a target. ``demo`` targets are made by the demo generator (a derivation too).
TARGET_SOURCES = ("plan", "document", "import", "derived", "demo")
DERIVED_SOURCES = ("derived", "demo")
#: How an indicator's targets for years the plan did not set are derived.
TARGET_RULES = ("interpolate", "hold", "none", "below_last_year")
#: The plan's wording of a target (以上, 左右, 力争, 全面, 以下).
WORDINGS = ("at_least", "about", "strive", "full", "below")
FREQUENCIES = ("monthly", "quarterly", "yearly")
#: Months in which a value of each frequency is reported.
REPORT_MONTHS = {"monthly": tuple(range(1, 13)), "quarterly": (3, 6, 9, 12), "yearly": (12,)}


def period_month(period: str) -> int:
    return int(period[5:7])


def period_year(period: str) -> int:
    return int(period[:4])


#: The years a trend shows: the year of its month and the five before it (for 2026, the
#: plan's years since the reform began in 2021), each from the December before it.
TREND_YEARS = 6


def trend_window(period: str) -> tuple[str, str]:
    """The months of the trend ending at ``period`` (``YYYY-MM``): from the December before the
    first of its :data:`TREND_YEARS` years — that year's baseline (基期), from which its
    time-prorated target starts — through ``period``. A store's history before the window is
    neither read nor drawn, so the trend costs the same with six years of figures or sixty."""
    return f"{period_year(period) - TREND_YEARS:04d}-12", period


def applies_at(lowest_level: str, level: str) -> bool:
    """Whether an indicator counted down to ``lowest_level`` applies at a region's ``level``."""
    return LEVEL_DEPTH[level] <= LEVEL_DEPTH.get(lowest_level, 2)


def applicable(lowest_level: pd.Series, level: pd.Series) -> pd.Series:
    depth = level.map(LEVEL_DEPTH)
    return depth <= lowest_level.map(LEVEL_DEPTH).fillna(2)


def is_derived(source: pd.Series) -> pd.Series:
    return source.isin(DERIVED_SOURCES)


def fill_derived_targets(frame: pd.DataFrame) -> pd.DataFrame:
    """Targets defined by a rule rather than a figure: "lower than last year" indicators
    (``target_rule == 'below_last_year'``) without a stored target are held to last year's
    value — their baseline (last December's year-to-date total)."""
    out = frame.copy()
    rule = out["target_rule"] if "target_rule" in out else pd.Series("", index=out.index)
    fill = (rule == "below_last_year") & out["target"].isna() & out["baseline"].notna()
    out.loc[fill, "target"] = out.loc[fill, "baseline"]
    for column, value in (("target_source", "derived"), ("target_wording", "below"),
                          ("target_basis", "上年实际值（要求低于上年）"), ("due_month", 12)):
        if column not in out:
            out[column] = None
        out[column] = out[column].astype(object)
        out.loc[fill, column] = value
    return out


def expected_to_date(
    *, target: pd.Series, baseline: pd.Series, target_kind: pd.Series, month: pd.Series,
    due_month: pd.Series | None = None,
) -> pd.Series:
    """The time-prorated target (序时目标) at the end of ``month``."""
    due = (pd.Series(12.0, index=target.index) if due_month is None
           else due_month.astype(float).fillna(12.0).clip(1, 12))
    start = baseline.where(target_kind != "ytd", 0.0)
    # Without last December's value a level or stock indicator is held to the whole target.
    start = start.where(start.notna(), target.where(target_kind != "ytd", 0.0))
    fraction = (month.astype(float) / due).clip(upper=1.0)
    return start + (target - start) * fraction


def assess(frame: pd.DataFrame) -> pd.DataFrame:
    """Add ``expected``, ``completion``, ``progress``, ``light``, ``target_derived`` and
    ``past_due`` to ``frame``.

    ``frame`` has one row per region and indicator with the columns value, target, baseline,
    target_kind, direction, month and the thresholds; optionally ``applicable`` (default
    true), ``due_month`` (default 12) and ``target_source``.
    """
    out = frame.copy()
    index = out.index
    value = out["value"].astype(float)
    target = out["target"].astype(float)
    applies = (out["applicable"].astype(bool) if "applicable" in out
               else pd.Series(True, index=index))
    due = (out["due_month"].astype(float).fillna(12.0) if "due_month" in out
           else pd.Series(12.0, index=index))
    month = out["month"].astype(float)
    higher = out["direction"] != "lower"
    expected = expected_to_date(target=target, baseline=out["baseline"].astype(float),
                                target_kind=out["target_kind"], month=month, due_month=due)
    with np.errstate(divide="ignore", invalid="ignore"):
        completion = np.where(higher, value / target, target / value) * 100.0
        progress = np.where(higher, value / expected, expected / value) * 100.0
    completion = pd.Series(completion, index=index).replace([np.inf, -np.inf], np.nan)
    progress = pd.Series(progress, index=index).replace([np.inf, -np.inf], np.nan)
    has_target = target.notna() & (target > 0)
    past_due = month >= due
    meets_target = pd.Series(np.where(higher, value >= target, value <= target), index=index)
    # A year-to-date flow that should stay low is below its whole target all year long:
    # that says nothing until the year (or the due month) is over.
    meets_target = meets_target & (higher | (out["target_kind"] != "ytd") | past_due)
    meets_expected = pd.Series(np.where(higher, value >= expected, value <= expected),
                               index=index)
    # At or beyond the target (or the prorated target) is on track even where a ratio cannot
    # be formed (a value of zero for a lower-is-better indicator).
    on_track = has_target & (meets_target | meets_expected)
    progress = progress.where(~on_track, progress.clip(lower=100.0).fillna(100.0))

    light = np.select(
        [
            ~applies,
            value.isna() | ~has_target,
            has_target & meets_target,
            past_due,
            progress >= out["excellent_threshold"],
            progress >= out["alert_threshold"],
        ],
        ["na", "none", "green", "red", "green", "yellow"],
        default="red",
    )
    judged = applies & has_target & value.notna()
    out["expected"] = expected.where(applies & has_target)
    out["completion"] = completion.where(judged)
    out["progress"] = progress.where(judged)
    out["light"] = light
    out["past_due"] = past_due & judged
    source = out["target_source"] if "target_source" in out else pd.Series(None, index=index)
    out["target_derived"] = is_derived(source) & target.notna()
    return out


def light_rule_text(*, alert_threshold: float, excellent_threshold: float,
                    due_month: int = 12, direction: str = "higher") -> str:
    """The light rule in words, for tooltips and the PDF."""
    span = "12" if due_month == 12 else f"{due_month}（完成时限{due_month}月底）"
    lower = "（数值越低越好）" if direction == "lower" else ""
    return (
        f"亮灯规则{lower}：对照序时进度（上年末值 +（年度目标 − 上年末值）× 月份 / {span}）。"
        f"达到序时进度的{excellent_threshold:g}%及以上为绿灯，"
        f"{alert_threshold:g}%至{excellent_threshold:g}%为黄灯，低于{alert_threshold:g}%为红灯；"
        f"已达到年度目标即为绿灯，过了完成时限仍未达到为红灯；目标为零或缺失不亮灯。"
    )
