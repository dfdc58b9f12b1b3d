"""The push API over real HTTP: gunicorn serving the app on SQLite and on PostgreSQL, tokens
made and revoked in the store (as ``flask create-token`` does), rows checked as a file's are."""

from __future__ import annotations

import json
import signal
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from data.schema import IndicatorValue
from tests.browser.server import Server, start_gunicorn, wait_until_healthy
from tests.conftest import PostgresDatabases, make_store_app

BACKENDS = ["sqlite", "postgresql"]
GOOD = [{"indicator_code": "DG_ZLB_DAU", "adcode": "330106", "period": "2026-10", "value": 12.5},
        {"indicator_code": "DG_ONE_NET", "adcode": "西湖区", "period": "2026-10", "value": "99.1"}]


@dataclass
class Api:
    server: Server
    instance: Path
    database_url: str
    token: str
    #: The same store, in this process: tokens and users are made here as the commands do.
    admin: object = None

    def store_url(self) -> str:
        return self.database_url or f"sqlite:///{self.instance / 'cockpit.sqlite3'}"

    def token_for(self, name: str, username: str | None = None):
        from data import accounts

        with self.admin.app_context():
            info, secret = accounts.create_token(kind="api", name=name, by=None,
                                                 username=username)
        return info, secret

    def count(self) -> int:
        engine = create_engine(self.store_url())
        with engine.connect() as conn:
            found = conn.execute(select(func.count()).select_from(IndicatorValue)).scalar_one()
        engine.dispose()
        return found



def call(url: str, *, body: bytes | None = None, token: str | None = None,
         content_type: str = "application/json", method: str = "POST") -> tuple[int, dict, dict]:
    request = urllib.request.Request(url, data=body, method=method)
    if body is not None:
        request.add_header("Content-Type", content_type)
    if token is not None:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - local
            return response.status, json.loads(response.read()), dict(response.headers)
    except urllib.error.HTTPError as error:
        payload = error.read()
        headers = dict(error.headers)
        error.close()
        return error.code, json.loads(payload) if payload else {}, headers


def push(api: Api, kind: str, rows, *, token: str | None = "default") -> tuple[int, dict]:
    status, payload, _ = call(f"{api.server.url}/api/v1/{kind}",
                              body=json.dumps({"rows": rows}).encode(),
                              token=api.token if token == "default" else token)
    return status, payload


@pytest.fixture(scope="module", params=BACKENDS)
def api(request, tmp_path_factory) -> Iterator[Api]:
    from data.migrate import upgrade_to_head
    from data.reference import load_reference
    from data.store import engine, write_transaction

    instance = tmp_path_factory.mktemp(f"api-{request.param}")
    database_url = ""
    if request.param == "postgresql":
        databases: PostgresDatabases = request.getfixturevalue("postgres")
        database_url = databases.create()
    admin = make_store_app(database_url or f"sqlite:///{instance / 'cockpit.sqlite3'}")
    with admin.app_context():  # what `flask init-db` does
        upgrade_to_head(engine())
        with write_transaction() as conn:
            load_reference(conn)
    server = start_gunicorn(instance, workers=1, log_name="api.log", database_url=database_url)
    try:
        wait_until_healthy(server)
        shell = Api(server, instance, database_url, "", admin)
        shell.token = shell.token_for("统计直报系统")[1]
        yield shell
    finally:
        if server.process.poll() is None:
            server.process.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
        server.stop()
        with admin.app_context():
            engine().dispose()


def test_a_push_is_imported_and_again_changes_nothing(api):
    status, payload = push(api, "indicator-values", GOOD)
    assert status == 200, payload
    assert payload["accepted"] and payload["rows"] == 2
    assert payload["inserted"] + payload["updated"] == 2 and payload["batch"]
    status, again = push(api, "indicator-values", GOOD)
    assert status == 200 and again["unchanged"] == 2 and again["inserted"] == 0


