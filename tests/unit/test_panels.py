"""The panel models: built from a context alone (no Dash, no browser), plain data with lights
as codes, drawn by every surface's renderer; and the rules of the code's shape that keep them
so (no page imports another page, one chart configuration)."""

from __future__ import annotations

import ast
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import plotly.graph_objects as go
import pytest

from config.labels import LIGHTS, TASK_STATUSES
from data.scope import EVERYTHING
from panels import registry
from panels.addresses import BadAddress
from panels.context import PanelContext, make_context
from panels.model import PanelModel
from tests.layout_tools import classes, find, text_of

ROOT = Path(__file__).resolve().parents[2]
PROVINCE, HANGZHOU, XIHU = "330000", "330100", "330106"
LIGHT_CODES = set(LIGHTS) | {"done"}


def context(adcode: str = PROVINCE, **kwargs) -> PanelContext:
    return make_context(scope=EVERYTHING, adcode=adcode, **kwargs)


# --- the context ---------------------------------------------------------------------------------

def test_a_context_fills_in_the_defaults_and_today(request_context):
    ctx = context()
    assert ctx.period == "2026-10" and ctx.indicator == "PDP_SHARE_SAT"
    assert ctx.today == date(2026, 11, 22)  # the demo's pinned day (data.clock)
    assert ctx.now.date() == ctx.today and isinstance(ctx.now, datetime)
    assert ctx.region_name == "浙江省" and ctx.level == "province"
    county = context(XIHU)
    assert county.compared_parent == HANGZHOU and county.compared_words == "杭州市各县（市、区）"
    assert county.ancestors() == [PROVINCE, HANGZHOU]


@pytest.mark.parametrize(("adcode", "compared"), [
    (PROVINCE, "city"), (HANGZHOU, "county"), (XIHU, "county")])
def test_the_default_indicator_is_one_the_map_s_regions_count(request_context, adcode, compared):
    """A city's map shows its counties: its default indicator is one counted for counties (the
    catalogue's first, 数据共享需求满足率, is counted only down to cities: every county said
    不适用), and the briefing's map takes the same."""
    from briefing.document import map_indicator
    from data import queries
    from data.rules import applies_at

    ctx = context(adcode)
    catalogue = queries.indicators(scope=EVERYTHING).set_index("code")
    assert applies_at(catalogue.at[ctx.indicator, "lowest_level"], compared)
    assert map_indicator(EVERYTHING, adcode) == ctx.indicator
    if compared == "county":
        assert not applies_at(catalogue.at["PDP_SHARE_SAT", "lowest_level"], "county")
        assert ctx.indicator == next(code for code, row in catalogue.iterrows()
                                     if applies_at(row["lowest_level"], "county"))


@pytest.mark.parametrize(("kwargs", "fragment"), [
    ({"adcode": "999999"}, "未找到行政区划代码为“999999”"),
    ({"indicator": "NOPE"}, "未找到编码为“NOPE”的指标"),
    ({"period": "2026-13"}, "格式不正确"),
    ({"period": "2019-01"}, "没有数据"),
])
def test_a_context_refuses_what_does_not_exist(request_context, kwargs, fragment):
    with pytest.raises(BadAddress, match=fragment):
        make_context(scope=EVERYTHING, **kwargs)


# --- every panel, as plain data ------------------------------------------------------------------

def check_plain(model: PanelModel) -> None:
    """A model holds plain values, figures and lights as codes."""
    assert model.title and model.region and model.period, model.key
    for figure in model.figures.values():
        assert isinstance(figure, go.Figure)
    for row in model.rows:
        for value in row.values():
            assert value is None or isinstance(value, str | int | float | bool), (model.key, row)
        if "light" in row and model.key != "risk":
            assert row["light"] in LIGHT_CODES, (model.key, row["light"])
    for stat in model.stats:
        assert stat.light is None or stat.light in LIGHT_CODES
    for column in model.columns:
        assert any(column.field in row for row in model.rows) or not model.rows, column


@pytest.mark.parametrize("adcode", [PROVINCE, HANGZHOU, XIHU])
def test_every_panel_builds_a_plain_model_from_a_context(request_context, adcode):
    ctx = context(adcode)
    models = registry.build_all(ctx)
    # The demo has every topic: indicators, tasks, problems, directives and a risk event.
    assert list(models) == registry.keys()
    for model in models.values():
        check_plain(model)
    name = ctx.region_name
    assert models["indicators"].region == name and models["tasks"].region == name
    assert models["map"].region == ctx.compared_words
    from data import queries

    assert len(models["indicators"].rows) == len(queries.indicators(scope=EVERYTHING))
    assert len(models["map"].rows) == (11 if adcode == PROVINCE else 13)


