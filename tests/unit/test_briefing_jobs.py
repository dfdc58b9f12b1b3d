"""Producing briefings as jobs, on the command line and on a schedule; their files and who may
download them. Briefings here have no figures (summary and indicators only), so they need no
Chromium and take a fraction of a second; the PDF itself is tested in test_briefing_pdf.py."""

from __future__ import annotations

import io
import os
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefing import files, jobs, render
from briefing.document import BriefingRequest
from data import accounts, audit
from data import briefings as records
from data.windows import Window, due
from tests.auth_tools import signed_in_client

FAST = ("summary", "indicators")


@pytest.fixture
def in_app(cockpit):
    with cockpit.server.app_context():
        yield cockpit.server


def queue(username: str, adcode: str = "330100", key: str = "2026-10", kind: str = "month",
          sections=FAST) -> int:
    return jobs.queue(account=accounts.find_user(username), requested_by=username,
                      request=BriefingRequest(adcode=adcode, window=Window.parse(key, kind=kind),
                                              sections=sections), source="page")


def stored_files() -> set[str]:
    return {p.name for p in files.folder().iterdir()}


def test_a_queued_briefing_is_produced_once_under_its_users_scope(in_app):
    briefing_id = queue("hangzhou")
    seen = []
    record = jobs.produce(briefing_id, report=lambda share, words: seen.append((share, words)))
    assert record["status"] == "done" and record["progress"] == 100 and record["pages"] >= 2
    assert [share for share, _ in seen] == sorted(share for share, _ in seen) and seen
    path = files.stored(record["file_name"])
    data = path.read_bytes()
    assert data.startswith(b"%PDF") and len(data) == record["size_bytes"]
    assert record["title"] == "杭州市数字化改革月报-2026-10.pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    account = accounts.find_user("hangzhou")
    assert "杭州市" in text and account.display_name in text and account.unit in text
    assert records.scope_of(record["scope"]).regions == ("330100",)
    # A briefing starts once: running it again changes nothing.
    assert jobs.produce(briefing_id)["finished_at"] == record["finished_at"]
    event = audit.events(audit.AuditFilter(action="briefing"), limit=1).iloc[0]
    assert event["username"] == "hangzhou" and event["outcome"] == "ok"
    assert f"简报 #{briefing_id}" in event["detail"]


def test_a_region_outside_the_users_scope_or_unknown_is_refused_before_queueing(in_app):
    with pytest.raises(Exception, match="不在您的权限范围内"):
        queue("hangzhou", adcode="330200")
    with pytest.raises(Exception, match="未找到"):
        queue("leader", adcode="999999")


def test_a_failed_render_leaves_no_file_says_why_and_can_be_made_again(in_app, monkeypatch):
    before = stored_files()
    briefing_id = queue("leader", adcode="330000")

    def broken(briefing, progress=None):
        progress(60, "排版 PDF")
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr(render, "pdf", broken)
    record = jobs.produce(briefing_id)
    assert record["status"] == "failed" and "磁盘已满" in record["message"]
    assert record["file_name"] is None and stored_files() == before
    event = audit.events(audit.AuditFilter(action="briefing"), limit=1).iloc[0]
    assert event["outcome"] == "failed" and "磁盘已满" in event["detail"]
    monkeypatch.undo()
    again = jobs.retry(briefing_id, account=accounts.find_user("leader"))
    assert again != briefing_id and jobs.produce(again)["status"] == "done"


def test_an_interrupted_job_is_marked_failed_and_stops(in_app, monkeypatch):
    briefing_id = queue("leader")

    def stopped(briefing, progress=None):
        raise KeyboardInterrupt

    monkeypatch.setattr(render, "pdf", stopped)
    with pytest.raises(KeyboardInterrupt):
        jobs.produce(briefing_id)
    record = records.get(briefing_id)
    assert record["status"] == "failed" and "中断" in record["message"]


