"""Addresses of the problem pages (used by the pages, the cockpit panel and other topics)."""

from __future__ import annotations

from urllib.parse import urlencode

from data.problems_queries import ProblemFilter
from data.reference import PROVINCE

#: URL parameter → :class:`ProblemFilter` field.
PARAMS = {"region": "region", "list": "list_code", "dept": "department",
          "category": "category", "severity": "severity", "stage": "stage", "light": "light",
          "from": "found_from", "to": "found_to"}


def problems_href(filters: ProblemFilter) -> str:
    """The URL of a view of ``/problems`` (defaults left out)."""
    fields = {field: param for param, field in PARAMS.items()}
    query = {fields[k]: v for k, v in vars(filters).items()
             if v and not (k == "region" and v == PROVINCE)}
    ordered = {p: query[p] for p in PARAMS if p in query}
    return f"/problems?{urlencode(ordered)}" if ordered else "/problems"


def problem_href(problem_id: int) -> str:
    return f"/problems/{int(problem_id)}"
