"""``/risk``: the five-colour natural-disaster risk map (自然灾害风险“五色图”).

URL: ``/risk?region=<province or city adcode>&event=<id>&hazard=<code or ALL>&at=<ISO time>
&county=<adcode>``. The URL is the state (the problems page's pattern): choosing an event, a
hazard, a city or a county navigates to a new URL and the page is built from it, so a link
reproduces the view and Back undoes the choice. The time slider and play/pause move the map in
place (a Patch of the levels, not the boundaries) and keep ``at`` in the address by replacing
it, so that a link shares the moment shown without every step of the slider becoming a page
of the browser's history.
"""

from __future__ import annotations

from datetime import datetime

import dash
from dash import Input, Output, Patch, State, callback, ctx, dcc, html, no_update

from components import charts
from components import risk as view
from components.frame import breadcrumb, navigator, page_or_message
from components.graph import graph
from components.static import static
from config.labels import DROPDOWN_LABELS
from data import clock, queries
from data import risk_queries as rq
from data.geo import boundaries
from data.reference import PROVINCE
from data.risk_rules import OVERALL, OVERALL_NAME, count_by_level
from data.scope import Scope, home_region, viewer_scope
from panels.addresses import (
    STALE_STATE,
    BadAddress,
    address_time,
    one_value,
    risk_href,
    state_dict,
    state_index,
)

TICK_MS = 1200
RISK_ERRORS = {
    "no_events": "还没有自然灾害风险研判数据。请先运行 flask --app app:server seed-demo。",
    "bad_event": "未找到编号为“{event}”的灾害过程。",
    "bad_hazard": "未找到编码为“{hazard}”的灾种。",
    "bad_region": "“五色图”按省或设区市查看，未找到行政区划代码为“{region}”的省、市。",
    "bad_time": "时间“{at}”格式不正确，应为 2021-07-25T12:00 这样的形式。",
}


class ids:  # noqa: N801 - a namespace of component ids
    view = "risk-view"
    nav = "risk-nav"
    county = "risk-county"
    event = "risk-event"
    hazard = "risk-hazard"
    time = "risk-time"
    time_label = "risk-time-label"
    play = "risk-play"
    ticker = "risk-ticker"
    map = "risk-map"
    legend = "risk-legend"
    warned = "risk-warned"
    warned_title = "risk-warned-title"
    evacuation = "risk-evacuation"
    evacuated_total = "risk-evacuated-total"
    detail = "risk-detail"


def _check_address(region: object = None, event: object = None, hazard: object = None,
                   at: object = None, county: object = None, **_: object) -> None:
    """Raises what :func:`layout` would show as a message (the address's HTTP status)."""
    resolve(scope=viewer_scope(), region=region, event=event, hazard=hazard, at=at,
            county=county)


dash.register_page(__name__, path="/risk", title="自然灾害风险“五色图” · 数字化改革驾驶舱",
                   name="风险五色图", order=10, check_address=_check_address, kept=True)