def test_a_job_that_went_silent_is_marked_failed(in_app):
    briefing_id = queue("leader")
    assert records.start(briefing_id, now=datetime(2026, 11, 22, 9, 0))
    waiting = queue("leader")
    later = accounts.now() + timedelta(minutes=30)
    assert records.sweep_stale(now=later, minutes=15) >= 2
    assert "超过 15 分钟没有进展" in records.get(briefing_id)["message"]
    assert "未能开始" in records.get(waiting)["message"]


def test_a_file_is_renamed_into_place_only_when_complete(tmp_path, monkeypatch):
    target = tmp_path / "done.pdf"

    def refuse(*args):
        raise OSError("no space")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError):
        files.write_atomically(target, b"%PDF-1.7 ...")
    assert list(tmp_path.iterdir()) == []
    monkeypatch.undo()
    files.write_atomically(target, b"%PDF-1.7 whole")
    assert target.read_bytes() == b"%PDF-1.7 whole" and list(tmp_path.iterdir()) == [target]


def test_a_stored_name_cannot_leave_the_briefing_folder(in_app, tmp_path):
    outside = tmp_path / "secret.pdf"
    outside.write_bytes(b"%PDF secret")
    for name in ("../secret.pdf", str(outside), "..", "", None, ".partial-x.pdf",
                 "briefing-x.txt"):
        assert files.stored(name) is None, name


def test_downloads_follow_the_scope_of_the_briefing(cockpit):
    with cockpit.server.app_context():
        briefing_id = queue("hangzhou")
        jobs.produce(briefing_id)
    address = f"/briefings/{briefing_id}/file"
    for username, allowed in (("hangzhou", True), ("leader", True), ("admin", True),
                              ("xihu", False), ("dsj", False)):
        response = signed_in_client(cockpit.server, username).get(address)
        assert (response.status_code == 200) is allowed, (username, response.status_code)
        if allowed:
            assert response.data.startswith(b"%PDF")
            assert response.headers["Content-Type"] == "application/pdf"
            assert "filename*=UTF-8''%E6%9D%AD%E5%B7%9E" in response.headers[
                "Content-Disposition"]
        else:
            assert "不在您的权限范围内" in response.get_data(as_text=True)
    client = signed_in_client(cockpit.server, "leader")
    for address in ("/briefings/..%2F..%2Fetc%2Fpasswd/file", "/briefings/abc/file",
                    "/briefings/1%2F..%2F..%2Fsecret_key/file"):
        response = client.get(address)  # not a briefing's address: the app's page, no file
        assert response.headers["Content-Type"].startswith("text/html"), address
        assert not response.data.startswith(b"%PDF")
    assert client.get("/briefings/999999/file").status_code == 404
    assert cockpit.server.test_client().get(address).status_code in (302, 401)
    with cockpit.server.app_context():
        refused = audit.events(audit.AuditFilter(action="briefing_download",
                                                 outcome="refused"), limit=5)
        assert {"xihu", "dsj"} <= set(refused["username"])


def test_a_briefing_not_yet_made_cannot_be_downloaded(cockpit):
    with cockpit.server.app_context():
        briefing_id = queue("leader")
    response = signed_in_client(cockpit.server, "leader").get(f"/briefings/{briefing_id}/file")
    assert response.status_code == 409 and "排队中" in response.get_data(as_text=True)


def test_the_list_shows_what_the_viewer_may_see(in_app):
    mine = queue("xihu", adcode="330106", key="2026-W47", kind="week")
    tree = __import__("data.queries", fromlist=["regions"]).regions(
        scope=accounts.find_user("leader").scope)
    ancestors = dict(zip(tree["adcode"], tree["ancestors"], strict=True))
    for username, sees in (("xihu", True), ("hangzhou", True), ("leader", True),
                           ("dsj", False)):
        account = accounts.find_user(username)
        listed = records.visible(scope=account.scope, username=username, ancestors=ancestors)
        assert (mine in set(listed["id"])) is sees, username
    listed = records.visible(scope=accounts.find_user("xihu").scope, username="xihu",
                             ancestors=ancestors)
    assert set(listed["region_adcode"]) == {"330106"}


# --- the command line -------------------------------------------------------------------------

