"""Addresses of the pages, built in one place (no page imports another page for a link).

Every function returns a path with its query string, leaving defaults out so that one view
has one address. :class:`BadAddress` is what a page raises when a part of its address names
nothing that exists; the page shows its message (in Chinese) instead of a traceback.
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from urllib.parse import urlencode

from data.problems_queries import ProblemFilter
from data.reference import PROVINCE
from data.tasks_queries import TaskFilter

OVERALL_HAZARD = "ALL"  # the risk map's "all hazards" (data.risk_rules.OVERALL)


class BadAddress(ValueError):
    """A part of the URL names nothing that exists; the message is shown to the user."""


# --- reading an address: every page's parameters pass here ------------------------------------

#: The zone the store's times are written in (China Standard Time, no daylight saving).
CHINA_TIME = timezone(timedelta(hours=8), "CST")
#: The names a path template gives its variables (``/region/<adcode>`` → ``adcode``).
PATH_VARIABLE = re.compile(r"<([^<>]+)>")


def one_value(name: str, raw: object) -> object:
    """A parameter of an address, as a page reads it: a repeated parameter
    (``?indicator=a&indicator=b``, which Dash hands over as a list) is refused with a message;
    anything else is returned as it is (``None`` when absent)."""
    if raw is not None and not isinstance(raw, str | int):
        raise BadAddress(f"参数“{name}”只能出现一次。")
    return raw


def address_params(params: Mapping[str, object], *, path_template: str | None = None,
                   path_variables: Mapping[str, str] | None = None) -> dict[str, object]:
    """The parameters a page's layout is given, checked: each at most once
    (:func:`one_value`), and the path's own variables (``/problems/<problem_id>``) never
    replaced by a query parameter of the same name (``?problem_id=2``)."""
    params = dict(params)
    if path_template and path_variables is not None:
        for name in PATH_VARIABLE.findall(path_template):
            if name in path_variables:
                params[name] = path_variables[name]
    return {name: one_value(name, value) for name, value in params.items()}


#: What a page says when the state it keeps in the browser is not one it made (forged, or
#: left by an older version of the app in a page open since).
STALE_STATE = "页面状态无效（可能已过期），请刷新页面后重试。"
T = typing.TypeVar("T")


def _of_type(value: object, hint: object) -> bool:
    if hint is typing.Any:
        return True
    if hint is type(None):
        return value is None
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return any(_of_type(value, h) for h in typing.get_args(hint))
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if isinstance(hint, type):
        return isinstance(value, hint)
    return True  # a hint this check does not read: the page checks it


def page_state(kind: type[T], data: object) -> T:
    """A page's state as the page keeps it in the browser (a ``dcc.Store`` of the fields of the
    dataclass ``kind``), made again: anything else — not a dict, a missing or unknown field, a
    field of the wrong type — raises :class:`BadAddress` (:data:`STALE_STATE`)."""
    if not isinstance(data, dict):
        raise BadAddress(STALE_STATE)
    hints = typing.get_type_hints(kind)
    fields = {f.name: f for f in dataclasses.fields(kind)}  # type: ignore[arg-type]
    required = {n for n, f in fields.items() if f.default is dataclasses.MISSING
                and f.default_factory is dataclasses.MISSING}
    if set(data) - set(fields) or required - set(data):
        raise BadAddress(STALE_STATE)
    if not all(_of_type(v, hints.get(k, typing.Any)) for k, v in data.items()):
        raise BadAddress(STALE_STATE)
    return kind(**data)


def state_dict(data: object, fields: Mapping[str, object]) -> dict:
    """A page state kept as a plain dict: ``fields`` maps each key it must have to the type
    its value must be (``str``, ``int | None``, ``list`` …); anything else raises
    :class:`BadAddress` (:data:`STALE_STATE`)."""
    if not isinstance(data, dict) or not set(fields) <= set(data):
        raise BadAddress(STALE_STATE)
    if not all(_of_type(data[k], hint) for k, hint in fields.items()):
        raise BadAddress(STALE_STATE)
    return data


def state_index(raw: object, size: int) -> int:
    """A position in a list of ``size`` items as a control sends it (a slider's value):
    ``None`` is the first; anything not in the list raises :class:`BadAddress`."""
    if raw is None:
        return 0
    if isinstance(raw, bool) or not isinstance(raw, int | float) or raw != int(raw) \
            or not 0 <= int(raw) < max(size, 1):
        raise BadAddress(STALE_STATE)
    return int(raw)


def texts_or_none(*values: object) -> None:
    """Values of a form's text fields and dropdowns: each a string or nothing (else
    :class:`BadAddress`, :data:`STALE_STATE`)."""
    if not all(isinstance(v, str | None) for v in values):
        raise BadAddress(STALE_STATE)


def whole_number(value: object) -> bool:
    """A dropdown's value that names a row by number (``12`` or ``"12"``)."""
    if isinstance(value, bool):
        return False
    return (isinstance(value, int) and 0 <= value < 2**53) or (
        isinstance(value, str) and value.isdigit() and len(value) < 16)


def address_time(raw: str) -> datetime:
    """A moment written in an address (``2021-07-25T12:00``, or with a zone: ``…Z``,
    ``…+08:00``) as the store's times are kept: China Standard Time, without a zone.
    Raises ``ValueError`` for text that is no time."""
    moment = datetime.fromisoformat(raw)
    if moment.tzinfo is not None:
        moment = moment.astimezone(CHINA_TIME).replace(tzinfo=None)
    return moment