def resolve(*, scope: Scope, region: str | None, event: str | None, hazard: str | None,
            at: str | None, county: str | None) -> dict:
    for name, value in (("region", region), ("event", event), ("hazard", hazard), ("at", at),
                        ("county", county)):
        one_value(name, value)
    events = rq.risk_events(scope=scope)
    if events.empty:
        raise BadAddress(RISK_ERRORS["no_events"])
    tree = queries.regions(scope=scope).set_index("adcode")
    region = region or home_region(scope) or PROVINCE
    if region not in tree.index:
        try:
            queries.check_region(scope=scope, adcode=region)
        except queries.ScopeRefused as refused:
            if region in queries.region_names(scope=scope):
                raise BadAddress(str(refused)) from refused
        raise BadAddress(RISK_ERRORS["bad_region"].format(region=region))
    parent = tree.loc[region, "parent_adcode"]
    if tree.loc[region, "level"] == "county" and parent in tree.index:
        county, region = region, parent  # a county is shown within its city
    if event is None:
        chosen = rq.current_event(scope=scope, now=clock.now(scope=scope))
    else:
        match = events[events["id"].astype(str) == str(event)]
        if match.empty:
            raise BadAddress(RISK_ERRORS["bad_event"].format(event=event))
        chosen = match.iloc[0]
    hazard_codes = set(rq.hazards(scope=scope)["code"])
    hazard = hazard or OVERALL
    if hazard != OVERALL and hazard not in hazard_codes:
        raise BadAddress(RISK_ERRORS["bad_hazard"].format(hazard=hazard))
    event_id = int(chosen["id"])
    times = rq.assessment_times(scope=scope, event_id=event_id)
    if at is None:
        moment = rq.peak_time(scope=scope, event_id=event_id)
    else:
        try:
            moment = address_time(str(at))
        except ValueError as bad:
            raise BadAddress(RISK_ERRORS["bad_time"].format(at=at)) from bad
    index = time_index(times, moment)
    if county is not None and county not in tree.index:
        county = None
    return {"region": region, "event": event_id, "hazard": hazard,
            "times": [t.isoformat() for t in times], "index": index, "county": county}


def time_index(times: list[datetime], moment: datetime | None) -> int:
    """The last assessment time at or before ``moment`` (the first if none is)."""
    if not times or moment is None:
        return max(len(times) - 1, 0)
    earlier = [i for i, t in enumerate(times) if t <= moment]
    return earlier[-1] if earlier else 0


def layout(region: str | None = None, event: str | None = None, hazard: str | None = None,
           at: str | None = None, county: str | None = None, **_: object):
    scope = viewer_scope()
    return page_or_message(lambda: page(scope=scope, state=resolve(
        scope=scope, region=region, event=event, hazard=hazard, at=at, county=county)))


def hazard_names(scope: Scope) -> dict[str, str]:
    return rq.hazards(scope=scope).set_index("code")["name"].to_dict()


def moment(*, scope: Scope, state: dict, index: int) -> dict:
    """Everything on the page that depends on the moment shown."""
    times = [datetime.fromisoformat(t) for t in state["times"]]
    at = times[index] if times else clock.now(scope=scope)
    frame = rq.risk_map(scope=scope, event_id=state["event"], parent=state["region"],
                        hazard=state["hazard"], at=at)
    levels = rq.risk_levels(scope=scope)
    names = hazard_names(scope)
    notices = rq.risk_notices(scope=scope, event_id=state["event"], parent=state["region"])
    people = rq.evacuated_at(rq.evacuation_reports(scope=scope, event_id=state["event"],
                                                   parent=state["region"]), at)
    county_names = dict(zip(frame["adcode"], frame["name"], strict=True))
    return {
        "at": at,
        "frame": frame,
        # Only shown: plain HTML in one component each (components.static).
        "legend": static(view.level_legend(count_by_level(frame, levels))),
        "warned": static(view.warned_table(frame, notices, hazard_names=names, at=at)),
        "evacuation": view.evacuation_figure(people, county_names,
                                             title="转移人数前15位（累计）"),
        "evacuated_total": f"{int(people.sum()):,} 人" if len(people) else "0 人",
    }


def county_detail(*, scope: Scope, state: dict, adcode: str | None, at: datetime):
    if not adcode:
        return html.P("点击地图上的县（市、区），查看它在本次过程中各灾种风险等级的变化，"
                      "以及收到的风险告知函和工作督办单。", className="empty-note")
    tree = queries.regions(scope=scope).set_index("adcode")
    if adcode not in tree.index:
        return html.P("未找到该县（市、区）。", className="empty-note")
    name = tree.loc[adcode, "name"]
    history = rq.county_history(scope=scope, event_id=state["event"], adcode=adcode)
    notices = rq.risk_notices(scope=scope, event_id=state["event"], parent=adcode)
    city = tree.loc[adcode, "parent_adcode"]
    return html.Div([
        html.H3([f"{name} · 各灾种风险等级变化",
                 dcc.Link(f"查看{tree.loc[city, 'name']}各县", className="chip-link",
                          href=risk_href(region=city, event=state["event"],
                                         hazard=state["hazard"], at=at, county=adcode))
                 if state["region"] != city else None],
                className="panel-title"),
        graph(view.history_figure(history, rq.risk_levels(scope=scope),
                                  title=f"{name}（竖虚线为当前时刻）", at=at),
              graph_id="risk-history"),
        html.H4("收到的告知函、督办单"),
        view.notice_list(notices, hazard_names=hazard_names(scope)),
    ])