def test_the_command_makes_a_briefing_file(cockpit, tmp_path):
    out = tmp_path / "西湖.pdf"
    result = cockpit.server.test_cli_runner().invoke(args=[
        "briefing", "--region", "330106", "--window", "week", "--period", "2026-W47",
        "--out", str(out), "--section", "summary", "--section", "indicators"])
    assert result.exit_code == 0, result.output
    assert "已生成" in result.output and out.read_bytes().startswith(b"%PDF")
    assert [p.name for p in tmp_path.iterdir()] == ["西湖.pdf"]  # no temporary file left


@pytest.mark.parametrize(("args", "message"), [
    (["--region", "999999"], "未找到行政区划代码为“999999”"),
    (["--period", "2026-13"], "格式不正确"),
    (["--period", "2019-05"], "没有指标数据"),
    (["--period", "2027-01"], "尚未开始"),
    (["--user", "nobody"], "不存在"),
    (["--user", "xihu", "--region", "330100"], "不在该用户的权限范围内"),
    (["--section", "nonsense"], "没有这些章节"),
])
def test_the_command_refuses_bad_input_with_a_message_and_no_file(cockpit, tmp_path, args,
                                                                  message):
    out = tmp_path / "x.pdf"
    result = cockpit.server.test_cli_runner().invoke(
        args=["briefing", "--out", str(out), "--section", "summary", *args])
    assert result.exit_code != 0 and message in result.output, result.output
    assert not out.exists() and list(tmp_path.iterdir()) == []


# --- schedules ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("kind", "day", "today", "expected"), [
    ("week", 1, date(2026, 11, 23), "2026-W47"),   # Monday after the week
    ("week", 3, date(2026, 11, 24), None),          # Wednesday's not come yet
    ("week", 3, date(2026, 11, 27), "2026-W47"),    # catches up later in the week
    ("month", 5, date(2026, 11, 4), None),
    ("month", 5, date(2026, 11, 5), "2026-10"),
    ("bimonth", 1, date(2026, 11, 1), "2026-B5"),
    ("quarter", 10, date(2026, 11, 22), "2026-Q3"),
    ("year", 15, date(2027, 1, 15), "2026"),
])
def test_when_a_schedule_is_due(kind, day, today, expected):
    window = due(kind, day, today)
    assert (window.key if window else None) == expected


def test_due_briefings_are_made_once_per_recipient_under_their_own_scope(cockpit):
    runner = cockpit.server.test_cli_runner()
    added = runner.invoke(args=["briefing-schedule", "add", "--name", "杭州周报",
                                "--region", "330100", "--window", "week", "--day", "1",
                                "--recipient", "hangzhou", "--recipient", "xihu",
                                "--section", "summary"])
    assert added.exit_code == 0 and "已添加" in added.output, added.output
    first = runner.invoke(args=["briefings-due", "--date", "2026-11-23"])
    assert first.exit_code == 0, first.output
    assert "已生成：杭州周报 · hangzhou · 杭州市" in first.output
    assert "跳过：xihu" in first.output  # Hangzhou is beyond Xihu's scope
    again = runner.invoke(args=["briefings-due", "--date", "2026-11-24"])
    assert "生成 0 份" in again.output  # made once per window
    with cockpit.server.app_context():
        made = records.visible(scope=accounts.find_user("hangzhou").scope, username="hangzhou",
                               ancestors={"330100": ["330000"]})
        row = made[made["source"] == "schedule"].iloc[0]
        assert row["window_key"] == "2026-W47" and row["status"] == "done"
        assert records.scope_of(row["scope"]).regions == ("330100",)
    bad = runner.invoke(args=["briefing-schedule", "add", "--name", "x", "--region", "1",
                              "--window", "week", "--recipient", "leader"])
    assert bad.exit_code != 0 and "未找到" in bad.output
    listed = runner.invoke(args=["briefing-schedule", "list"])
    assert "杭州周报" in listed.output


