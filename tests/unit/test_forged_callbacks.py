"""Every Dash callback of every page, replayed with forged inputs, as each restricted demo
account: zero rows outside the account's scope, and a read-only account writes nothing.

The callbacks come from the app's own ``/_dash-dependencies``, so a callback added later is
covered without a new test. Their inputs are forged from real pages: the leader opens pages
about things outside the account's scope (another city, another department's problem, a task
the account does not see …); the values of those pages' components (stores, dropdowns,
clicks) are then posted by the restricted account to each callback, once per input as its
trigger. Each answer (downloads unpacked, Excel files unzipped) must name nothing outside the
scope: no region outside it (by name), no problem, task or indicator it may not see. The same
replays as the read-only wall screen (which sees the whole province) do show those names —
so the check can fail — and write nothing.
"""

from __future__ import annotations

import base64
import io
import json
import zipfile
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from tests.auth_tools import an_administrator, signed_in, signed_in_client

DASH_CALL = "/_dash-update-component"
PAGES_OUTPUT = ".._pages_content.children..._pages_store.data.."
READ_ONLY_WORDS = "只读账号"


# --- what each account must not see ---------------------------------------------------------

@dataclass
class Forbidden:
    """What an account must never be shown, and the leader's pages that hold it."""

    username: str
    markers: set[str] = field(default_factory=set)
    #: The leader's pages of things outside the scope: the account gets 无权限 there.
    addresses: list[str] = field(default_factory=list)
    #: More of the leader's pages whose component values are forged into the replays.
    also_forged: list[str] = field(default_factory=list)
    #: A region outside the scope (clicked on forged maps), or any region for a department.
    outside_region: str = "330200"


def forbidden_for(cockpit, username: str) -> Forbidden:
    """Computed from the store as the leader sees it, and the account's own scope."""
    from data import accounts, queries
    from data import problems_queries as pq
    from data import tasks_queries as tq
    from data.clock import today as today_of
    from data.scope import Scope

    everything = Scope()
    with signed_in(cockpit.server, "leader"):
        account = accounts.find_user(username)
        mine = account.scope
        today = today_of(scope=everything)
        names = queries.region_names(scope=everything)
        visible = set(queries.regions(scope=mine)["adcode"])
        parents = queries.region_parents(scope=everything)
        ancestors = {a for v in visible for a in queries.ancestors_of(parents, v)}
        problems = pq.all_problems(scope=everything, today=today)
        my_problems = set(pq.all_problems(scope=mine, today=today)["code"])
        tasks = tq.task_table(scope=everything, today=today)
        my_tasks = set(tq.task_table(scope=mine, today=today)["code"])
        indicators = queries.indicators(scope=everything)
        my_indicators = set(queries.indicators(scope=mine)["code"])

        found = Forbidden(username)
        if mine.regions is not None:  # names of regions neither visible nor above them
            found.markers |= {n for a, n in names.items() if a not in visible | ancestors}
        found.markers |= set(problems["code"]) - my_problems
        found.markers |= set(tasks["code"]) - my_tasks
        found.markers |= set(indicators.loc[~indicators["code"].isin(my_indicators), "name"])
        outside_problem = problems[~problems["code"].isin(my_problems)].iloc[0]
        outside_task = tasks[~tasks["code"].isin(my_tasks)].iloc[0]
        region = outside_problem["region_adcode"]
        city = next(a for a in [*queries.ancestors_of(parents, region), region]
                    if len(a) == 6 and a.endswith("00") and a != "330000")
        department = outside_problem["department_code"]
        found.outside_region = region
        found.addresses = [f"/problems/{int(outside_problem['id'])}",
                           f"/tasks/{outside_task['code']}"]
        if mine.regions is not None:  # another city: its cockpit, problems, tasks, risk map
            found.addresses += [
                f"/region/{city}", f"/region/{region}", f"/problems?region={city}",
                f"/tasks?region={city}", f"/risk?region={city}&event=1&county={region}",
                f"/screen/{city}?rotate=0", f"/meeting/{city}?slide=2"]
        if mine.departments is not None:  # another department's problems and tasks
            found.addresses += [f"/problems?dept={department}",
                                f"/tasks?dept={outside_task['lead_department']}"]
        if mine.regions is None:  # pages of every region, with their values forged too
            found.also_forged = [f"/region/{city}", f"/risk?region={city}&event=1"
                                 f"&county={region}", f"/problems?region={city}",
                                 f"/screen/{city}?rotate=0", f"/meeting/{city}?slide=2"]
        # The leader's briefing form (the province chosen) and list of briefings.
        found.also_forged.append("/briefings")
    # The horse-race board and the appeals of another city (无权限); the province's appeals
    # with their trend warnings (each a button that writes a problem) and the ledger.
    if mine.regions is not None:
        found.addresses += [f"/rankings?region={city}", f"/appeals?region={city}"]
    else:
        found.also_forged.append(f"/rankings?region={city}")
    found.also_forged += ["/appeals", "/apps?level=city"]
    return found