def page(*, scope: Scope, state: dict) -> html.Div:
    tree = queries.regions(scope=scope).set_index("adcode")
    events = rq.risk_events(scope=scope)
    event = events[events["id"] == state["event"]].iloc[0]
    region = tree.loc[state["region"]]
    now = moment(scope=scope, state=state, index=state["index"])
    levels = rq.risk_levels(scope=scope)
    names = hazard_names(scope)
    geojson = boundaries().feature_collection(tuple(now["frame"]["adcode"]),
                                              coarse=state["region"] == PROVINCE)
    figure = view.risk_map_figure(now["frame"], geojson, levels, hazard_names=names,
                                  labels=state["region"] != PROVINCE, selected=state["county"])
    times = [datetime.fromisoformat(t) for t in state["times"]]
    crumbs = [(name, risk_href(region=a, event=state["event"], hazard=state["hazard"],
                               at=now["at"]) if visible else None)
              for a, name, visible in queries.region_path(scope=scope, adcode=state["region"])]
    crumbs[-1] = (region["name"], None)
    cities = tree[tree["level"] == "city"]
    chips = ([risk_link_for(scope, state, PROVINCE, "全省", now["at"])]
             if PROVINCE in tree.index else [])
    hazard_label = OVERALL_NAME if state["hazard"] == OVERALL else names[state["hazard"]]
    return html.Div([
        dcc.Store(id=ids.view, data=state),
        navigator(ids.nav),
        dcc.Store(id=ids.county, data=state["county"]),
        dcc.Interval(id=ids.ticker, interval=TICK_MS, disabled=True),
        html.Div([
            breadcrumb(crumbs),
            html.Div([
                html.Label("灾害过程", htmlFor=ids.event, className="control-label"),
                dcc.Dropdown(id=ids.event, labels=DROPDOWN_LABELS, options=[
                    {"label": f"{e.name}（{e.started_at:%Y-%m-%d}起）", "value": int(e.id)}
                    for e in events.itertuples()], value=state["event"], clearable=False,
                    className="control event-control"),
                html.Label("灾种", htmlFor=ids.hazard, className="control-label"),
                dcc.Dropdown(id=ids.hazard, labels=DROPDOWN_LABELS,
                             options=[{"label": OVERALL_NAME, "value": OVERALL}]
                             + [{"label": n, "value": c} for c, n in names.items()],
                             value=state["hazard"], clearable=False, searchable=False,
                             className="control hazard-control"),
            ], className="controls"),
        ], className="page-bar"),
        html.H2([f"自然灾害风险“五色图” · {region['name']}",
                 html.Span(f"{event['name']} · {hazard_label}", className="heading-sub")],
                className="page-heading"),
        html.P(f"过程时间：{event['started_at']:%Y-%m-%d %H:%M} 至 "
               f"{event['ended_at']:%Y-%m-%d %H:%M}，每6小时研判一次。"
               f"{event['description'] or ''}", className="event-description"),
        unassessed_note(scope=scope, state=state, hazard_label=hazard_label),
        html.Nav(chips
                 + [risk_link_for(scope, state, a, r["name"], now["at"])
                    for a, r in cities.iterrows()],
                 className="city-chips", **{"aria-label": "按设区市查看"}),
        html.Div([
            html.Button("▶ 播放", id=ids.play, className="button play-button",
                        **{"aria-label": "播放或暂停研判过程"}),
            html.Div(dcc.Slider(id=ids.time, min=0, max=max(len(times) - 1, 0), step=1,
                                value=state["index"], marks=view.slider_marks(times),
                                included=False, updatemode="mouseup",
                                allow_direct_input=False),
                     className="time-slider", **{"data-thumb-label": "研判时间"}),
            html.Span(view.time_label(now["at"]), id=ids.time_label, className="time-label",
                      **{"aria-live": "polite"}),
        ], className="time-row"),
        html.Div([
            html.Section(graph(figure, graph_id=ids.map, class_name="risk-map-graph"),
                         className="card", **{"aria-label": "风险地图"}),
            html.Div([
                # A county's detail beside the map where it was clicked, not below the list.
                html.Section(county_detail(scope=scope, state=state, adcode=state["county"],
                                           at=now["at"]), id=ids.detail,
                             className="card risk-detail-card"),
                html.Section([html.H3("各等级县（市、区）数", className="panel-title"),
                              html.Div(now["legend"], id=ids.legend),
                              html.Div(["累计转移：", html.Strong(now["evacuated_total"],
                                                             id=ids.evacuated_total)],
                                       className="evacuated")],
                             className="card"),
                html.Section(graph(now["evacuation"], graph_id=ids.evacuation),
                             className="card"),
            ], className="risk-side"),
        ], className="risk-main"),
        html.Section([
            html.H3(f"红色、橙色风险县（市、区）及告知督办 · {view.time_label(now['at'])}",
                    id=ids.warned_title, className="panel-title"),
            html.Div(now["warned"], id=ids.warned),
        ], className="card risk-warned-card"),
    ], className="risk-page", **{"data-region": state["region"],
                                 "data-event": str(state["event"])})


