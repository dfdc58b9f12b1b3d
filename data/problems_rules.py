"""Rules of the seven problem lists, written once and used by the problem pages, the
cockpit panel, the exports and (later) the large screen and the PDF.

The closed loop (闭环) — the stage machine
    发现 found → 交办 assigned → 整改中 rectifying → 待验收 awaiting → 已销号 closed
    A problem moves one stage forward at a time. Moving backwards, skipping a stage,
    moving a closed problem, or staying in place is refused with a Chinese message.
    Every move names the person who makes it; closing (销号) needs a verification note
    (验收意见). :func:`move_refusal` is the one function that decides; the write
    (:func:`data.problems_queries.move_problem`) and the form both ask it.

"Today" is never read from the clock here: every rule takes ``today`` as an argument. The
pages get it from :func:`data.clock.today` (the demo data pins it to
2026-11-22, otherwise it is the server's date), so the lights are reproducible.

The light of a problem (亮灯: 红灯 逾期, 黄灯 预警, 绿灯 正常), with its reason
    red    逾期未销号  not closed and today is past its deadline
    yellow 临期        not closed and its deadline is within the next 7 days (today included)
    yellow 逾期销号    closed, but after its deadline (closed late: no longer an open risk,
                       so not red; not on time, so not green — it stays a warning)
    green  正常推进    not closed and more than 7 days to its deadline
    green  按期销号    closed on or before its deadline

The rates (for any set of problems)
    整改率 rectification rate = closed / all problems
    按期销号率 on-time rate  = closed on time / problems due by today, where "due" means
                              closed (whenever) or open past the deadline; a problem still
                              within its time limit is not counted either way
    平均销号天数 average days to close = mean of (closed_on − found_on) over closed problems
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

#: The stages of the closed loop, in order, with their Chinese names.
STAGES: tuple[str, ...] = ("found", "assigned", "rectifying", "awaiting", "closed")
STAGE_NAMES: dict[str, str] = {
    "found": "发现",
    "assigned": "交办",
    "rectifying": "整改中",
    "awaiting": "待验收",
    "closed": "已销号",
}
#: The column of ``problems`` holding the date each stage was reached.
STAGE_DATE_COLUMNS: dict[str, str] = {
    "found": "found_on",
    "assigned": "assigned_on",
    "rectifying": "rectifying_on",
    "awaiting": "awaiting_on",
    "closed": "closed_on",
}
SEVERITIES: dict[str, str] = {"general": "一般", "serious": "较重", "major": "重大"}

MAX_MOVER_LENGTH = 50
MAX_NOTE_LENGTH = 2000

#: Days before the deadline from which an open problem is yellow.
NEAR_DUE_DAYS = 7

PROBLEM_LIGHTS: tuple[str, ...] = ("red", "yellow", "green")
#: The words of the lights (the colours and symbols are config.labels.LIGHTS).
LIGHT_WORDS: dict[str, str] = {"red": "逾期", "yellow": "预警", "green": "正常"}
#: Why a problem has its light, in words.
LIGHT_REASONS: dict[str, str] = {
    "overdue": "逾期未销号",
    "near_due": "临期",
    "closed_late": "逾期销号",
    "on_track": "正常推进",
    "closed_on_time": "按期销号",
}
REASON_LIGHT: dict[str, str] = {
    "overdue": "red", "near_due": "yellow", "closed_late": "yellow",
    "on_track": "green", "closed_on_time": "green",
}

LIGHT_RULE_TEXT = (
    "亮灯规则：未销号且已超过整改时限为红灯（逾期）；未销号且距整改时限不足"
    f"{NEAR_DUE_DAYS}天为黄灯（临期）；超过时限才销号的记黄灯（逾期销号）；"
    "其余未销号问题及按期销号的问题为绿灯。"
)
RATE_RULE_TEXT = (
    "整改率 = 已销号数 ÷ 问题总数；按期销号率 = 按期销号数 ÷ 应销号数"
    "（已销号的和已超过时限未销号的）；平均销号天数 = 从发现到销号的平均天数。"
)


def stage_index(stage: str) -> int:
    return STAGES.index(stage)


def next_stage(stage: str) -> str | None:
    """The stage a problem may move to from ``stage`` (``None`` once closed)."""
    i = stage_index(stage)
    return STAGES[i + 1] if i + 1 < len(STAGES) else None


def move_refusal(*, current: str, target: str, mover: str | None, note: str | None) -> str | None:
    """Why moving a problem from ``current`` to ``target`` is refused, or ``None`` if legal.

    The only place that decides which moves are legal (see the module docstring).
    """
    if target not in STAGES:
        return f"未知的阶段“{target}”。"
    if current not in STAGES:
        return f"问题当前阶段“{current}”无法识别，请联系管理员。"
    if not (mover or "").strip():
        return "请填写办理人姓名。"
    if len(mover.strip()) > MAX_MOVER_LENGTH:
        return f"办理人姓名不能超过{MAX_MOVER_LENGTH}个字。"
    if len((note or "").strip()) > MAX_NOTE_LENGTH:
        return f"办理说明不能超过{MAX_NOTE_LENGTH}个字。"
    here, there = STAGE_NAMES[current], STAGE_NAMES[target]
    if current == "closed":
        return "该问题已销号，闭环已完成，不能再变更阶段。"
    if target == current:
        return f"该问题已处于“{here}”阶段，请选择下一阶段。"
    step = stage_index(target) - stage_index(current)
    if step < 0:
        return f"不能退回：问题当前处于“{here}”阶段，不能回到“{there}”。"
    if step > 1:
        expected = STAGE_NAMES[next_stage(current)]  # type: ignore[index]
        return f"不能跳过阶段：“{here}”之后应为“{expected}”，不能直接到“{there}”。"
    if target == "closed" and not (note or "").strip():
        return "销号须填写验收意见（验收结论、验收人或验收材料）。"
    return None


@dataclass(frozen=True)
class LightVerdict:
    light: str
    reason: str

    @property
    def word(self) -> str:
        return LIGHT_REASONS[self.reason]


def problem_light(*, stage: str, deadline: date, closed_on: date | None,
                  today: date) -> LightVerdict:
    """The light of one problem (see the module docstring)."""
    if stage == "closed":
        reason = "closed_on_time" if closed_on is not None and closed_on <= deadline \
            else "closed_late"
    elif today > deadline:
        reason = "overdue"
    elif (deadline - today).days <= NEAR_DUE_DAYS:
        reason = "near_due"
    else:
        reason = "on_track"
    return LightVerdict(REASON_LIGHT[reason], reason)


def plain_dates(column: pd.Series) -> list | None:
    """The values of ``column`` if every one is a day (``datetime.date``) or ``None``, as the
    store gives them; else ``None`` (they need :func:`pandas.to_datetime`)."""
    values = column.to_numpy(dtype=object).tolist()
    return values if all(v is None or type(v) is date for v in values) else None


def _after(column: pd.Series, day: date) -> pd.Series:
    """Whether each day of ``column`` is after ``day`` (a missing one is not): compared as
    days where they are plain days, else through :func:`pandas.to_datetime` (the same
    answer; the plain comparison costs a tenth)."""
    values = plain_dates(column) if type(day) is date else None
    if values is None:
        return pd.to_datetime(column) > pd.Timestamp(day)
    return pd.Series([v is not None and v > day for v in values], index=column.index,
                     dtype=bool)


def as_of(frame: pd.DataFrame, day: date) -> pd.DataFrame:
    """The problems as they stood at the end of ``day``: those found by then, each at the last
    stage it had reached by then (a stage reached later is forgotten, so a problem closed
    afterwards is still open). A briefing of a past window is told with this; on today it
    changes nothing, as no stage is reached in the future."""
    if frame.empty:
        return frame
    found = frame["found_on"]
    out = frame[~_after(found, day) & found.notna()].copy()
    stage = out["stage"].astype(object).copy()
    # Latest stage first: the earliest stage reached after ``day`` decides where it stood.
    for index in range(len(STAGES) - 1, 0, -1):
        column = STAGE_DATE_COLUMNS[STAGES[index]]
        later = _after(out[column], day)
        out[column] = out[column].where(~later, None)
        stage = stage.where(~later, STAGES[index - 1])
    out["stage"] = stage
    return out


def assess_problems(frame: pd.DataFrame, *, today: date) -> pd.DataFrame:
    """Add ``light``, ``light_reason``, ``days_left`` (to the deadline, negative when
    overdue, empty once closed), ``days_to_close`` and ``on_time`` to a frame of problems
    (columns stage, deadline, found_on, closed_on). The same rule as :func:`problem_light`,
    for many rows at once."""
    out = frame.copy()
    if out.empty:
        for column in ("light", "light_reason"):
            out[column] = pd.Series(dtype=object)
        for column in ("days_left", "days_to_close"):
            out[column] = pd.Series(dtype=float)
        out["on_time"] = pd.Series(dtype=bool)
        return out
    deadline = pd.to_datetime(out["deadline"])
    closed_on = pd.to_datetime(out["closed_on"])
    found_on = pd.to_datetime(out["found_on"])
    now = pd.Timestamp(today)
    closed = (out["stage"] == "closed").to_numpy()
    days_left = (deadline - now).dt.days.to_numpy(dtype=float)
    on_time = closed & (closed_on <= deadline).to_numpy()
    reason = np.select(
        [closed & on_time, closed, days_left < 0, days_left <= NEAR_DUE_DAYS],
        ["closed_on_time", "closed_late", "overdue", "near_due"],
        default="on_track",
    )
    out["light_reason"] = reason
    out["light"] = pd.Series(reason, index=out.index).map(REASON_LIGHT)
    out["days_left"] = np.where(closed, np.nan, days_left)
    out["days_to_close"] = (closed_on - found_on).dt.days.astype(float)
    out["on_time"] = on_time
    return out


def closure_rates(frame: pd.DataFrame) -> dict[str, float | int | None]:
    """Counts and rates of an assessed frame (see :func:`assess_problems`)."""
    total = len(frame)
    if total == 0:
        return {"total": 0, "closed": 0, "open": 0, "red": 0, "yellow": 0, "green": 0,
                "overdue": 0, "due": 0, "closed_on_time": 0, "rectification_rate": None,
                "on_time_rate": None, "average_days_to_close": None}
    closed = frame["stage"] == "closed"
    overdue = frame["light_reason"] == "overdue"
    on_time = frame["light_reason"] == "closed_on_time"
    due = int(closed.sum() + overdue.sum())
    days = frame.loc[closed, "days_to_close"]
    return {
        "total": total,
        "closed": int(closed.sum()),
        "open": int((~closed).sum()),
        "red": int((frame["light"] == "red").sum()),
        "yellow": int((frame["light"] == "yellow").sum()),
        "green": int((frame["light"] == "green").sum()),
        "overdue": int(overdue.sum()),
        "due": due,
        "closed_on_time": int(on_time.sum()),
        "rectification_rate": closed.sum() / total * 100.0,
        "on_time_rate": on_time.sum() / due * 100.0 if due else None,
        "average_days_to_close": float(days.mean()) if len(days) else None,
    }


def stage_funnel(frame: pd.DataFrame) -> pd.DataFrame:
    """How many problems reached each stage (a problem at 整改中 has reached 发现 and 交办
    too), and how many are at each stage now."""
    index = frame["stage"].map(stage_index) if len(frame) else pd.Series(dtype=int)
    rows = [
        {"stage": s, "stage_name": STAGE_NAMES[s],
         "reached": int((index >= i).sum()), "current": int((index == i).sum())}
        for i, s in enumerate(STAGES)
    ]
    return pd.DataFrame(rows)