def test_bad_rows_are_refused_whole_with_each_rows_index_and_reason(api):
    before = api.count()
    rows = [GOOD[0] | {"period": "2026-09"},
            {"indicator_code": "DG_ONE_NET", "adcode": "330106", "period": "2026-10",
             "value": 120},
            {"indicator_code": "DG_ZLB_DAU", "adcode": "火星区", "period": "2026-13",
             "value": "abc"}]
    status, payload = push(api, "indicator-values", rows)
    assert status == 422 and not payload["accepted"]
    assert payload["message"].startswith("未导入")
    errors = {(e["index"], e["column"], e["reason"]) for e in payload["errors"]}
    assert (1, "value", "百分比应在0至100之间") in errors
    assert {(2, "adcode"), (2, "period"), (2, "value")} <= {(i, c) for i, c, _ in errors}
    assert payload["error_count"] == 4 and payload["batch"]
    assert api.count() == before  # the good first row was not written either


def test_missing_wrong_and_revoked_tokens_are_refused(api):
    status, payload, headers = call(f"{api.server.url}/api/v1/indicator-values",
                                    body=json.dumps({"rows": GOOD}).encode())
    assert status == 401 and "令牌" in payload["error"]
    assert headers.get("WWW-Authenticate", "").startswith("Bearer")
    assert push(api, "indicator-values", GOOD, token="api_not-a-real-token")[0] == 401
    from data import accounts

    info, temporary = api.token_for("临时系统")
    assert push(api, "indicator-values", GOOD, token=temporary)[0] == 200
    with api.admin.app_context():
        accounts.revoke_token(token_id=info.id, by=None)
    assert push(api, "indicator-values", GOOD, token=temporary)[0] == 401
    # Only the hash is stored.
    engine = create_engine(api.store_url())
    with engine.connect() as conn:
        stored = " ".join(str(v) for row in conn.execute(text("SELECT * FROM access_tokens"))
                          for v in row)
    engine.dispose()
    assert temporary not in stored and api.token not in stored


@pytest.mark.parametrize(("body", "content_type", "status", "words"), [
    (b"{not json", "application/json", 400, "不是有效的 JSON"),
    (b'{"items": []}', "application/json", 400, "rows"),
    (b'{"rows": []}', "application/json", 400, "空"),
    (b"indicator_code,adcode\n", "text/csv", 415, "JSON"),
    (json.dumps({"rows": [1, "x"]}).encode(), "application/json", 422, "不是对象"),
    (json.dumps({"rows": [GOOD[0]] * 100_001}).encode(), "application/json", 413, "最多"),
])
def test_malformed_pushes_get_a_clear_answer(api, body, content_type, status, words):
    before = api.count()
    answer, payload, _ = call(f"{api.server.url}/api/v1/indicator-values", body=body,
                              token=api.token, content_type=content_type)
    assert answer == status and words in payload["message"]
    assert api.count() == before


def test_an_unknown_kind_is_404(api):
    status, payload = push(api, "nothing-like-this", GOOD)
    assert status == 404 and "indicator-values" in payload["message"]


def test_targets_are_pushed_too(api):
    rows = [{"indicator_code": "DG_ZLB_DAU", "adcode": "330106", "year": 2026, "target": 12,
             "wording": "以上", "source": "年度文件", "basis": "区政府工作报告"}]
    status, payload = push(api, "indicator-targets", rows)
    assert status == 200 and payload["inserted"] == 1, payload


def test_the_openapi_description_covers_every_kind(api):
    from data.imports.registry import KINDS

    status, document, headers = call(f"{api.server.url}/api/v1/openapi.json", method="GET",
                                     token=api.token)
    assert status == 200 and document["openapi"].startswith("3.")
    assert set(document["paths"]) == {f"/api/v1/{k}" for k in KINDS}
    post = document["paths"]["/api/v1/indicator-values"]["post"]
    assert {"200", "401", "422"} <= set(post["responses"])
    row = document["components"]["schemas"]["IndicatorValuesRow"]
    assert set(row["required"]) == {"indicator_code", "adcode", "period", "value"}
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"


