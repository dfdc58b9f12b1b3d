"""The ledger of major applications (一本账): its table, export columns, adoption map and
adoption over time (data in, component or figure out)."""

from __future__ import annotations

import dash_ag_grid as dag
import pandas as pd
import plotly.graph_objects as go

from components.charts import _base_layout, empty_figure, finish_map
from components.export import Column as ExportColumn
from components.problems import GRID_LOCALE

ADOPTED, NOT_YET = "#1b5aa0", "#d9dee5"
RATE = {"function": "d3.format('.1f')(params.value)"}
EXPORT_COLUMNS = (
    ExportColumn("name", "应用", 22), ExportColumn("system_name", "体系", 18),
    ExportColumn("lead_name", "牵头单位", 22), ExportColumn("level_name", "层级", 14),
    ExportColumn("home_name", "所属清单", 10), ExportColumn("launched_on", "上线日期", 12),
    ExportColumn("users", "用户数", 12), ExportColumn("active_rate", "活跃率(%)", 10),
    ExportColumn("real_active_rate", "实活率(%)", 10),
    ExportColumn("satisfaction", "满意率(%)", 10),
    ExportColumn("counties", "应用县（市、区）数", 14),
)


def ledger_grid(grid_id: str, frame: pd.DataFrame) -> dag.AgGrid:
    """A sortable table of the applications."""
    columns = [
        {"field": "name", "headerName": "应用", "pinned": "left", "minWidth": 170, "flex": 1},
        {"field": "system_name", "headerName": "体系", "width": 170},
        {"field": "lead_name", "headerName": "牵头单位", "width": 190},
        {"field": "level_name", "headerName": "层级", "width": 130},
        {"field": "home_name", "headerName": "所属清单", "width": 100},
        {"field": "launched_on", "headerName": "上线日期", "width": 112},
        {"field": "users", "headerName": "用户数", "width": 120, "type": "numericColumn",
         "valueFormatter": {"function": "d3.format(',')(params.value)"}},
        {"field": "active_rate", "valueFormatter": RATE,
         "headerName": "活跃率(%)", "width": 108,
         "type": "numericColumn"},
        {"field": "real_active_rate", "valueFormatter": RATE,
         "headerName": "实活率(%)", "width": 108,
         "type": "numericColumn"},
        {"field": "satisfaction", "valueFormatter": RATE,
         "headerName": "满意率(%)", "width": 108,
         "type": "numericColumn"},
        {"field": "counties", "headerName": "应用县数", "width": 100, "type": "numericColumn"},
    ]
    rows = [{**{k: r[k] for k in ("code", "name", "system_name", "lead_name", "level_name",
                                   "home_name", "users", "active_rate", "real_active_rate",
                                   "satisfaction", "counties")},
             "launched_on": r["launched_on"].isoformat(), "users": int(r["users"]),
             "counties": int(r["counties"])} for _, r in frame.iterrows()]
    return dag.AgGrid(
        id=grid_id, rowData=rows, columnDefs=columns,
        defaultColDef={"sortable": True, "resizable": True, "filter": False},
        getRowId="params.data.code",
        dashGridOptions={"localeText": GRID_LOCALE, "animateRows": False,
                         "enableCellTextSelection": True, "domLayout": "autoHeight"},
        className="pb-grid", style={"width": "100%"})


def adoption_map(counties: pd.DataFrame, adopted: dict[str, object], geojson: dict, *,
                 title: str) -> go.Figure:
    """The counties, blue where the application is in use (with the date), grey where not
    yet; the words are in each region's hover and in the title."""
    if counties.empty:
        return empty_figure("暂无可显示的地区")
    data = counties.copy()
    data["on"] = data["adcode"].isin(adopted)
    data["hover"] = [f"<b>{n}</b><br>" + (f"已应用（{adopted[a]:%Y-%m-%d}起）" if on
                                           else "尚未应用")
                     for a, n, on in zip(data["adcode"], data["name"], data["on"],
                                         strict=True)]
    figure = go.Figure([go.Choropleth(
        geojson=geojson, featureidkey="properties.adcode", locations=data["adcode"],
        z=data["on"].astype(int), zmin=0, zmax=1,
        colorscale=[[0, NOT_YET], [1, ADOPTED]], showscale=False,
        customdata=data[["adcode"]].to_numpy(), text=data["hover"],
        hovertemplate="%{text}<extra></extra>",
        marker={"line": {"color": "#ffffff", "width": 0.6}}, name="")])
    return finish_map(figure, title=title)


def adoption_lines(series: pd.DataFrame, *, total: int, title: str) -> go.Figure:
    if series.empty:
        return empty_figure("尚无县（市、区）应用")
    figure = go.Figure(go.Scatter(
        x=series["month"], y=series["counties"], mode="lines", line={"color": ADOPTED,
                                                                     "width": 2.5},
        fill="tozeroy", fillcolor="rgba(27,90,160,0.12)",
        hovertemplate="%{x}：%{y} 个县（市、区）<extra></extra>"))
    figure.update_layout(**_base_layout(
        margin={"l": 50, "r": 20, "t": 40, "b": 40},
        title={"text": title, "font": {"size": 14}, "x": 0.01, "y": 0.97},
        xaxis={"type": "category", "nticks": 10, "fixedrange": True},
        yaxis={"title": {"text": "县（市、区）数"}, "range": [0, total + 2],
               "gridcolor": "#e5e7eb", "fixedrange": True},
        height=320, showlegend=False))
    return figure
