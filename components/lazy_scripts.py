"""Which component bundles a page loads, and when.

- **AG Grid** (``dash_ag_grid.min.js``, 1.3 MB raw / 324 kB compressed, and the costliest script
  to start after plotly.js) is needed only by the pages that show a table. Dash would load it on
  every page; here it is left out of the page and fetched by ``assets/06-lazy-grid.js`` the first
  time a grid is drawn (its address, fingerprinted as Dash does, is in a ``<meta>`` of the page).
- **plotly.js** (``assets/plotly-cockpit.min.js``, 1.4 MB raw / 450 kB compressed) is not a
  script of the page either: every page would wait for it before drawing anything, though only
  its charts need it. dcc.Graph fetches it itself when the first chart is drawn (the frame's hidden
  chart, i.e. as soon as the frame is on the screen), from the address in a ``<meta>``
  (``assets/02-plotly-draws.js`` gives it to Dash), so the header, the headings and the cards are
  drawn while plotly.js is still on its way.
- **The small chunks of Dash's own components** that every main page draws at once (the graph
  wrapper, the dropdown, the slider: 90 kB raw together) are loaded with the page instead of
  after the first render: a dropdown or a chart that appears only once its chunk has arrived
  pushes the page down (Lighthouse counted a layout shift of 0.4–0.8 on each main page).
"""

from __future__ import annotations

import os
import sys

import dash_ag_grid
import plotly.graph_objects as go
from dash import Dash, _dash_renderer, dcc, html
from dash.fingerprint import build_fingerprint

from components.graph import graph

GRID_NAMESPACE = "dash_ag_grid"
GRID_BUNDLE = "dash_ag_grid.min.js"
#: The name of the ``<meta>`` that tells ``assets/06-lazy-grid.js`` where the grid bundle is.
GRID_META = "cockpit-grid-src"
#: Dash's lazily loaded chunks that the main pages draw at once (``dash/dcc/async-*.js``).
EAGER_CHUNKS = ("async-graph.js", "async-dropdown.js", "async-slider.js")
#: The app's plotly.js (scripts/plotly_bundle), an asset the pages do not link (Dash's
#: ``assets_ignore``), and the name of the ``<meta>`` that says where it is.
PLOTLY_ASSET = "plotly-cockpit.min.js"
ASSETS_IGNORE = r"^plotly-cockpit\.min\.js$"
PLOTLY_META = "cockpit-plotly-src"


def defer_grid_bundle() -> None:
    """Leave AG Grid's bundle out of every page (it stays served, as a dynamic resource)."""
    for resource in dash_ag_grid._js_dist:
        if resource.get("relative_package_path") == GRID_BUNDLE:
            resource.pop("async", None)
            resource["dynamic"] = True


def grid_bundle_url(requests_pathname_prefix: str) -> str:
    """The fingerprinted address of AG Grid's bundle, as Dash would link it."""
    path = os.path.join(os.path.dirname(sys.modules[GRID_NAMESPACE].__file__), GRID_BUNDLE)
    fingerprint = build_fingerprint(GRID_BUNDLE, dash_ag_grid.__version__,
                                    int(os.stat(path).st_mtime))
    return f"{requests_pathname_prefix}_dash-component-suites/{GRID_NAMESPACE}/{fingerprint}"


def plotly_bundle_url(app: Dash) -> str:
    """The address of the app's plotly.js, fingerprinted as Dash does its assets (``?m=``)."""
    path = os.path.join(app.config.assets_folder, PLOTLY_ASSET)
    return f"{app.get_asset_url(PLOTLY_ASSET)}?m={os.path.getmtime(path)}"


def load_chunks_with_page() -> None:
    """Make :data:`EAGER_CHUNKS` ordinary scripts of the page (Dash marks them ``async``)."""
    for resource in dcc._js_dist:
        path = resource.get("relative_package_path", "")
        if isinstance(path, str) and path.rsplit("/", 1)[-1] in EAGER_CHUNKS:
            resource.pop("async", None)


def component_warmers() -> html.Div:
    """A hidden dropdown, slider and chart in the frame of every page.

    Dash's components are React.lazy: the first one of a kind drawn shows nothing until its
    chunk is resolved, even when the chunk is already loaded, and then the page moves. Drawn
    once in the frame (which is drawn before the page's content arrives), each kind is
    resolved by the time the page draws its own."""
    return html.Div(
        [dcc.Dropdown(id="warm-dropdown", options=[], searchable=False),
         dcc.Slider(id="warm-slider", min=0, max=1, step=1, value=0),
         graph(go.Figure(layout={"height": 10, "width": 10}), graph_id="warm-graph",
               static=True)],
        hidden=True, className="component-warmers", **{"aria-hidden": "true"})


#: Dash's first script, @babel/polyfill 7.12 (core-js 2 and regenerator-runtime): core-js mends
#: browsers older than any React 18 runs on, and costs the main thread 100–500 ms per page load
#: (Lighthouse). Of it, Dash's bundles use only ``regeneratorRuntime``, which
#: ``assets/01-regenerator-runtime.js`` gives.


def drop_core_js_polyfill() -> None:
    """Leave @babel/polyfill out of the page (its regenerator-runtime is an asset)."""
    for dependency in _dash_renderer._js_dist_dependencies:
        for key in ("relative_package_path", "external_url"):
            for mode, paths in dependency.get(key, {}).items():
                dependency[key][mode] = [p for p in paths if "polyfill" not in p]
