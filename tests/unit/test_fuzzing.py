"""Bad input from a careless user or an attacker gets a 4xx or a Chinese message, never a 500 or
a traceback:

- every callback of the app (from its own ``/_dash-dependencies``), each input and state in
  turn replaced by a value of a wrong type, a forged page state, a huge number;
- callback requests no page could send: fields missing, an unknown output, inputs the callback
  does not declare, a body that is not JSON or not UTF-8;
- every URL parameter of every page (hypothesis: text of every kind, repeated, very long);
- the push API, from its own OpenAPI description (hypothesis: rows with values of every type,
  unknown and missing columns, bodies that are not what the description says).

Bounded: a fixed set of wrong values per callback input, and a fixed number of derandomized
examples per page and per kind.
"""

from __future__ import annotations

import json
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.auth_tools import an_administrator, signed_in_client
from tests.unit.test_forged_callbacks import (
    DASH_CALL,
    call,
    callbacks,
    forge,
    harvest,
)

#: The values a forged input or state takes in turn (a page's own values are the rest).
WRONG = [None, -1, 2**60, "x", [1, "a"], {"a": 1}, {"points": [None]}]
LEADER_PAGES = ["/", "/region/330100", "/risk?event=1", "/problems", "/problems/1", "/tasks",
                "/tasks/ZD2026-001", "/rankings", "/appeals", "/apps", "/briefings",
                "/screen?rotate=0", "/meeting?slide=2"]
ADMIN_PAGES = ["/data", "/admin?user=xihu", "/audit"]
SECRETS = ("Traceback", "File \"/", "site-packages", "sqlalchemy", "instance_dir")


def no_secrets(response) -> None:
    body = response.get_data(as_text=True)
    assert not [s for s in SECRETS if s in body], body[:500]


@pytest.fixture(scope="module")
def admin_pages(cockpit):
    admin = signed_in_client(cockpit.server, *an_administrator(cockpit.server))
    return admin, [harvest(admin, a) for a in LEADER_PAGES + ADMIN_PAGES]


def test_every_callback_answers_wrong_values_with_a_message_or_4xx(admin_pages):
    client, pages = admin_pages
    failures, calls = [], 0
    for callback in callbacks(client):
        items = callback["inputs"] + callback["state"]
        wanted = {json.dumps(i["id"]) for i in items}
        values = next((v for v in pages if wanted & {k[0] for k in v}), {})
        trigger = (callback["inputs"][0]["id"], callback["inputs"][0]["property"])
        for target in items:
            key = (json.dumps(target["id"]), target["property"])
            for wrong in WRONG:
                forged = dict(forge(values, trigger, "330200"))
                forged[key] = wrong
                response = call(client, callback, forged, trigger)
                calls += 1
                if response.status_code >= 500:
                    failures.append((callback["output"][:70], target["property"],
                                     str(target["id"])[:40], repr(wrong)))
                else:
                    no_secrets(response)
    assert calls > 500
    assert not failures, failures[:20]


def malformed_bodies(callback: dict) -> list[tuple[str, bytes | str, str]]:
    good = {"output": callback["output"], "outputs": {"id": "x", "property": "children"},
            "inputs": [{**i, "value": None} for i in callback["inputs"]],
            "state": [{**s, "value": None} for s in callback["state"]],
            "changedPropIds": []}
    bodies = [("not JSON", b"{not json", "application/json"),
              ("not UTF-8", b'{"output": "\xff\xfe"}', "application/json"),
              ("a list", b"[]", "application/json"), ("a number", b"1", "application/json"),
              ("empty", b"", "application/json"),
              ("form", b"output=x", "application/x-www-form-urlencoded")]
    for missing in ("output", "outputs", "inputs"):
        bodies.append((f"no {missing}", json.dumps(
            {k: v for k, v in good.items() if k != missing}), "application/json"))
    bodies += [
        ("unknown output", json.dumps({**good, "output": "nothing.children"}),
         "application/json"),
        ("an input too many", json.dumps({**good, "inputs": good["inputs"] + [
            {"id": "app-url", "property": "href", "value": "/"}]}), "application/json"),
        ("another input", json.dumps({**good, "inputs": [
            {"id": "x-y", "property": i["property"], "value": None} for i in good["inputs"]]}),
         "application/json"),
        ("inputs not a list", json.dumps({**good, "inputs": {"a": 1}}), "application/json"),
        ("changed not strings", json.dumps({**good, "changedPropIds": [1]}),
         "application/json"),
        ("NaN", json.dumps({**good, "inputs": [{**i, "value": float("nan")}
                                               for i in good["inputs"]]}), "application/json"),
    ]
    return bodies


def test_callback_requests_no_page_could_send_are_refused_with_400(cockpit, admin_pages):
    client, _ = admin_pages
    for callback in callbacks(client)[:12]:
        for name, body, content_type in malformed_bodies(callback):
            response = client.post(DASH_CALL, data=body, content_type=content_type)
            assert 400 <= response.status_code < 500, (callback["output"][:60], name,
                                                       response.status_code)
            no_secrets(response)
            if response.is_json:
                assert "请求格式不正确" in response.get_json()["error"], name


# --- every URL parameter of every page ----------------------------------------------------------