# --- talking to the callbacks ------------------------------------------------------------------

def outputs_of(output: str) -> list[dict] | dict:
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    found = [dict(zip(("id", "property"), part.rsplit(".", 1), strict=True)) for part in parts]
    for item in found:
        if item["id"].startswith("{"):
            item["id"] = json.loads(item["id"])
    return found if output.startswith("..") else found[0]


def matching(pattern: dict, prop: str, values: dict) -> list[dict]:
    """The page's components whose ids match a wildcard id (``ALL``), as Dash lists them."""
    found = []
    for entry in values:
        if not isinstance(entry, tuple) or entry[1] != prop or not entry[0].startswith("{"):
            continue
        key = entry[0]
        candidate = json.loads(key)
        if set(candidate) == set(pattern) and all(
                v == ["ALL"] or candidate[k] == v for k, v in pattern.items()):
            found.append({"id": candidate, "property": prop})
    return found


def call(client, callback: dict, values: dict, trigger: tuple[str, str] | None):
    def entry(item):
        if isinstance(item["id"], str) and item["id"].startswith("{"):  # a pattern's id
            item = {**item, "id": json.loads(item["id"])}
        if isinstance(item["id"], dict) and ["ALL"] in item["id"].values():
            # As the browser sends them: every component of the pattern on the page.
            return [{**m, "value": values.get((json.dumps(m["id"]), m["property"]))}
                    for m in matching(item["id"], item["property"], values)]
        return {"id": item["id"], "property": item["property"],
                "value": values.get((json.dumps(item["id"]), item["property"]))}

    def entries(items):
        return [entry(i) for i in items]

    outputs = outputs_of(callback["output"])
    if isinstance(outputs, list):
        outputs = [matching(o["id"], o["property"], values)
                   if isinstance(o["id"], dict) and ["ALL"] in o["id"].values() else o
                   for o in outputs]
    payload = {"output": callback["output"], "outputs": outputs,
               "inputs": entries(callback["inputs"]), "state": entries(callback["state"]),
               "changedPropIds": [f"{trigger[0]}.{trigger[1]}"] if trigger else []}
    return client.post(DASH_CALL, json=payload)


def walk(node, found: dict) -> None:
    """Every (id, prop) → value of the components in a layout."""
    if isinstance(node, list):
        for item in node:
            walk(item, found)
    elif isinstance(node, dict):
        if "props" in node and "type" in node:
            props = node["props"]
            if "id" in props:
                for prop, value in props.items():
                    found[(json.dumps(props["id"]), prop)] = value
            for value in props.values():
                walk(value, found)
        else:
            for value in node.values():
                walk(value, found)


