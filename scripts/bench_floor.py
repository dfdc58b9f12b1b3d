"""The floors the benchmark compares the cockpit with, on the same stack (Dash, Flask-Compress
as the app configures it, gunicorn with the app's settings): ``/`` is an empty plotly page (one
``dcc.Graph`` of an empty figure, with Dash's own full plotly.js) and ``noop`` a Dash callback
that does nothing but answer.

    gunicorn -c config/gunicorn.conf.py scripts.bench_floor:server
"""

from __future__ import annotations

import plotly.graph_objects as go
from dash import Dash, Input, Output, dcc, html
from flask import Flask

from components.serving import enable_compression

server = Flask(__name__)
enable_compression(server)
app = Dash(__name__, server=server, serve_locally=True,
           assets_folder="bench_floor_assets", update_title=None)
app.layout = html.Div([
    dcc.Graph(id="floor-graph", figure=go.Figure()),
    html.Button("noop", id="noop-button"),
    html.Div(id="noop-out"),
])


@app.callback(Output("noop-out", "children"), Input("noop-button", "n_clicks"),
              prevent_initial_call=True)
def noop(clicks):
    return clicks


#: The body of one call of the no-op callback, as the browser sends it.
NOOP_BODY = {"output": "noop-out.children", "outputs": {"id": "noop-out", "property": "children"},
             "inputs": [{"id": "noop-button", "property": "n_clicks", "value": 1}],
             "changedPropIds": ["noop-button.n_clicks"], "state": []}
