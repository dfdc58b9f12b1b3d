"""Panels that tell a window of time (a briefing's): the problems past their deadline as the
window ends (逾期未销号问题) with what was found and closed within it.

They read the context's window (:attr:`PanelContext.time_window`: the month of the period when
none is given) and its "today" (the window's end), like every other panel.
"""

from __future__ import annotations

import pandas as pd

from data import problems_queries as pq
from data.problems_queries import ProblemFilter
from panels.addresses import problem_href, problems_href
from panels.context import PanelContext
from panels.model import Column, Link, PanelModel, Stat
from panels.registry import BRIEFING, panel


def _in_window(days: pd.Series, ctx: PanelContext) -> pd.Series:
    window = ctx.time_window
    dates = pd.to_datetime(days)
    return (dates >= pd.Timestamp(window.start)) & (dates <= pd.Timestamp(ctx.today))


@panel("red_problems", "逾期未销号问题", order=65, surfaces=(BRIEFING,))
def red_problems(ctx: PanelContext) -> PanelModel | None:
    """The region subtree's problems open past their deadline at the window's end, the longest
    overdue first; and the problems found and closed within the window."""
    found = pq.problems(scope=ctx.scope, filters=ProblemFilter(region=ctx.adcode),
                        today=ctx.today)
    if found.empty:
        return None
    red = found[found["light"] == "red"].copy()
    red["overdue_days"] = -red["days_left"]
    red = red.sort_values(["overdue_days", "id"], ascending=[False, True])
    new = int(_in_window(found["found_on"], ctx).sum())
    closed = int(_in_window(found["closed_on"], ctx).sum())
    rows = [{"id": int(r.id), "name": r.title, "list": r.list_name, "region": r.region_name,
             "department": r.department_name, "severity": r.severity_name,
             "found_text": f"{r.found_on:%Y-%m-%d}", "deadline_text": f"{r.deadline:%Y-%m-%d}",
             "overdue_days": int(r.overdue_days), "overdue_text": f"{int(r.overdue_days)} 天",
             "stage_word": r.stage_name, "light": "red", "light_word": "逾期未销号",
             "href": problem_href(int(r.id))}
            for r in red.itertuples(index=False)]
    window = ctx.time_window
    return PanelModel(
        key="red_problems", title="逾期未销号问题", region=ctx.region_name,
        period=ctx.as_of_words, as_of=ctx.day_words,
        stats=[Stat("red", "逾期未销号", len(rows), f"{len(rows):,}", unit="个", light="red"),
               Stat("found_in_window", f"本{window.kind_name}新发现", new, f"{new:,}", unit="个"),
               Stat("closed_in_window", f"本{window.kind_name}销号", closed, f"{closed:,}",
                    unit="个")],
        rows=rows,
        columns=[Column("name", "问题", "link"), Column("list", "清单"),
                 Column("region", "地区"), Column("department", "责任单位"),
                 Column("deadline_text", "整改时限", "number"),
                 Column("overdue_text", "逾期", "number"), Column("stage_word", "阶段")],
        rule="逾期未销号：未销号且已超过整改时限的问题，按逾期天数从多到少排列。"
             f"新发现、销号按{window.dates_text}内的发现日期、销号日期计。",
        link=Link("查看逾期问题", problems_href(ProblemFilter(region=ctx.adcode, light="red"))),
        empty="没有逾期未销号的问题。",
        extra={"window": window.key},
    )
