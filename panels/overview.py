"""The headline figures (总览): a handful of big numbers taken from the other panels' models,
so that they are the very figures those panels show."""

from __future__ import annotations

from panels.context import PanelContext
from panels.model import PanelModel, Stat
from panels.registry import BRIEFING, MEETING, SCREEN, build, panel


def _stat(model: PanelModel | None, code: str) -> Stat | None:
    if model is None:
        return None
    return next((s for s in model.stats if s.code == code), None)


@panel("overview", "总览", order=0, surfaces=(SCREEN, MEETING, BRIEFING))
def overview(ctx: PanelContext) -> PanelModel:
    """Indicators by light, overdue tasks, open and overdue problems, the rectification rate
    and, while a disaster event is shown, the counties at the two highest risk levels."""
    indicators = build(ctx, "indicators")
    tasks = build(ctx, "tasks")
    problems = build(ctx, "problems")
    risk = build(ctx, "risk")
    stats: list[Stat] = []
    if indicators is not None:
        lights = {s.code: s for s in indicators.stats}
        judged = sum(int(s.value or 0) for s in lights.values())
        green = int(lights["green"].value or 0)
        stats.append(Stat("indicators_red", "红灯指标", lights["red"].value,
                          lights["red"].text, unit="项", light="red",
                          note=f"绿灯 {green} · 黄灯 {lights['yellow'].text} · 共 {judged} 项"))
        rate = green / judged * 100 if judged else None
        stats.append(Stat("indicators_green_rate", "指标绿灯率", rate,
                          f"{rate:.0f}" if rate is not None else "—", unit="%",
                          light="green", note=f"{green} / {judged} 项达到序时进度"))
    overdue = _stat(tasks, "overdue")
    if overdue is not None:
        lagging = _stat(tasks, "lagging")
        stats.append(Stat("tasks_overdue", "逾期任务", overdue.value, overdue.text, unit="项",
                          light="red" if overdue.value else "green",
                          note=f"滞后 {lagging.text if lagging else 0} · "
                               f"共 {tasks.extra['total']} 项", href=overdue.href))
    open_ = _stat(problems, "open")
    if open_ is not None:
        red = _stat(problems, "red")
        stats.append(Stat("problems_open", "未销号问题", open_.value, open_.text, unit="个",
                          light="yellow" if open_.value else "green",
                          note=f"其中逾期 {red.text} 个"))
        rate = _stat(problems, "rectification_rate")
        stats.append(Stat("problems_rectified", "问题整改率", rate.value,
                          rate.text.rstrip("%"), unit="%", light="green",
                          note=f"按期销号率 {_stat(problems, 'on_time_rate').text}"))
    if risk is not None:
        high = [s for s in risk.stats if s.code in ("RED", "ORANGE")]
        count = sum(int(s.value or 0) for s in high)
        stats.append(Stat("risk_high", "红橙风险县", count, str(count), unit="个",
                          colour=high[0].colour if high else None,
                          note=risk.extra["event_name"]))
    return PanelModel(key="overview", title="总览", region=ctx.region_name,
                      period=f"{ctx.period_words}指标 · {ctx.as_of_words}", stats=stats)