def test_pushes_are_batches_named_after_the_system_and_audited(api):
    from data.imports.batches import batches
    from data.scope import EVERYTHING

    with api.admin.app_context():
        listed = batches(scope=EVERYTHING)
    pushed = listed[listed["channel"] == "api"]
    assert set(pushed["system_name"]) >= {"统计直报系统"}
    assert {"accepted", "refused"} <= set(pushed["status"])
    engine = create_engine(api.store_url())
    with engine.connect() as conn:
        events = conn.execute(text("SELECT action, username, outcome FROM audit_events "
                                   "WHERE action = 'api_push'")).all()
    engine.dispose()
    assert {("api_push", "统计直报系统", "ok"), ("api_push", "统计直报系统", "refused")} <= set(
        events)


def test_a_token_bound_to_an_account_pushes_only_inside_its_scope(api):
    from data import accounts

    with api.admin.app_context():
        accounts.create_user(username="xihu-stats", display_name="西湖区统计员",
                             unit="西湖区统计局", role="region", region="330106",
                             password="Qiantang-River-2026-tide", by=None, source="cli")
    _, bound = api.token_for("西湖区直报", username="xihu-stats")
    inside = [GOOD[0] | {"period": "2026-08"}]
    assert push(api, "indicator-values", inside, token=bound)[0] == 200
    outside = [GOOD[0] | {"adcode": "330102", "period": "2026-08"}]
    status, payload = push(api, "indicator-values", outside, token=bound)
    assert status == 422 and "无权限" in payload["errors"][0]["reason"]


def test_tasks_and_their_reports_are_pushed_too(api):
    task = {"task_code": "ZJ2026-101", "name": "数据中台推送试点", "group_code": "major_projects",
            "system_code": "DIGITAL_GOV", "lead_department": "BIGDATA", "adcode": "330000",
            "regions": "杭州市", "start_date": "2026-03-01", "due_date": "2026-12-31"}
    status, payload = push(api, "tasks", [task])
    assert status == 200 and payload["inserted"] == 1, payload
    report = {"task_code": "ZJ2026-101", "adcode": "330100", "reported_on": "2026-11-20",
              "progress": 55, "summary": "已接入", "reporter": "市大数据局"}
    status, payload = push(api, "task-reports", [report, report | {"progress": 120}])
    assert status == 422 and payload["errors"][0]["index"] == 1
    assert payload["errors"][0]["column"] == "progress"


def test_appeals_and_applications_are_pushed_too(api):
    week = {"adcode": "330106", "week_start": "2026-11-16", "category_code": "WAGES",
            "received": 30, "handled": 28, "on_time": 25, "rated": 14, "satisfied": 13}
    status, payload = push(api, "appeals", [week, week | {"category_code": "LAND",
                                                          "satisfied": 15}])
    assert status == 422 and payload["errors"][0]["index"] == 1
    assert payload["errors"][0]["column"] == "satisfied"
    status, payload = push(api, "appeals", [week])
    assert status == 200 and payload["inserted"] == 1, payload
    app = {"app_code": "PUSH1", "name": "推送应用", "system_code": "DIGITAL_GOV",
           "lead_department": "BIGDATA", "level": "province", "home_region": "330000",
           "launched_on": "2024-01-01", "users": 5000, "active_rate": 40.0,
           "real_active_rate": 22.5, "satisfaction": 97}
    status, payload = push(api, "apps", [app])
    assert status == 200 and payload["inserted"] == 1, payload
    status, payload = push(api, "app-adoptions", [{"app_code": "PUSH1", "adcode": "330106",
                                                   "adopted_on": "2024-05-01"}])
    assert status == 200 and payload["inserted"] == 1, payload