def _with_query(path: str, params: Mapping[str, object]) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{path}?{query}" if query else path


# --- the region cockpit --------------------------------------------------------------------

def region_href(adcode: str, *, indicator: str | None = None, period: str | None = None) -> str:
    """``/`` for the province, ``/region/<adcode>`` below it."""
    path = "/" if adcode == PROVINCE else f"/region/{adcode}"
    return _with_query(path, {"indicator": indicator, "period": period})


# --- the large screen and meeting mode ---------------------------------------------------------

def screen_href(adcode: str, settings: Mapping[str, object] | None = None) -> str:
    """``/screen`` (the province) or ``/screen/<adcode>``, keeping the screen's settings
    (``rotate``, ``refresh``, ``reload``, ``idle``, ``panels``, ``indicator``, ``period``)."""
    path = "/screen" if adcode == PROVINCE else f"/screen/{adcode}"
    return _with_query(path, dict(settings or {}))


def meeting_href(adcode: str, *, slide: int = 1,
                 settings: Mapping[str, object] | None = None) -> str:
    """``/meeting`` or ``/meeting/<adcode>`` at slide ``slide`` (1 = the first)."""
    path = "/meeting" if adcode == PROVINCE else f"/meeting/{adcode}"
    return _with_query(path, {**dict(settings or {}), "slide": slide if slide != 1 else None})


# --- topics ------------------------------------------------------------------------------------

#: ``/problems`` URL parameter → :class:`ProblemFilter` field.
PROBLEM_PARAMS = {"region": "region", "list": "list_code", "dept": "department",
                  "category": "category", "severity": "severity", "stage": "stage",
                  "light": "light", "from": "found_from", "to": "found_to"}


def problems_href(filters: ProblemFilter) -> str:
    """The URL of a view of ``/problems`` (defaults left out)."""
    fields = {field: param for param, field in PROBLEM_PARAMS.items()}
    query = {fields[k]: v for k, v in vars(filters).items()
             if v and not (k == "region" and v == PROVINCE)}
    return _with_query("/problems", {p: query[p] for p in PROBLEM_PARAMS if p in query})


def problem_href(problem_id: int) -> str:
    return f"/problems/{int(problem_id)}"


def task_href(code: str) -> str:
    return f"/tasks/{code}"


#: ``/tasks`` URL parameter → :class:`TaskFilter` field.
TASK_PARAMS = {"group": "group", "system": "system", "dept": "department", "region": "region",
               "status": "status", "due": "due_within"}


def tasks_href(filters: TaskFilter | None = None) -> str:
    """The URL of a view of ``/tasks`` (defaults, and the province, left out)."""
    filters = filters or TaskFilter()
    fields = {field: param for param, field in TASK_PARAMS.items()}
    query = {fields[k]: v for k, v in vars(filters).items()
             if v not in (None, "") and not (k == "region" and v == PROVINCE)}
    return _with_query("/tasks", {p: query[p] for p in TASK_PARAMS if p in query})


def risk_href(*, region: str = PROVINCE, event: int | None = None,
              hazard: str = OVERALL_HAZARD, at: datetime | None = None,
              county: str | None = None) -> str:
    """``/risk`` for a region (the province or a city), an event, a hazard, a moment."""
    return _with_query("/risk", {
        "region": region if region != PROVINCE else None, "event": event,
        "hazard": hazard if hazard != OVERALL_HAZARD else None,
        "at": f"{at:%Y-%m-%dT%H:%M}" if at else None, "county": county})


# --- the horse-race board ------------------------------------------------------------------------

#: ``/rankings`` URL parameters: the region whose regions are ranked (the province or a city),
#: the level ranked (``city`` or ``county``), the month, the region whose rank over time is
#: shown and the week of the 晾晒 (``2026-W47``).
RANKING_PARAMS = ("region", "of", "period", "focus", "week")


def rankings_href(*, region: str = PROVINCE, of: str | None = None, period: str | None = None,
                  focus: str | None = None, week: str | None = None) -> str:
    """``/rankings`` for a board (defaults left out: the province's cities)."""
    default_level = "city" if region == PROVINCE else "county"
    return _with_query("/rankings", {
        "region": region if region != PROVINCE else None,
        "of": of if of and of != default_level else None,
        "period": period, "focus": focus, "week": week})


# --- the public's appeals ------------------------------------------------------------------------

#: ``/appeals`` URL parameters: the region (its subtree), a category, the weeks shown.
APPEAL_PARAMS = ("region", "category", "weeks")


def appeals_href(region: str = PROVINCE, *, category: str | None = None,
                 weeks: int | None = None) -> str:
    """``/appeals`` for a region, category and number of weeks (defaults left out)."""
    return _with_query("/appeals", {"region": region if region != PROVINCE else None,
                                    "category": category,
                                    "weeks": weeks if weeks not in (None, 13) else None})


# --- the ledger of major applications ------------------------------------------------------------

#: ``/apps`` URL parameters: the ledger's filters and the application whose adoption is shown.
APP_PARAMS = ("system", "level", "dept", "app")


def apps_href(choice: object) -> str:
    """``/apps`` for an :class:`data.apps_queries.AppFilter` (empty parts left out)."""
    return _with_query("/apps", {p: getattr(choice, p) for p in APP_PARAMS})
