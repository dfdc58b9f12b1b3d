"""The topic panels: the five-colour risk map (风险五色图), the seven problem lists (七张问题清单),
the major tasks (重大任务) and the leaders' directives (批示督办)."""

from __future__ import annotations

import pandas as pd

from components import format as fmt
from components.risk_map import risk_map_figure, time_label
from config.labels import ANSWER_STATES, TASK_STATUSES
from data import problems_queries as pq
from data import problems_rules as prules
from data import risk_queries as rq
from data import tasks_queries as tq
from data import tasks_rules as trules
from data.geo import boundaries
from data.problems_queries import ProblemFilter
from data.reference import PROVINCE
from data.risk_rules import OVERALL, count_by_level
from data.tasks_queries import TaskFilter
from panels.addresses import problems_href, risk_href, task_href, tasks_href
from panels.context import PanelContext
from panels.model import Column, Link, PanelModel, Stat
from panels.registry import BRIEFING, MEETING, SCREEN, panel

RISK_RULE = ("综合等级取各灾种中最高的风险等级；等级由高到低为红、橙、黄、蓝、绿；"
             "未研判的县（市、区）为灰色“无数据”，不按绿色计。")
HIGH_LEVELS = ("RED", "ORANGE")


@panel("risk", "风险五色图", order=50)
def risk(ctx: PanelContext) -> PanelModel | None:
    """A small five-colour map of the current (or latest) disaster event for the region's
    city or the province, with the counties per level; ``None`` without any event."""
    found = rq.cockpit_moment(scope=ctx.scope, now=ctx.now)
    if found is None:
        return None
    event, at = found
    parent = ctx.compared_parent
    frame = rq.risk_map(scope=ctx.scope, event_id=int(event["id"]), parent=parent,
                        hazard=OVERALL, at=at)
    levels = rq.risk_levels(scope=ctx.scope)
    names = rq.hazards(scope=ctx.scope).set_index("code")["name"].to_dict()
    figure = risk_map_figure(
        frame, boundaries().feature_collection(tuple(frame["adcode"]), coarse=True), levels,
        hazard_names=names, labels=False, height=300)
    counts = count_by_level(frame, levels)
    high = frame[frame["level_code"].isin(HIGH_LEVELS)].sort_values(["rank", "name"])
    parent_name = ctx.tree().loc[parent, "name"]
    return PanelModel(
        key="risk", title="自然灾害风险“五色图”", region=parent_name,
        period=f"{event['name']} · {time_label(at)}", as_of=time_label(at),
        figures={"map": figure},
        stats=[Stat(code=r.code, label=r.name, value=int(r.count), text=str(int(r.count)),
                    unit="个县", colour=r.colour) for r in counts.itertuples()],
        rows=[{"adcode": r.adcode, "name": r.name, "city": r.city_name,
               "level": r.level_code, "level_word": r.level_short, "colour": r.colour,
               "hazards": "、".join(names.get(h, h) for h in r.hazards)}
              for r in high.itertuples()],
        columns=[Column("level_word", "等级", "level"), Column("name", "县（市、区）"),
                 Column("city", "设区市"), Column("hazards", "灾种")],
        rule=RISK_RULE,
        link=Link("打开“五色图” ›", risk_href(
            region=parent, event=int(event["id"]), at=at,
            county=ctx.adcode if ctx.adcode != parent else None)),
        freshness=at,
        empty="此时没有红色或橙色风险的县（市、区）。",
        extra={"event": int(event["id"]), "event_name": event["name"], "at": at.isoformat()},
    )


@panel("problems", "七张问题清单", order=60)
def problems(ctx: PanelContext) -> PanelModel | None:
    """Problems of the region's subtree by list and light, as of today; ``None`` when no
    problem is loaded."""
    counts = pq.list_light_counts(scope=ctx.scope, adcode=ctx.adcode, today=ctx.today)
    if counts.empty or counts["total"].sum() == 0:
        return None
    found = pq.region_problems(scope=ctx.scope, adcode=ctx.adcode, today=ctx.today)
    rates = prules.closure_rates(found)
    words = {"red": "逾期", "yellow": "黄灯", "green": "绿灯"}
    rows = [{"code": r.list_code, "name": r.list_name, "total": int(r.total),
             "open": int(r.open), "red": int(r.red), "yellow": int(r.yellow),
             "green": int(r.green),
             "href": problems_href(ProblemFilter(region=ctx.adcode, list_code=r.list_code))}
            for r in counts.itertuples(index=False)]
    return PanelModel(
        key="problems", title="七张问题清单", region=ctx.region_name, period=ctx.as_of_words,
        as_of=ctx.day_words,
        stats=[Stat("total", "问题总数", rates["total"], f"{rates['total']:,}", unit="个"),
               Stat("open", "未销号", rates["open"], f"{rates['open']:,}", unit="个"),
               *[Stat(k, words[k], rates[k], f"{rates[k]:,}", unit="个", light=k)
                 for k in ("red", "yellow", "green")],
               Stat("rectification_rate", "整改率", rates["rectification_rate"],
                    fmt.percent(rates["rectification_rate"])),
               Stat("on_time_rate", "按期销号率", rates["on_time_rate"],
                    fmt.percent(rates["on_time_rate"]))],
        rows=rows,
        columns=[Column("name", "清单", "link"), Column("total", "问题数", "number"),
                 Column("open", "未销号", "number"), Column("red", "逾期", "number"),
                 Column("yellow", "黄灯", "number"), Column("green", "绿灯", "number")],
        rule=f"{prules.LIGHT_RULE_TEXT}{prules.RATE_RULE_TEXT}",
        link=Link(f"查看{ctx.region_name}全部问题 →",
                  problems_href(ProblemFilter(region=ctx.adcode))),
        freshness=None,
    )