def test_the_page_lists_and_offers_windows(request_context):
    from components.briefings import window_options

    weeks = window_options("week", date(2026, 11, 22), first_period="2020-12")
    assert weeks[0]["value"] == "2026-W47" and len(weeks) == 26
    quarters = window_options("quarter", date(2026, 11, 22), first_period="2020-12")
    assert quarters[0] == {"label": "2026年第四季度（进行中）", "value": "2026-Q4"}
    assert quarters[1]["value"] == "2026-Q3"
    years = window_options("year", date(2026, 11, 22), first_period="2020-12")
    assert [o["value"] for o in years][-1] >= "2020"
    assert Path(files.folder()).is_dir()


def test_the_page_queues_for_the_signed_in_user_and_refuses_a_screen_or_a_forged_job(
        cockpit, pages_loaded):
    from pages.briefings import queue_briefing, run_job
    from tests.auth_tools import signed_in

    with signed_in(cockpit.server, "screen"):
        job, message = queue_briefing(adcode="330000", kind="month", key="2026-10",
                                      sections=list(FAST), indicator=None)
        assert job is None and "只读账号" in str(message)
    with signed_in(cockpit.server, "hangzhou"):
        job, message = queue_briefing(adcode="330100", kind="month", key="2027-01",
                                      sections=list(FAST), indicator=None)
        assert job is None and "尚未开始" in str(message)
        job, message = queue_briefing(adcode="330100", kind="month", key="2026-10",
                                      sections=list(FAST), indicator=None)
        assert job["id"] and len(job["token"]) == 64 and "已提交" in str(message)
    forged = {"id": job["id"], "token": "0" * 64}
    refused, done = run_job(lambda value: None, forged)
    assert "无效" in str(refused)
    with cockpit.server.app_context():
        assert records.get(job["id"])["status"] == "queued"  # a forged job starts nothing
    reports = []
    message, done = run_job(reports.append, job)
    assert done == job["id"] and "已生成" in str(message) and reports
    with cockpit.server.app_context():
        assert records.get(job["id"])["status"] == "done"


def test_the_page_makes_a_failed_briefing_again_for_whoever_may_see_it(cockpit, pages_loaded,
                                                                       monkeypatch):
    from pages.briefings import retry
    from tests.auth_tools import signed_in

    with cockpit.server.app_context():
        failed = queue("hangzhou")
        records.start(failed, now=accounts.now())
        records.fail(failed, reason="测试：失败", now=accounts.now())
    with signed_in(cockpit.server, "xihu"):
        job, message = retry({"id": failed, "at": 1})
        assert "不在您的权限范围内" in str(message)
    with signed_in(cockpit.server, "hangzhou"):
        job, message = retry({"id": failed, "at": 2})
        assert job["id"] != failed and "已重新提交" in str(message)
    with cockpit.server.app_context():
        again = records.get(job["id"])
        assert again["status"] == "queued" and again["window_key"] == "2026-10"
        assert again["sections"] == ",".join(FAST)


def test_the_page_says_a_briefing_cannot_start_while_the_job_broker_is_down(
        cockpit, pages_loaded, monkeypatch):
    """``COCKPIT_JOBS=celery`` with Redis stopped: the page says so at once, nothing is
    queued (tests/data/test_cache_faults.py covers a hung broker)."""
    import time

    from briefing.background import JOBS_DOWN
    from pages.briefings import queue_briefing
    from tests.auth_tools import signed_in
    from tests.faults import free_port

    settings = cockpit.server.config["COCKPIT_SETTINGS"]
    down = settings.model_copy(update={
        "jobs": "celery", "celery_broker_url": f"redis://127.0.0.1:{free_port()}/0"})
    monkeypatch.setitem(cockpit.server.config, "COCKPIT_SETTINGS", down)
    with signed_in(cockpit.server, "hangzhou"):
        before = briefing_count()
        started = time.monotonic()
        job, message = queue_briefing(adcode="330100", kind="month", key="2026-10",
                                      sections=list(FAST), indicator=None)
        assert time.monotonic() - started < 2
        assert job is None and JOBS_DOWN in str(message)
        assert briefing_count() == before


def briefing_count() -> int:
    from sqlalchemy import func, select

    from data.briefings_schema import Briefing
    from data.store import read_connection

    with read_connection() as conn:
        return conn.execute(select(func.count()).select_from(Briefing)).scalar_one()