def unassessed_note(*, scope: Scope, state: dict, hazard_label: str) -> html.P | None:
    """A hazard this event did not assess anywhere in the region says so, instead of an
    unexplained all-grey map."""
    if state["hazard"] == OVERALL:
        return None
    assessed = rq.event_assessments(scope=scope, event_id=state["event"],
                                    parent=state["region"])
    if not assessed.empty and (assessed["hazard_code"] == state["hazard"]).any():
        return None
    return html.P(f"本次过程未对“{hazard_label}”作风险研判，地图为灰色（无数据）。"
                  f"请选择其他灾种，或查看“{OVERALL_NAME}”。", className="risk-unassessed",
                  role="status")


def risk_state(state: object, county: object = None) -> dict:
    """The page's state as the page keeps it (a forged or stale one: the page's message)."""
    found = state_dict(state, RISK_STATE)
    if not all(isinstance(t, str) for t in found["times"]) or not isinstance(
            county, str | None):
        raise BadAddress(STALE_STATE)
    return found


#: The risk page's state: the fields :func:`resolve` gives, with their types.
RISK_STATE = {"region": str, "event": int, "hazard": str, "times": list, "index": int,
              "county": str | None}


def risk_link_for(scope: Scope, state: dict, region: str, text: str, at: datetime):
    current = state["region"] == region
    return dcc.Link(text, href=risk_href(region=region, event=state["event"],
                                         hazard=state["hazard"], at=at),
                    className="chip-link" + (" is-current" if current else ""))


