"""Charts of the horse-race board (赛马榜): data in, ``go.Figure`` out (no Dash: the panels
and the PDF use them too)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from components.charts import _base_layout, empty_figure, figure_of
from config.labels import RANKING_LISTS

NEUTRAL = "#1b5aa0"


def _list_colour(code: object) -> str:
    return RANKING_LISTS[code].colour if code in RANKING_LISTS else NEUTRAL


def score_bars(board: pd.DataFrame, lists: list[dict], *, title: str,
               highlight: str | None = None) -> go.Figure:
    """Horizontal bars of the composite scores from zero, the best at the top, coloured by list
    (with the list's symbol beside the score)."""
    data = board[board["score"].notna()].iloc[::-1]
    if data.empty:
        return empty_figure("暂无可排名的地区")
    names = {rule["code"]: rule["name"] for rule in lists}
    labels = [f"{s:.1f}" + (f" {RANKING_LISTS[c].symbol}{names.get(c, '')}"
                             if c in RANKING_LISTS else "")
              for s, c in zip(data["score"], data["list_code"], strict=True)]
    regions = [f"<b>▶ {n}</b>" if a == highlight else f"{int(r)}. {n}"
               for a, n, r in zip(data["adcode"], data["name"], data["rank"], strict=True)]
    return figure_of([{
        "type": "bar", "x": data["score"], "y": regions, "orientation": "h",
        "marker": {"color": [_list_colour(c) for c in data["list_code"]]},
        "text": labels, "textposition": "outside", "cliponaxis": False,
        "customdata": data[["adcode"]].to_numpy(),
        "hovertemplate": "%{y}：综合得分 %{x:.1f}<extra></extra>",
    }], _base_layout(
        margin={"l": 10, "r": 90, "t": 34, "b": 30},
        title={"text": title, "font": {"size": 14}, "x": 0.01, "y": 0.98},
        # From zero, as the indicator ranking: a bar's length is its score (a board of
        # 98 to 104 drawn from 98 made 104 look three times 100).
        xaxis={"title": {"text": "综合得分", "font": {"size": 12}}, "gridcolor": "#e5e7eb",
               "zeroline": False, "fixedrange": True, "rangemode": "tozero"},
        yaxis={"automargin": True, "fixedrange": True},
        bargap=0.25, height=max(300, 50 + 24 * len(data)),
    ))


def rank_lines(history: pd.DataFrame, *, focus: str, members: int, title: str) -> go.Figure:
    """One region's rank month by month (the first place at the top) with its score."""
    mine = history[history["adcode"] == focus].sort_values("period")
    mine = mine[mine["rank"].notna()]
    if mine.empty:
        return empty_figure("该地区暂无名次")
    ranks = mine["rank"].astype(int)
    figure = go.Figure([
        go.Scatter(x=mine["period"], y=ranks, name="名次", mode="lines+markers",
                   line={"color": NEUTRAL, "width": 2.5}, marker={"size": 7},
                   customdata=mine[["score"]].to_numpy(),
                   hovertemplate="%{x}：第%{y}名，综合得分 %{customdata[0]:.1f}<extra></extra>"),
    ])
    figure.update_layout(**_base_layout(
        margin={"l": 50, "r": 20, "t": 40, "b": 40},
        title={"text": title, "font": {"size": 14}, "x": 0.01, "y": 0.97},
        xaxis={"type": "category", "gridcolor": "#eef0f2", "fixedrange": True},
        yaxis={"title": {"text": "名次"}, "autorange": False, "range": [members + 0.5, 0.5],
               "dtick": 1 if members <= 15 else 5, "gridcolor": "#e5e7eb", "fixedrange": True},
        showlegend=False, height=300,
    ))
    return figure