def harvest(client, address: str) -> dict:
    """The component values of the page at ``address`` (as ``client`` sees it); the whole
    answer, as text, under the key ``"text"``."""
    parts = urlsplit(address)
    search = f"?{parts.query}" if parts.query else ""
    values = {(json.dumps("_pages_location"), "pathname"): parts.path,
              (json.dumps("_pages_location"), "search"): search}
    response = call(client, {"output": PAGES_OUTPUT, "state": [], "inputs": [
        {"id": "_pages_location", "property": "pathname"},
        {"id": "_pages_location", "property": "search"}]}, values,
        ("_pages_location", "pathname"))
    assert response.status_code == 200, (address, response.get_data(as_text=True)[:300])
    walk(response.get_json()["response"], values)
    values["text"] = json.dumps(response.get_json(), ensure_ascii=False)
    return values


def forge(values: dict, trigger: tuple[str, str], outside: str) -> dict:
    """The trigger clicked or chosen: a click on the map lands on a region outside the
    scope; a button is pressed."""
    forged = dict(values)
    key = (json.dumps(trigger[0]), trigger[1])
    if trigger[1] == "clickData":
        forged[key] = {"points": [{"location": outside, "customdata": [outside]}]}
    elif trigger[1] in ("n_clicks", "n_intervals"):
        forged[key] = (forged.get(key) or 0) + 1
    return forged


def text_of_answer(response) -> str:
    """The answer as text, with downloads decoded and Excel files unzipped."""
    if response.status_code == 204:
        return ""
    body = response.get_json()
    texts = [json.dumps(body, ensure_ascii=False)]

    def downloads(node):
        if isinstance(node, dict):
            if node.get("base64") and isinstance(node.get("content"), str):
                yield base64.b64decode(node["content"])
            for value in node.values():
                yield from downloads(value)
        elif isinstance(node, list):
            for value in node:
                yield from downloads(value)

    for data in downloads(body):
        if data[:2] == b"PK":
            with zipfile.ZipFile(io.BytesIO(data)) as book:
                texts += [book.read(n).decode("utf-8", "replace") for n in book.namelist()
                          if n.endswith(".xml")]
        else:
            texts.append(data.decode("utf-8-sig", "replace"))
    return "\n".join(texts)


def callbacks(client) -> list[dict]:
    seen, unique = set(), []
    for callback in client.get("/_dash-dependencies").get_json():
        if callback.get("clientside_function") or callback["output"] in seen:
            continue
        seen.add(callback["output"])
        unique.append(callback)
    return unique


def replays(client, forbidden: Forbidden, pages: list[dict]):
    """(callback, trigger, response) for every callback × page holding one of its inputs
    × each input as the trigger; the page callback itself with every address."""
    outside = forbidden.outside_region
    for callback in callbacks(client):
        ids = {json.dumps(i["id"]) for i in callback["inputs"] + callback["state"]}
        for values in pages:
            if not ids & {key[0] for key in values}:
                continue
            for item in callback["inputs"]:
                trigger = (item["id"], item["property"])
                yield callback, trigger, call(client, callback,
                                              forge(values, trigger, outside), trigger)


def store_counts(cockpit) -> dict[str, int]:
    from data.auth_schema import AccessToken, User
    from data.problems_schema import ProblemMove
    from data.store import read_connection
    from data.tasks_schema import TaskDirective, TaskDirectiveReply

    with cockpit.server.app_context(), read_connection() as conn:
        counts = {t.__tablename__: conn.execute(select(func.count()).select_from(t)
                                                ).scalar_one()
                  for t in (ProblemMove, TaskDirective, TaskDirectiveReply, User, AccessToken)}
        counts["active users"] = conn.execute(select(func.count()).select_from(User)
                                              .where(User.active)).scalar_one()
        counts["revoked tokens"] = conn.execute(select(func.count()).select_from(AccessToken)
                                                .where(AccessToken.revoked_at.is_not(None))
                                                ).scalar_one()
        return counts


# --- the tests ----------------------------------------------------------------------------------

def users_and_audit_pages(cockpit) -> list[dict]:
    """The administrators' 用户管理 (a user chosen) and 审计日志, whose forms the leader never
    sees."""
    admin = signed_in_client(cockpit.server, *an_administrator(cockpit.server))
    return [harvest(admin, a) for a in ("/admin?user=xihu", "/audit")]