def attention(tasks: pd.DataFrame, *, limit: int) -> tuple[pd.DataFrame, int]:
    """The tasks a leader should see first: overdue ones, leaving room for the at-risk ones
    (both need attention); and how many such tasks are left out."""
    overdue = tasks[tasks["status"] == trules.OVERDUE]
    risky = tasks[(tasks["status"] != trules.OVERDUE) & tasks["at_risk"]]
    shown_overdue = min(len(overdue), max(limit - len(risky), (limit + 1) // 2))
    shown = pd.concat([overdue.head(shown_overdue), risky.head(limit - shown_overdue)])
    return shown, len(overdue) + len(risky) - len(shown)


@panel("tasks", "重大任务", order=70)
def tasks(ctx: PanelContext, *, limit: int = 8) -> PanelModel | None:
    """Tasks reaching the region's subtree: counts by status (a task's status at that
    region), the overdue and at-risk ones first; ``None`` when no task is loaded."""
    found = tq.region_tasks(scope=ctx.scope, adcode=ctx.adcode, today=ctx.today)
    if found.empty and tq.task_table(scope=ctx.scope, today=ctx.today).empty:
        return None
    counts = tq.status_counts(found)
    shown, hidden = attention(found, limit=limit)
    rows = [{"code": r.code, "name": r.name, "status": r.status,
             "light": TASK_STATUSES[r.status].light,
             "light_word": TASK_STATUSES[r.status].word, "at_risk": bool(r.at_risk),
             "progress": float(r.progress), "progress_text": fmt.percent(r.progress),
             "due_text": f"{r.due_date:%Y-%m-%d}", "days_left": int(r.days_left),
             "lead": r.lead_name, "href": task_href(r.code)}
            for r in shown.itertuples(index=False)]
    return PanelModel(
        key="tasks", title="重大任务", region=ctx.region_name,
        period=f"{ctx.as_of_words} · 共 {len(found)} 项", as_of=ctx.day_words,
        stats=[Stat(code=s, label=TASK_STATUSES[s].word, value=n, text=str(n), unit="项",
                    light=TASK_STATUSES[s].light,
                    href=tasks_href(TaskFilter(region=ctx.adcode, status=s)))
               for s, n in counts.items()],
        rows=rows,
        columns=[Column("name", "任务", "link"), Column("light", "状态", "light"),
                 Column("progress_text", "进度", "number"), Column("due_text", "截止", "number"),
                 Column("lead", "牵头单位")],
        rule=trules.status_rule_text(),
        link=Link(f"另有 {hidden} 项逾期或风险任务，查看全部任务 ›" if hidden > 0
                  else "查看全部任务 ›", tasks_href(TaskFilter(region=ctx.adcode))),
        note=f"另有 {hidden} 项逾期或风险任务" if hidden > 0 else "",
        empty="没有逾期或滞后的任务。",
        extra={"total": len(found), "hidden": hidden},
    )


@panel("directives", "批示督办", order=80, surfaces=(SCREEN, MEETING, BRIEFING))
def directives(ctx: PanelContext, *, limit: int = 8) -> PanelModel | None:
    """The latest leaders' instructions (批示) and supervision orders (督办单) sent to the
    region's subtree (the province: all of them), newest first."""
    every = tq.directives(scope=ctx.scope, today=ctx.today)
    if every.empty:
        return None
    found = (every if ctx.adcode == PROVINCE else tq.directives_for_receiver(
        every, department=None, region=ctx.adcode, regions=ctx.tree().reset_index()))
    late = int((found["answered"] == trules.UNANSWERED_LATE).sum()) if len(found) else 0
    rows = [{"id": int(r["id"]), "when": f"{pd.Timestamp(r['created_at']):%m-%d %H:%M}",
             "kind": r["kind"], "kind_name": r["kind_name"], "author": r["author_name"],
             "receiver": r.get("receiver_name") or "—",
             "task": f"{r['task_code']} {r['task_name']}",
             "body": r["body"], "answered": r["answered"],
             "light": ANSWER_STATES[r["answered"]].light,
             "light_word": ANSWER_STATES[r["answered"]].word,
             "deadline_text": f"{pd.Timestamp(r['deadline']):%Y-%m-%d}",
             "href": task_href(r["task_code"])}
            for r in found.head(limit).to_dict("records")]
    return PanelModel(
        key="directives", title="批示督办", region=ctx.region_name, period=ctx.as_of_words,
        as_of=ctx.day_words,
        stats=[Stat("total", "批示和督办单", len(found), str(len(found)), unit="件"),
               Stat("overdue", "超期未办", late, str(late), unit="件",
                    light="red" if late else "green")],
        rows=rows,
        columns=[Column("when", "时间", "number"), Column("kind_name", "类型"),
                 Column("task", "任务", "link"), Column("receiver", "接收单位"),
                 Column("light", "办理情况", "light")],
        rule="办理情况：在办理期限内首次回复为按时办结，超过期限回复为超期办结；"
             "尚未回复的，未过期限为办理中，已过期限为超期未办。",
        link=Link("查看全部批示与督办单", tasks_href(TaskFilter(region=ctx.adcode))),
        empty="暂无批示或督办单。",
    )