@callback(
    Output(ids.map, "figure"),
    Output(ids.legend, "children"),
    Output(ids.warned, "children"),
    Output(ids.warned_title, "children"),
    Output(ids.evacuation, "figure"),
    Output(ids.evacuated_total, "children"),
    Output(ids.time_label, "children"),
    Output(ids.detail, "children"),
    Input(ids.time, "value"),
    State(ids.county, "data"),
    State(ids.view, "data"),
    prevent_initial_call=True,
)
def show_moment(index, county, state):
    """Move the page to another moment in place; the map gets a Patch of its levels."""
    scope = viewer_scope()
    state = risk_state(state, county)
    now = moment(scope=scope, state=state, index=state_index(index, len(state["times"])))
    patch = Patch()
    values = view.map_values(now["frame"], hazard_names=hazard_names(scope))
    patch["data"][0]["z"] = values["z"]
    patch["data"][0]["text"] = values["text"]
    if state["region"] != PROVINCE:
        patch["data"][1]["textfont"]["color"] = values["label_colours"]
    label = view.time_label(now["at"])
    return (patch, now["legend"], now["warned"],
            f"红色、橙色风险县（市、区）及告知督办 · {label}", now["evacuation"],
            now["evacuated_total"], label,
            county_detail(scope=scope, state=state, adcode=county, at=now["at"]))


# The moment shown stays in the address (replaced, not pushed: see the module's docstring).
dash.clientside_callback(
    """(index, state) => {
        const at = state && state.times[index];
        if (!at) { return; }
        const url = new URL(window.location.href);
        url.searchParams.set("at", at.slice(0, 16));
        window.history.replaceState(window.history.state, "", url.pathname + url.search);
    }""",
    Input(ids.time, "value"),
    State(ids.view, "data"),
    prevent_initial_call=True,
)


@callback(
    Output(ids.nav, "href", allow_duplicate=True),
    Input(ids.map, "clickData"),
    State(ids.county, "data"),
    State(ids.view, "data"),
    State(ids.time, "value"),
    prevent_initial_call=True,
)
def pick_county(click, current, state, index):
    """A county clicked is a new address (its history and notices): Back undoes it."""
    state = risk_state(state, current)
    return county_href(charts.clicked_adcode(click), current=current, state=state,
                       index=state_index(index, len(state["times"])))


def county_href(picked: str | None, *, current: str | None, state: dict, index: int) -> str:
    if picked is None or picked == current:
        return no_update
    at = datetime.fromisoformat(state["times"][index]) if state["times"] else None
    return risk_href(region=state["region"], event=state["event"], hazard=state["hazard"],
                     at=at, county=picked)


@callback(
    Output(ids.time, "value"),
    Output(ids.ticker, "disabled"),
    Output(ids.play, "children"),
    Input(ids.play, "n_clicks"),
    Input(ids.ticker, "n_intervals"),
    State(ids.time, "value"),
    State(ids.time, "max"),
    State(ids.ticker, "disabled"),
    prevent_initial_call=True,
)
def play(_clicks, _ticks, index, last, paused):
    last = state_index(last, LARGEST_INDEX)
    return next_frame(ctx.triggered_id, index=state_index(index, last + 1), last=last,
                      paused=bool(paused))


#: More moments than an event could have (a slider's ``max`` beyond it is forged).
LARGEST_INDEX = 100_000


def next_frame(trigger: str | None, *, index: int, last: int, paused: bool):
    """Play/pause and the ticker: (slider index, ticker disabled, button text)."""
    if trigger == ids.play:
        if paused:  # start playing; from the beginning if at the end
            return (0 if index >= last else index), False, "⏸ 暂停"
        return no_update, True, "▶ 播放"
    if index >= last:
        return no_update, True, "▶ 播放"
    return index + 1, no_update, no_update


@callback(
    Output(ids.nav, "href", allow_duplicate=True),
    Input(ids.event, "value"),
    Input(ids.hazard, "value"),
    State(ids.view, "data"),
    State(ids.time, "value"),
    State(ids.county, "data"),
    prevent_initial_call=True,
)
def choose(event, hazard, state, index, county):
    state = risk_state(state, county)
    index = state_index(index, len(state["times"]))
    if event == state["event"] and hazard == state["hazard"]:
        return no_update
    if event != state["event"]:  # another event: its own peak moment
        return risk_href(region=state["region"], event=event, hazard=hazard, county=county)
    at = datetime.fromisoformat(state["times"][index]) if state["times"] else None
    return risk_href(region=state["region"], event=event, hazard=hazard, at=at, county=county)