#: Each page's parameters (the ones its layout reads), and one of its addresses.
PAGE_PARAMS = {
    "/": ["indicator", "period"], "/region/330100": ["indicator", "period"],
    "/risk": ["region", "event", "hazard", "at", "county"],
    "/problems": ["region", "list", "dept", "category", "severity", "stage", "light", "from",
                  "to"],
    "/problems/1": ["problem_id"], "/tasks": ["group", "system", "dept", "region", "status", "due"],
    "/tasks/ZD2026-001": ["code"], "/rankings": ["region", "of", "period", "focus", "week"],
    "/appeals": ["region", "category", "weeks"], "/apps": ["system", "level", "dept", "app"],
    "/briefings": ["region", "kind", "window"],
    "/screen": ["rotate", "refresh", "reload", "idle", "panels", "indicator", "period"],
    "/meeting": ["slide", "indicator", "period"],
    "/data": ["kind", "batch"], "/admin": ["user"],
    "/audit": ["user", "action", "outcome", "since", "until", "target"],
}
VALUES = st.one_of(
    st.sampled_from(["", "0", "-1", "330100", "330106", "999999", "2026-10", "2026-13",
                     "2021-07-25T12:00Z", "2021-07-25T12:00+08:00", "9" * 400, "NaN", "inf",
                     "1e309", "%00", "../../etc/passwd", "<script>alert(1)</script>",
                     "' OR 1=1 --", "西湖区", "ALL", "red", "overdue", "city", "ZD2026-001"]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60),
    st.text(alphabet=string.digits + "-:T", max_size=20),
)


def query_of(pairs: list[tuple[str, str]]) -> str:
    from urllib.parse import urlencode

    return urlencode(pairs)


@pytest.mark.parametrize("path", list(PAGE_PARAMS))
def test_every_url_parameter_of_every_page_gets_a_page_or_a_message(cockpit, admin_pages,
                                                                     path):
    client, _ = admin_pages
    params = PAGE_PARAMS[path]

    @settings(max_examples=6, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(st.lists(st.tuples(st.sampled_from(params), VALUES), min_size=1, max_size=4))
    def one_address(pairs):
        address = f"{path}?{query_of(pairs)}"
        harvest(client, address)  # the router answered 200 (a page or its message)
        answer = client.get(address)
        assert answer.status_code in (200, 403, 404), (address, answer.status_code)
        no_secrets(answer)

    one_address()


# --- the push API, from its OpenAPI description --------------------------------------------------

@pytest.fixture(scope="module")
def api_on_a_store_of_its_own(cockpit, tmp_path_factory):
    """The app's store swapped for a fresh one (reference data only) for the pushes, which may
    write: the other tests' demo store is left as it was."""
    from data import accounts
    from data.migrate import upgrade_to_head
    from data.reference import load_reference
    from data.store import EXTENSION, cache, make_engine, write_transaction

    url = f"sqlite:///{tmp_path_factory.mktemp('api-fuzz') / 'store.sqlite3'}"
    extensions = cockpit.server.extensions
    working = extensions[EXTENSION]
    extensions[EXTENSION] = make_engine(url)
    try:
        with cockpit.server.app_context():
            upgrade_to_head(extensions[EXTENSION])
            with write_transaction() as conn:
                load_reference(conn)
            cache.clear()
            _, token = accounts.create_token(kind="api", name="模糊测试", by=None)
        yield cockpit.server.test_client(), token
    finally:
        extensions[EXTENSION].dispose()
        extensions[EXTENSION] = working
        with cockpit.server.app_context():
            cache.clear()


ANY_JSON = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
              st.text(max_size=30)),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.text(max_size=10), inner, max_size=3)),
    max_leaves=8)


def rows_for(schema: dict) -> st.SearchStrategy:
    """Rows as the description says (each column a value of a type it allows, or of any type),
    with columns left out and unknown ones added."""
    columns = schema["properties"]
    value = st.one_of(ANY_JSON, st.sampled_from(
        [c["examples"][0] for c in columns.values() if c.get("examples")] or [None]))
    row = st.fixed_dictionaries({}, optional={name: value for name in columns})
    extra = st.dictionaries(st.text(max_size=8), ANY_JSON, max_size=2)
    return st.lists(st.builds(lambda r, e: {**e, **r}, row, extra), min_size=0, max_size=4)


def fuzz_pushes(client, path: str, headers: dict, row_schema: dict, documented: set[int],
                seen: set[int]) -> None:
    @settings(max_examples=15, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(st.one_of(rows_for(row_schema).map(lambda rows: {"rows": rows}),
                     rows_for(row_schema), ANY_JSON))
    def one_push(body):
        answer = client.post(path, data=json.dumps(body), headers=headers,
                             content_type="application/json")
        seen.add(answer.status_code)
        assert answer.status_code in documented, (path, body, answer.status_code)
        no_secrets(answer)

    one_push()


def test_the_push_api_answers_every_fuzzed_push_without_an_error(api_on_a_store_of_its_own):
    from api.push import openapi_document

    client, token = api_on_a_store_of_its_own
    document = openapi_document()
    schemas = document["components"]["schemas"]
    headers = {"Authorization": f"Bearer {token}"}
    seen: set[int] = set()
    for path, operations in document["paths"].items():
        if "post" not in operations:
            continue
        ref = operations["post"]["requestBody"]["content"]["application/json"]["schema"][
            "properties"]["rows"]["items"]["$ref"]
        row_schema = schemas[ref.rsplit("/", 1)[1]]
        documented = {int(s) for s in operations["post"]["responses"]}

        fuzz_pushes(client, path, headers, row_schema, documented, seen)
        for raw, content_type in ((b"\xff\xfe{", "application/json"), (b"{", "application/json"),
                                  (b"rows=1", "text/plain")):
            answer = client.post(path, data=raw, headers=headers, content_type=content_type)
            assert answer.status_code in documented and answer.status_code < 500, (path, raw)
            no_secrets(answer)
    assert {200, 422} <= seen or {400, 422} <= seen, seen
