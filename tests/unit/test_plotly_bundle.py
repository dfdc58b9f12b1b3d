"""The pages draw with a plotly.js of their own (``assets/plotly-cockpit.min.js``), built with
only the traces the app draws: a figure whose trace type the bundle lacks would stay blank in
the browser, so every figure the app can make is checked against the bundle's list.

To add a trace type: name it in ``scripts/plotly_bundle/traces.json`` and run
``scripts/build_plotly_bundle.sh``.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import plotly
import plotly.graph_objects as go
import pytest
from dash import dcc
from plotly.basedatatypes import BaseTraceType

from data.scope import EVERYTHING
from panels import registry
from panels.context import make_context
from tests.layout_tools import find

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "assets" / "plotly-cockpit.min.js"
SPEC = json.loads((ROOT / "scripts" / "plotly_bundle" / "traces.json").read_text())
#: Code drawn in the browser (the PDF briefing draws with kaleido and plotly.py's own plotly.js).
BROWSER_CODE = ("components", "pages", "panels")


def bundle_banner() -> str:
    with BUNDLE.open(encoding="utf-8") as bundle:
        return bundle.readline()


def bundled_traces() -> set[str]:
    found = re.search(r"traces ([a-z0-9, ]+);", bundle_banner())
    assert found, "the bundle names its traces in its first line (scripts/plotly_bundle/build.mjs)"
    return {name.strip() for name in found.group(1).split(",")}


def trace_types(figures) -> set[str]:
    return {trace.type for figure in figures for trace in figure.data}


def graphs_figures(layout) -> list[go.Figure]:
    graphs = find(layout, lambda c: isinstance(c, dcc.Graph) and c.figure is not None)
    return [go.Figure(g.figure) for g in graphs]


def test_the_bundle_is_the_one_its_spec_describes():
    banner = bundle_banner()
    # The plotly.js plotly.py ships, so a figure means the same in the page and in the PDF.
    assert SPEC["plotly.js"] == plotly.offline.get_plotlyjs_version()
    assert f"plotly.js v{SPEC['plotly.js']}" in banner
    assert bundled_traces() == set(SPEC["traces"])
    assert "zh-cn" in SPEC["locales"] and "zh-cn" in banner


def test_every_trace_class_the_browser_code_names_is_in_the_bundle():
    """Figures made in callbacks too: every ``go.<Trace>(`` in the code that pages draw."""
    classes = {name: getattr(go, name) for name in go.__all__}
    classes = {name: cls for name, cls in classes.items()
               if isinstance(cls, type) and issubclass(cls, BaseTraceType)}
    named: dict[str, str] = {}
    for folder in BROWSER_CODE:
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                        and node.value.id == "go" and node.attr in classes):
                    named[classes[node.attr]().type] = str(path.relative_to(ROOT))
                if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                    assert node.value.id != "px", f"{path}: plotly.express picks trace types"
    assert named, "no trace class found: the scan looks in the wrong place"
    missing = {kind: where for kind, where in named.items() if kind not in bundled_traces()}
    assert not missing, f"trace types the bundle lacks (add them to traces.json): {missing}"


@pytest.mark.parametrize("adcode", ["330000", "330100", "330106"])
def test_every_panel_models_figures_draw_with_the_bundle(request_context, adcode):
    models = registry.build_all(make_context(scope=EVERYTHING, adcode=adcode))
    kinds = trace_types(f for model in models.values() for f in model.figures.values())
    assert "choropleth" in kinds
    assert kinds <= bundled_traces(), kinds - bundled_traces()


def test_every_main_pages_figures_draw_with_the_bundle(request_context):
    from pages import risk
    from pages.problems import detail as problem
    from pages.problems import page as problems
    from pages.region import page as region
    from pages.tasks import detail as task
    from pages.tasks import page as tasks

    layouts = [region.layout(adcode="330100"), risk.layout(event="1"), problems.layout(),
               problem.layout(problem_id="1"), tasks.layout(), task.layout(code="ZD2026-015")]
    figures = [figure for layout in layouts for figure in graphs_figures(layout)]
    kinds = trace_types(figures)
    assert {"choropleth", "bar", "funnel", "scatter"} <= kinds
    assert kinds <= bundled_traces(), kinds - bundled_traces()
