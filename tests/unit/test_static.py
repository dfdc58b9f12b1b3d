"""A part of a page that only shows, sent as one component (components/static.py)."""

from __future__ import annotations

import json

import pytest
from dash import dcc, html
from plotly.utils import PlotlyJSONEncoder

from components.static import Static, static, static_parts, tree
from tests.layout_tools import find


def test_the_html_is_kept_tag_by_tag_with_its_attributes():
    part = html.Section([html.H3("标题", className="panel-title"),
                         html.Span("1", style={"color": "#fff"}, title="说明",
                                   **{"aria-hidden": "true", "data-level": "red"}),
                         dcc.Link("打开", href="/risk", className="chip-link"), None, 3],
                        className="card", **{"aria-label": "风险"})
    assert tree(part) == {"t": "section", "p": {"className": "card", "aria-label": "风险"}, "c": [
        {"t": "h3", "p": {"className": "panel-title"}, "c": "标题"},
        {"t": "span", "p": {"style": {"color": "#fff"}, "title": "说明", "aria-hidden": "true",
                            "data-level": "red"}, "c": "1"},
        {"t": "a", "p": {"href": "/risk", "className": "chip-link"}, "c": "打开", "link": True},
        None, "3"]}
    assert tree(dcc.Link("下载", href="/f.pdf", refresh=True))["link"] is False


def test_only_the_tree_is_sent_and_the_layout_can_still_be_looked_into():
    part = html.Div([html.Span("a", className="kpi-card")])
    sent = json.loads(json.dumps(html.Div(static(part)), cls=PlotlyJSONEncoder))
    drawn = sent["props"]["children"]
    assert drawn["namespace"] == "cockpit_components" and drawn["type"] == "Static"
    assert set(drawn["props"]) == {"tree"}
    assert len(find(html.Div(static(part)), lambda c: getattr(c, "className", "") == "kpi-card"))


@pytest.mark.parametrize("part", [html.Div(id="x"), html.Div(dcc.Graph(figure={})),
                                  html.Div(dcc.Dropdown(options=[]))])
def test_a_component_with_an_id_or_a_behaviour_stays_dash_s(part):
    with pytest.raises(ValueError):
        tree(part)


def test_a_panel_keeps_its_chart_and_the_rest_of_it_is_plain_html():
    chart = dcc.Graph(id="region-ranking", figure={})
    legend = html.Ul([html.Li("红"), html.Li("橙")], className="risk-legend")
    panel = html.Section([
        html.H3("排名", className="panel-title"),
        dcc.Loading(html.Div([chart, legend])),
        html.Table(html.Tbody(html.Tr([html.Td("杭州市"), html.Td(dcc.Link("看", href="/x"))]))),
        "文字",
    ], className="card")
    drawn = static_parts(panel)
    title, loading, table, text = drawn.children
    assert isinstance(title, Static) and title.tree["t"] == "h3"
    assert isinstance(table, Static) and table.tree["c"]["c"]["c"][1]["c"]["link"]
    assert text == "文字"
    assert isinstance(loading, dcc.Loading)  # holds the chart: looked into, not drawn as HTML
    kept_chart, kept_legend = loading.children.children
    assert kept_chart is chart
    assert isinstance(kept_legend, Static) and kept_legend.children is legend
    # Sent: the chart and its Loading as Dash components, the rest as trees.
    sent = json.dumps(drawn, cls=PlotlyJSONEncoder)
    assert sent.count('"namespace": "dash_html_components"') == 2  # the section, the div
