"""Addresses a user can type (or a careless link can carry) get the page's Chinese message and a
4xx, never a blank page with a 500: a repeated parameter on every page (Dash hands it over as a
list), a query parameter named like a variable of the path, a time with a zone on /risk.

Pages are built through the pages' own router callback (as the browser asks for them) and the
address's HTTP status is read with a plain GET.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.unit.test_forged_callbacks import harvest

#: One address of every page (each with a parameter it reads), and that parameter.
PAGES = [
    ("/", "indicator"), ("/region/330100", "indicator"), ("/region/330100", "period"),
    ("/risk", "region"), ("/risk", "at"), ("/problems", "list"), ("/problems/1", "x"),
    ("/tasks", "group"), ("/tasks/ZD2026-001", "x"),
    ("/rankings", "period"), ("/appeals", "category"), ("/apps", "system"),
    ("/briefings", "region"), ("/screen", "rotate"), ("/screen/330100", "indicator"),
    ("/meeting", "slide"), ("/meeting/330100", "period"),
]


@pytest.mark.parametrize(("path", "param"), PAGES)
def test_a_repeated_parameter_gets_the_message_and_404(client, path, param):
    address = f"{path}?{param}=a&{param}=b"
    text = harvest(client, address)["text"]  # asserts the router answered 200
    assert f"参数“{param}”只能出现一次" in text, address
    assert client.get(address).status_code == 404, address


def test_a_query_parameter_never_replaces_a_variable_of_the_path(client):
    """``/region/330100?adcode=330200`` is Hangzhou's page (Dash would show Ningbo's), and
    ``/problems/1?problem_id=2`` is problem 1 (Dash would show problem 2)."""
    region = harvest(client, "/region/330100?adcode=330200")
    assert region[('"region-view"', "data")]["adcode"] == "330100"
    for address in ("/problems/1?problem_id=2", "/problems/1?problem_id=2&problem_id=3",
                    "/problems/1"):
        text = harvest(client, address)["text"]
        assert '"data-problem": "1"' in text and '"data-problem": "2"' not in text, address
        assert client.get(address).status_code == 200


def test_a_time_with_a_zone_is_the_same_moment_in_china_time(request_context):
    from data.scope import viewer_scope
    from pages import risk

    scope = viewer_scope()
    plain = risk.resolve(scope=scope, region=None, event=None, hazard=None, at=None,
                         county=None)
    assert len(plain["times"]) > 2
    from datetime import datetime

    k = len(plain["times"]) // 2
    moment = datetime.fromisoformat(plain["times"][k])
    utc = moment - timedelta(hours=8)
    for at in (f"{moment:%Y-%m-%dT%H:%M}", f"{moment:%Y-%m-%dT%H:%M}+08:00",
               f"{utc:%Y-%m-%dT%H:%M}Z", f"{utc:%Y-%m-%dT%H:%M}+00:00"):
        found = risk.resolve(scope=scope, region=None, event=str(plain["event"]), hazard=None,
                             at=at, county=None)
        assert found["index"] == k, at
    # An hour earlier in UTC is an hour earlier in China: the moment before, not the same one.
    earlier = risk.resolve(scope=scope, region=None, event=str(plain["event"]), hazard=None,
                           at=f"{utc - timedelta(minutes=1):%Y-%m-%dT%H:%M}Z", county=None)
    assert earlier["index"] == k - 1


@pytest.mark.parametrize("at", ["2021-07-25T12:00Z", "2021-07-25T12:00%2B08:00",
                                "2021-07-25T12:00-05:00", "not-a-time"])
def test_risk_addresses_with_zoned_or_bad_times_answer_without_an_error(client, at):
    address = f"/risk?at={at}"
    harvest(client, address)  # the router answered 200
    assert client.get(address).status_code in (200, 404)