def test_the_models_agree_with_each_other(request_context):
    """A figure is computed once: the headline figures are the other panels' own."""
    models = registry.build_all(context(HANGZHOU))
    overview = {s.code: s for s in models["overview"].stats}
    lights = {s.code: s.value for s in models["indicators"].stats}
    assert overview["indicators_red"].value == lights["red"]
    tasks = {s.code: s.value for s in models["tasks"].stats}
    assert overview["tasks_overdue"].value == tasks["overdue"]
    assert set(tasks) == set(TASK_STATUSES)
    problems = {s.code: s.value for s in models["problems"].stats}
    assert overview["problems_open"].value == problems["open"]
    assert problems["total"] == sum(r["total"] for r in models["problems"].rows)
    risk = {s.code: s.value for s in models["risk"].stats}
    assert overview["risk_high"].value == risk["RED"] + risk["ORANGE"]
    # Map and ranking show the same regions with the same values.
    assert [(r["adcode"], r["value"]) for r in models["map"].rows] == [
        (r["adcode"], r["value"]) for r in models["ranking"].rows]
    z = dict(zip(models["map"].figures["map"].data[0].locations,
                 models["map"].figures["map"].data[0].z, strict=True))
    assert all(abs(z[r["adcode"]] - r["value"]) < 1e-9 for r in models["map"].rows
               if r["value"] is not None)


def test_the_indicator_rows_tell_their_story(request_context):
    model = registry.build(context(HANGZHOU, indicator="DG_ZLB_DAU"), "indicators")
    row = next(r for r in model.rows if r["code"] == "DG_ZLB_DAU")
    assert row["selected"] and row["href"] == "/region/330100?indicator=DG_ZLB_DAU&period=2026-10"
    for fragment in ("当前值", "年度目标", "完成率", "序时进度", "亮灯规则", "责任单位",
                     "更新时间：2026-11-10"):
        assert fragment in row["story"]
    assert {g.code for g in model.groups} == {r["group"] for r in model.rows}
    assert "亮灯规则" in model.rule and model.freshness == datetime(2026, 11, 10, 9, 30)


def test_tasks_are_listed_overdue_first_with_codes_and_words(request_context):
    model = registry.build(context(HANGZHOU), "tasks")
    statuses = [r["status"] for r in model.rows]
    assert statuses == sorted(statuses, key=lambda s: s != "overdue")
    for row in model.rows:
        assert row["light_word"] == TASK_STATUSES[row["status"]].word
        assert row["light"] == TASK_STATUSES[row["status"]].light


def test_a_panel_with_nothing_to_show_is_left_out(request_context, monkeypatch):
    from data import risk_queries

    monkeypatch.setattr(risk_queries, "cockpit_moment", lambda **_: None)
    models = registry.build_all(context())
    assert "risk" not in models and "risk_high" not in {s.code for s in models["overview"].stats}


# --- renderers -----------------------------------------------------------------------------------

def test_the_desk_draws_every_model(request_context):
    from components.surfaces import desk

    models = registry.build_all(context(HANGZHOU))
    for key, model in models.items():
        drawn = desk.render(model)
        assert drawn is not None, key
        if model.link and key not in ("map", "ranking", "trend", "indicators"):
            hrefs = [getattr(c, "href", None) for c in find(drawn, lambda c: True)]
            assert model.link.href in hrefs, key


def test_a_new_panel_is_one_registry_entry(request_context):
    """Registered once, it is built for every surface and drawn by the generic renderer."""
    from components.surfaces import desk
    from panels.model import Link, Stat

    @registry.panel("test_extra", "测试面板", order=99)
    def extra(ctx: PanelContext) -> PanelModel:
        return PanelModel(key="test_extra", title="测试面板", region=ctx.region_name,
                          period=ctx.period_words,
                          stats=[Stat("red", "红灯", 2, "2", unit="项", light="red")],
                          link=Link("打开", "/tasks"))

    try:
        assert registry.keys(registry.DESK)[-1] == "test_extra"
        model = registry.build_all(context(), surface=registry.DESK)["test_extra"]
        drawn = desk.render(model)
        assert "测试面板" in text_of(drawn) and "杭州市" not in text_of(drawn)
        assert find(drawn, lambda c: "stat-row" in classes(c))
    finally:
        registry.REGISTRY.pop("test_extra")


# --- the shape of the code -----------------------------------------------------------------------

def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_no_page_imports_another_page():
    for path in (ROOT / "pages").rglob("*.py"):
        assert not {m for m in imports_of(path) if m.startswith("pages")}, path


def test_panels_know_nothing_of_pages_renderers_or_dash():
    for path in (ROOT / "panels").glob("*.py"):
        bad = {m for m in imports_of(path)
               if m.split(".")[0] in ("dash", "pages") or m.startswith("components.surfaces")}
        assert not bad, (path, bad)


def test_panel_models_are_built_without_dash(cockpit):
    """In a process of its own with a bare Flask app on the same store: no Dash is loaded."""
    url = cockpit.server.config["COCKPIT_SETTINGS"].resolved_database_url
    script = f"""
import sys
from tests.conftest import make_store_app
from data.scope import EVERYTHING
from panels import registry
from panels.context import make_context
app = make_store_app({url!r})
with app.app_context():
    models = registry.build_all(make_context(scope=EVERYTHING, adcode="330100"))
assert len(models) == len(registry.keys()), sorted(models)
assert not [m for m in sys.modules if m == "dash" or m.startswith("dash.")], "dash was imported"
print("ok", len(models))
"""
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0 and done.stdout.startswith("ok"), done.stderr[-2000:]


