"""The database goes away while the cockpit is in use, and comes back.

The app's store is pointed, for this module, at a PostgreSQL database of its own reached
through a TCP proxy of the test's own (``tests/faults.py``); the test cuts the proxy (every
connection dropped, new ones refused) and restores it. The machine's PostgreSQL keeps running.

- While it is cut, every page and every callback answers with the Chinese banner
  (数据源暂不可用), never a 500: the session cannot be checked, so the answer comes from the
  guard (a 503 page, or 503 JSON that the browser shows in the notice bar).
- The store can also fail after the session was checked (a connection lost in the middle of a
  request): every callback then says so in the notice bar and every page shows the message —
  the tasks filter, the tasks export, the risk map's time slider and the problems export among
  them.
- When the proxy is restored, the same browser session goes on, with no restart.
"""

from __future__ import annotations

import json

import pytest

from tests.auth_tools import an_administrator, signed_in_client
from tests.faults import TcpProxy
from tests.unit.test_forged_callbacks import call, callbacks, forge, harvest

BANNER = "数据源暂不可用"
#: The leader's pages (each holds some callback's inputs) and the administrator's.
ADDRESSES = ["/", "/region/330100", "/risk", "/risk?event=1", "/problems", "/problems/1",
             "/tasks", "/tasks/ZD2026-001", "/rankings", "/appeals", "/apps?level=city",
             "/briefings", "/screen?rotate=0", "/meeting?slide=2"]
ADMIN_ADDRESSES = ["/data", "/admin?user=xihu", "/audit"]
#: Callbacks the probe of the issue found answering 500 (or nothing) with the store down: the
#: tasks export, the problems export, the risk map's time slider (the tasks filter only
#: builds an address now, without the store).
KNOWN_OFFENDERS = ("tasks-download", "problems-download", "risk-map.figure")


@pytest.fixture(scope="module")
def cut_store(cockpit, postgres):
    """The cockpit's store on a seeded PostgreSQL database behind a proxy the test cuts."""
    from data.migrate import upgrade_to_head
    from data.reference import load_reference
    from data.seeding import seed_all
    from data.store import EXTENSION, cache, engine, make_engine, write_transaction
    from tests.conftest import make_store_app

    url = postgres.create()
    seeder = make_store_app(url)
    with seeder.app_context():
        upgrade_to_head(engine())
        with write_transaction() as conn:
            load_reference(conn)
            seed_all(conn)
        engine().dispose()
    extensions = cockpit.server.extensions
    working = extensions[EXTENSION]
    with TcpProxy(("127.0.0.1", 5432)) as proxy:
        extensions[EXTENSION] = make_engine(url.replace(":5432/", f":{proxy.port}/"))
        with cockpit.server.app_context():
            cache.clear()  # results of the SQLite store are not this store's
        try:
            yield proxy
        finally:
            extensions[EXTENSION].dispose()
            extensions[EXTENSION] = working
            with cockpit.server.app_context():
                cache.clear()


@pytest.fixture(scope="module")
def pages_while_up(cockpit, cut_store):
    """Clients signed in while the store was up, and the component values of their pages."""
    leader = signed_in_client(cockpit.server, "leader")
    admin = signed_in_client(cockpit.server, *an_administrator(cockpit.server))
    pages = [(leader, harvest(leader, a)) for a in ADDRESSES]
    pages += [(admin, harvest(admin, a)) for a in ADMIN_ADDRESSES]
    for _, values in pages:
        assert BANNER not in values["text"]
    return leader, admin, (pages, callbacks(leader) + callbacks(admin))


def replays(client, known):
    """(callback, trigger, answer) for every callback of the app × each page holding one of
    its inputs × each input as the trigger (as tests/unit/test_forged_callbacks.py)."""
    pages, every = known
    for callback in {c["output"]: c for c in every}.values():
        ids = {json.dumps(i["id"]) for i in callback["inputs"] + callback["state"]}
        for owner, values in pages:
            if owner is not client or not ids & {key[0] for key in values}:
                continue
            for item in callback["inputs"]:
                trigger = (item["id"], item["property"])
                yield callback, trigger, call(client, callback,
                                              forge(values, trigger, "330200"), trigger)


def test_a_cut_database_gets_the_banner_everywhere_and_the_session_survives(
        cockpit, cut_store, pages_while_up):
    leader, admin, pages = pages_while_up
    cut_store.cut()
    try:
        assert cockpit.server.test_client().get("/healthz").status_code == 503
        for client, address in [(leader, a) for a in ADDRESSES] + [
                (admin, a) for a in ADMIN_ADDRESSES]:
            page = client.get(address)
            assert page.status_code == 503, address
            assert BANNER in page.get_data(as_text=True), address
        answers = 0
        for client in (leader, admin):
            for callback, trigger, response in replays(client, pages):
                answers += 1
                assert response.status_code == 503, (callback["output"][:80], trigger)
                assert BANNER in response.get_json()["error"]
        assert answers > 50
    finally:
        cut_store.restore()
    # Back by itself: the same sessions, no restart, no banner.
    for client, address in ((leader, "/"), (leader, "/tasks"), (admin, "/audit")):
        assert client.get(address).status_code == 200, address
        assert BANNER not in harvest(client, address)["text"], address
    assert cockpit.server.test_client().get("/healthz").status_code == 200


def test_a_store_lost_after_the_session_check_gets_the_message_from_every_callback(
        cockpit, cut_store, pages_while_up, monkeypatch):
    """The sessions are taken as checked (as if the connection was lost just after); every
    callback and page then meets the store down inside the app itself."""
    import auth
    from data import accounts

    leader, admin, pages = pages_while_up
    checked = {}

    def remembered(secret, **options):
        if secret not in checked:
            checked[secret] = accounts.session_account(secret, **options)
        return checked[secret]

    monkeypatch.setattr(auth, "session_account", remembered)
    for client in (leader, admin):
        assert client.get("/").status_code == 200  # the session is remembered
    cut_store.cut()
    try:
        failures, told = [], set()
        for client in (leader, admin):
            for callback, trigger, response in replays(client, pages):
                name = callback["output"][:80]
                if response.status_code not in (200, 204):
                    failures.append((name, trigger, response.status_code))
                elif response.status_code == 200 and BANNER in json.dumps(
                        response.get_json(), ensure_ascii=False):
                    told.add(name)
        assert not failures, failures
        for offender in KNOWN_OFFENDERS:
            assert any(offender in name for name in told), (offender, sorted(told))
        for address in ADDRESSES:
            assert BANNER in harvest(leader, address)["text"], address
    finally:
        cut_store.restore()
    assert BANNER not in harvest(leader, "/tasks")["text"]

