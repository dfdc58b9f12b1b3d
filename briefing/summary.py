"""The briefing's summary: a few sentences made by rules from the panel models' figures (how
many lights are red, which tasks are overdue, which problems passed their deadline …)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from data.tasks_rules import UNANSWERED_LATE
from panels.compare import count_change
from panels.model import PanelModel, Stat

if TYPE_CHECKING:
    from briefing.document import Briefing

#: How many names a sentence lists before it says 等.
NAMES = 3


def _stat(model: PanelModel | None, code: str) -> Stat | None:
    return None if model is None else next((s for s in model.stats if s.code == code), None)


def _names(names: list[str]) -> str:
    listed = "、".join(names[:NAMES])
    return f"{listed}等{len(names)}项" if len(names) > NAMES else listed


def _versus(now: Stat | None, before: Stat | None, words: str) -> str:
    change = count_change(now.value if now else None, before.value if before else None)
    return "" if change == "—" else f"{words}{'持平' if change == '持平' else change}"


def indicator_sentence(briefing: Briefing) -> str | None:
    model = briefing.models.get("indicators")
    if model is None:
        return None
    lights = {s.code: s for s in model.stats}
    judged = sum(int(s.value or 0) for s in lights.values())
    previous = briefing.previous.get("indicators")
    change = _versus(lights["red"], _stat(previous, "red"), "，红灯较上期")
    text = (f"{briefing.ctx.period_words}，{briefing.ctx.region_name}亮灯的{judged}项指标中，"
            f"绿灯{lights['green'].text}项、黄灯{lights['yellow'].text}项、"
            f"红灯{lights['red'].text}项{change}。")
    red = [r["name"] for r in model.rows if r["light"] == "red"]
    if red:
        text += f"红灯指标：{_names(red)}。"
    return text


def task_sentence(briefing: Briefing) -> str | None:
    model = briefing.models.get("tasks") or None
    overview = briefing.models.get("overview")
    if model is None:
        overdue = _stat(overview, "tasks_overdue")
        return None if overdue is None else f"逾期任务{overdue.text}项。"
    counts = {s.code: s for s in model.stats}
    overdue = [f"{r['code']} {r['name']}" for r in model.rows if r["status"] == "overdue"]
    at_risk = [r for r in model.rows if r["status"] != "overdue"]
    text = (f"{briefing.ctx.as_of_words}，涉及{briefing.ctx.region_name}的重大任务"
            f"{model.extra['total']}项，逾期{counts['overdue'].text}项、"
            f"滞后{counts['lagging'].text}项")
    text += _versus(counts["overdue"], _stat(briefing.previous.get("tasks"), "overdue"),
                    "，逾期较上期") + "。"
    if overdue:
        text += f"逾期任务：{_names(overdue)}。"
    elif at_risk:
        text += f"另有{len(at_risk)}项任务存在逾期风险。"
    return text


def problem_sentence(briefing: Briefing) -> str | None:
    overview = briefing.models.get("overview")
    red = briefing.models.get("red_problems")
    open_ = _stat(overview, "problems_open")
    if red is None or open_ is None:
        return None
    stats = {s.code: s for s in red.stats}
    rate = _stat(overview, "problems_rectified")
    change = _versus(stats["red"], _stat(briefing.previous.get("red_problems"), "red"),
                     "，较上期")
    text = f"问题清单未销号{open_.text}个，其中逾期未销号{stats['red'].text}个{change}"
    text += f"；整改率{rate.text}%。" if rate is not None else "。"
    text += (f"{stats['found_in_window'].label}{stats['found_in_window'].text}个、"
             f"{stats['closed_in_window'].label}{stats['closed_in_window'].text}个。")
    longest = [f"{r['region']}{r['list']}问题（逾期{r['overdue_text']}）" for r in red.rows[:2]]
    if longest:
        text += f"逾期最久的是{'、'.join(longest)}。"
    return text


def directive_sentence(briefing: Briefing) -> str | None:
    model = briefing.models.get("directives")
    if model is None:
        return None
    late = sum(1 for r in model.rows if r["answered"] == UNANSWERED_LATE)
    return (f"批示和督办单{len(model.rows)}件，超期未办{late}件。" if late
            else f"批示和督办单{len(model.rows)}件，没有超期未办的。")


def risk_sentence(briefing: Briefing) -> str | None:
    if not briefing.risk:
        return None
    parts = []
    for model in briefing.risk:
        counts = {s.code: s for s in model.stats}
        high = "、".join(f"{s.label}{s.text}个" for code, s in counts.items()
                        if code in ("RED", "ORANGE"))
        parts.append(f"{model.extra['event_name']}（{model.period}）{model.region}"
                     f"风险县：{high}")
    return "本期自然灾害过程：" + "；".join(parts) + "。"


def sentences(briefing: Briefing) -> list[str]:
    """The summary's sentences, in the order a reader wants them."""
    found = [indicator_sentence(briefing), task_sentence(briefing),
             problem_sentence(briefing), directive_sentence(briefing), risk_sentence(briefing)]
    return [s for s in found if s]