def test_every_chart_is_made_by_the_one_graph_function():
    for path in [*ROOT.glob("pages/**/*.py"), *ROOT.glob("components/**/*.py")]:
        if path.name == "graph.py":
            continue
        assert "dcc.Graph(" not in path.read_text(encoding="utf-8"), path


def test_no_toolbar_button_leaves_the_machine(request_context):
    from components.graph import graph_config
    from pages.region import page as region

    config = graph_config()
    assert config["displaylogo"] is False and config["showSendToCloud"] is False
    assert config["showEditInChartStudio"] is False and config["showLink"] is False
    assert config["modeBarButtons"] == [["toImage", "resetViews"]]
    assert config["topojsonURL"].endswith("/assets/topojson/")
    graphs = find(region.layout(adcode=HANGZHOU), lambda c: type(c).__name__ == "Graph")
    assert len(graphs) == 4
    # Every chart follows its container's width; a figure with a height of its own (one bar
    # per region) keeps it as its box's height, since Dash's responsive mode drops it.
    by_id = {g.id: g for g in graphs}
    ranking = by_id["region-ranking"]
    assert ranking.responsive is True
    assert ranking.style["height"] == f"{int(ranking.figure.layout.height)}px"
    assert by_id["region-map"].responsive is True
    assert "style" not in by_id["region-map"].to_plotly_json()["props"]
    for drawn in graphs:
        assert {k: v for k, v in drawn.config.items() if k != "staticPlot"} == {
            k: v for k, v in config.items() if k != "staticPlot"}


def test_a_user_lands_on_their_own_level(cockpit):
    """``/`` is the cockpit of the viewer's level: a county user arrives at the county."""
    from pages.region import page as region
    from tests.auth_tools import signed_in

    with signed_in(cockpit.server, "xihu"):
        page = region.layout()
        assert getattr(page, "data-adcode") == XIHU
    with signed_in(cockpit.server, "leader"):
        assert getattr(region.layout(), "data-adcode") == PROVINCE


@pytest.mark.parametrize(("user", "home"), [("hangzhou", HANGZHOU), ("xihu", XIHU),
                                            ("dsj", PROVINCE)])
def test_every_panel_builds_within_a_users_scope(cockpit, user, home):
    from panels.context import from_address
    from tests.auth_tools import signed_in

    with signed_in(cockpit.server, user):
        ctx = from_address()
        assert ctx.adcode == home and ctx.scope != EVERYTHING
        models = registry.build_all(ctx)
        assert {"indicators", "map", "ranking", "overview"} <= set(models)
        for model in models.values():
            check_plain(model)
        visible = set(ctx.tree().index)
        assert {r["adcode"] for r in models["map"].rows} <= visible


def test_a_value_map_wears_its_indicator_types_one_scale_and_says_so(request_context):
    from components.theme import screen
    from config.labels import LOWER_BETTER_COLOURS, VALUE_COLOURS

    def scale_and_legend(indicator: str) -> tuple[list[str], str]:
        figure = next(iter(registry.build(context(indicator=indicator), "map").figures.values()))
        trace = next(t for t in figure.data if t.type == "choropleth" and t.showscale is not False)
        return [c for _, c in trace.colorscale], trace.colorbar.title.text

    higher, higher_words = scale_and_legend("PDP_SHARE_SAT")  # 满意率: higher is better
    lower, lower_words = scale_and_legend("DL_PETITIONS")  # 信访总量: lower is better
    assert higher == VALUE_COLOURS and "越高越好" in higher_words
    assert lower == LOWER_BETTER_COLOURS and "越低越好" in lower_words
    lower_map = registry.build(context(indicator="DL_PETITIONS"), "map").figures
    themed = screen(next(iter(lower_map.values())))
    screen_scale = [c for _, c in next(t for t in themed.data if t.type == "choropleth").colorscale]
    assert screen_scale not in (higher, lower)  # the large screen's own, brighter version
    legend = next(t for t in themed.data if t.type == "choropleth").colorbar.title.text
    assert "颜色越亮越高（越低越好）" in legend  # more is brighter on the navy screen


def test_a_page_states_one_as_of_line_naming_each_panels_moment(request_context):
    from panels.as_of import as_of_line
    from panels.model import PanelModel

    models = registry.build_all(context(), surface=registry.DESK)
    line = as_of_line(models.values())
    assert line.startswith("数据时点：")
    assert "2026年10月（核心指标、地图、排名" in line  # the month the indicators stand at
    assert "2026年11月22日（" in line and "七张问题清单" in line  # judged on today
    assert line.count("2026年11月22日") == 1  # each moment once
    stated = [m for m in models.values() if m.as_of]
    assert len(stated) >= 6 and all(m.as_of in line for m in stated)
    same = [PanelModel(key="tasks", title="重大任务", region="浙江省", period="",
                       as_of="2026年11月22日"),
            PanelModel(key="problems", title="七张问题清单", region="浙江省", period="",
                       as_of="2026年11月22日")]
    assert as_of_line(same) == "数据截至2026年11月22日"
    assert as_of_line([]) == ""