@pytest.fixture(scope="module")
def leader_pages(cockpit):
    """For each restricted account: the leader's view of the pages outside its scope."""
    leader = signed_in_client(cockpit.server, "leader")
    # The administrators' pages (数据导入, the board's weights), whose forms the leader never
    # sees.
    admin = signed_in_client(cockpit.server, *an_administrator(cockpit.server))
    admin_pages = [harvest(admin, "/data"), harvest(admin, "/rankings")]
    found = {}
    admin_pages += users_and_audit_pages(cockpit)
    for username in ("hangzhou", "xihu", "dsj"):
        forbidden = forbidden_for(cockpit, username)
        found[username] = (forbidden, [harvest(leader, a) for a in
                                       forbidden.addresses + forbidden.also_forged]
                           + admin_pages)
    return found


@pytest.mark.parametrize("username", ["hangzhou", "xihu", "dsj"])
def test_no_callback_answers_with_anything_outside_the_scope(cockpit, leader_pages, username):
    forbidden, pages = leader_pages[username]
    assert len(forbidden.markers) > 20, forbidden.markers
    client = signed_in_client(cockpit.server, username)
    before = store_counts(cockpit)
    covered, leaks, failures = set(), [], []
    for callback, trigger, response in replays(client, forbidden, pages):
        covered.add(callback["output"])
        if response.status_code not in (200, 204):
            failures.append((callback["output"][:80], trigger, response.status_code))
            continue
        text = text_of_answer(response)
        shown = sorted(m for m in forbidden.markers if m in text)
        if shown:
            leaks.append((callback["output"][:80], trigger, shown[:5]))
    assert not failures, failures
    assert not leaks, leaks
    every = {c["output"] for c in callbacks(client)}
    assert covered == every, f"callbacks never replayed: {every - covered}"
    assert store_counts(cockpit) == before  # nothing outside the scope was written


@pytest.mark.parametrize("username", ["hangzhou", "xihu", "dsj"])
def test_addresses_outside_the_scope_get_no_permission(cockpit, leader_pages, username):
    forbidden, _ = leader_pages[username]
    client = signed_in_client(cockpit.server, username)
    for address in forbidden.addresses:
        text = harvest(client, address)["text"]
        assert "无权限" in text, address
        assert not [m for m in forbidden.markers if m in text], address


def test_the_wall_screen_sees_what_others_may_not_and_writes_nothing(cockpit, leader_pages):
    """The control: the same forged replays as the read-only wall screen (the whole
    province) do show the markers, and every write is refused."""
    client = signed_in_client_device(cockpit)
    before = store_counts(cockpit)
    shown, refused = set(), 0
    for username in ("hangzhou", "dsj"):
        forbidden, pages = leader_pages[username]
        for _callback, _trigger, response in replays(client, forbidden, pages):
            assert response.status_code in (200, 204)
            text = text_of_answer(response)
            shown |= {m for m in forbidden.markers if m in text}
            refused += READ_ONLY_WORDS in text
    assert len(shown) > 10, "the forged replays never reached any data"
    assert refused > 0, "no write was attempted"
    assert store_counts(cockpit) == before


def signed_in_client_device(cockpit):
    from data.accounts_demo import DEMO_SCREEN_TOKEN
    from tests.auth_tools import csrf_token, same_origin_client

    client = same_origin_client(cockpit.server)
    response = client.post("/login/device", data={
        "csrf_token": csrf_token(client, "/login/device"), "token": DEMO_SCREEN_TOKEN})
    assert response.status_code == 302
    return client


def test_every_page_answers_each_account_without_an_error(cockpit):
    """The pages a user reaches from the navigation, as every demo account."""
    for username in ("leader", "hangzhou", "xihu", "dsj", "admin"):
        client = signed_in_client(cockpit.server, username)
        for address in ("/", "/problems", "/tasks", "/risk"):
            text = harvest(client, address)["text"]
            assert "无法显示该页面" not in text, (username, address)

