"""Major tasks on SQLite and PostgreSQL: the demo, the status rule on the reference date,
the execution-chain roll-up, the filters, the scope, and the instruction writes."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from data import clock
from data import tasks_queries as tq
from data import tasks_rules as rules
from data.scope import EVERYTHING, Scope
from data.store import data_version, engine, write_transaction
from data.tasks_demo import DEMO_TODAY, seed_tasks
from data.tasks_schema import Task, TaskDirective, TaskRegion, TaskReport

TODAY = date(2026, 6, 1)


# --- the demo -------------------------------------------------------------------------------

def test_the_demo_holds_plausible_tasks_of_every_group(seeded):
    today = clock.today(scope=EVERYTHING)
    assert today == DEMO_TODAY == date(2026, 11, 22)
    tasks = tq.task_table(scope=EVERYTHING, today=today)
    assert 40 <= len(tasks) <= 80
    assert set(tasks["group_code"]) == set(rules.TASK_GROUPS)
    assert set(tasks["domain"].dropna()) <= set(rules.DOMAINS)
    counts = tq.status_counts(tasks)
    assert counts[rules.OVERDUE] >= 3 and counts[rules.LAGGING] >= 3
    assert counts[rules.IN_PROGRESS] >= 10 and counts[rules.DONE] >= 1
    assert (tasks["lead_name"].str.len() > 0).all()
    directives = tq.directives(scope=EVERYTHING, today=today)
    assert 5 <= len(directives) <= 20
    assert set(directives["answered"]) >= {"on_time", "late", "overdue"}
    assert directives["corrects_id"].notna().sum() == 1


def test_status_is_derived_on_the_reference_date_not_stored(seeded):
    early = tq.task_table(scope=EVERYTHING, today=date(2026, 1, 2))
    assert set(early["status"]) == {rules.NOT_STARTED}
    late = tq.task_table(scope=EVERYTHING, today=date(2027, 12, 31))
    assert set(late["status"]) <= {rules.DONE, rules.OVERDUE}
    assert rules.OVERDUE in set(late["status"])


def test_a_task_page_has_chain_reports_milestones_and_indicators(seeded):
    detail = tq.task_detail(scope=EVERYTHING, code="ZD2026-015", today=DEMO_TODAY)
    chain = detail["chain"]
    assert chain.iloc[0]["adcode"] == "330000"
    assert set(chain["level"]) == {"province", "city", "county"}
    assert len(chain) == 1 + 11 + 90
    reports = detail["reports"]
    assert list(reports["reported_on"]) == sorted(reports["reported_on"], reverse=True)
    assert (reports["reported_on"].map(lambda d: d <= DEMO_TODAY)).all()
    assert len(detail["milestones"]) == 4
    assert len(detail["indicators"]) >= 1
    assert tq.task_detail(scope=EVERYTHING, code="ZD2026-999", today=DEMO_TODAY) is None


def test_the_chain_of_the_demo_rolls_up_its_counties(seeded):
    chain = tq.task_chains(scope=EVERYTHING, today=DEMO_TODAY)
    task = chain[chain["task_id"] == chain[chain["level"] == "county"]["task_id"].iloc[0]]
    for city in task[task["level"] == "city"].itertuples():
        counties = task[task["parent_adcode"] == city.adcode]
        assert city.progress == pytest.approx(counties["progress"].mean(), abs=0.06)
    province = task[task["is_root"]].iloc[0]
    cities = task[task["level"] == "city"]
    assert province["progress"] == pytest.approx(cities["progress"].mean(), abs=0.06)


def test_the_filters(seeded):
    tasks = tq.task_table(scope=EVERYTHING, today=DEMO_TODAY)
    tree = tq.queries.regions(scope=EVERYTHING)
    ningbo = tq.filter_tasks(tasks, tq.TaskFilter(region="330200"), regions=tree)
    assert 0 < len(ningbo) < len(tasks)
    assert all("330200" in chain or any(a.startswith("3302") for a in chain)
               for chain in ningbo["chain_adcodes"])
    county = tq.filter_tasks(tasks, tq.TaskFilter(region="330212"), regions=tree)
    assert set(county["code"]) <= set(ningbo["code"])
    health = tq.filter_tasks(tasks, tq.TaskFilter(department="HEALTH"), regions=tree)
    assert all(lead == "HEALTH" or "HEALTH" in units for lead, units in
               zip(health["lead_department"], health["unit_codes"], strict=True))
    overdue = tq.filter_tasks(tasks, tq.TaskFilter(status=rules.OVERDUE), regions=tree)
    assert set(overdue["status"]) == {rules.OVERDUE}
    soon = tq.filter_tasks(tasks, tq.TaskFilter(due_within=30), regions=tree)
    assert (soon["days_left"] <= 30).all() and rules.DONE not in set(soon["status"])
    both = tq.filter_tasks(
        tasks, tq.TaskFilter(group="common_prosperity", system="DIGITAL_SOCIETY"), regions=tree)
    assert len(both) and set(both["group_code"]) == {"common_prosperity"}


def test_the_cockpit_lists_overdue_then_at_risk_tasks_first(seeded):
    tasks = tq.region_tasks(scope=EVERYTHING, adcode="330100", today=DEMO_TODAY)
    attention = [0 if s == rules.OVERDUE else 1 if r else 2
                 for s, r in zip(tasks["status"], tasks["at_risk"], strict=True)]
    assert attention == sorted(attention) and attention[0] == 0


def test_a_city_viewer_sees_only_tasks_and_chain_in_its_subtree(seeded):
    city = Scope(regions=("330100",))
    tasks = tq.task_table(scope=city, today=DEMO_TODAY)
    everything = tq.task_table(scope=EVERYTHING, today=DEMO_TODAY)
    assert 0 < len(tasks) < len(everything)
    chain = tq.task_chains(scope=city, today=DEMO_TODAY)
    assert set(chain["adcode"]) <= {a for a in tq.queries.regions(scope=city)["adcode"]}
    # The overall progress is the task's, not the part the viewer sees.
    merged = tasks.merge(everything, on="code", suffixes=("", "_all"))
    assert (merged["progress"] == merged["progress_all"]).all()


# --- the roll-up on a hand-made chain ----------------------------------------------------------

def make_task(conn, *, leaves: tuple[str, ...], root: str = "330000",
              start: date = date(2026, 1, 1), due: date = date(2026, 12, 31)) -> int:
    task_id = conn.execute(Task.__table__.insert().values(
        code="T-1", name="测试任务", group_code="major_projects", system_code="PLATFORM",
        lead_department="BIGDATA", region_adcode=root, start_date=start, due_date=due,
        source="import")).inserted_primary_key[0]
    if leaves:
        conn.execute(TaskRegion.__table__.insert(),
                     [{"task_id": task_id, "region_adcode": a} for a in leaves])
    return task_id


def report(conn, task_id: int, adcode: str, day: date, progress: float) -> None:
    conn.execute(TaskReport.__table__.insert().values(
        task_id=task_id, region_adcode=adcode, reported_on=day, progress=progress,
        summary="进展", reporter="测试", source="import"))


def test_the_execution_chain_rolls_up_by_the_rule(fresh):
    # Hangzhou: 上城区 80 (later report wins), 拱墅区 40; Ningbo: 海曙区 not reported (0).
    with write_transaction() as conn:
        task_id = make_task(conn, leaves=("330102", "330105", "330203"))
        report(conn, task_id, "330102", date(2026, 3, 1), 20)
        report(conn, task_id, "330102", date(2026, 5, 1), 80)
        report(conn, task_id, "330105", date(2026, 5, 1), 40)
        report(conn, task_id, "330105", date(2026, 7, 1), 100)  # after TODAY: not yet
    chain = tq.task_chains(scope=EVERYTHING, today=TODAY).set_index("adcode")
    assert chain.loc["330102", "progress"] == 80
    assert chain.loc["330105", "progress"] == 40
    assert chain.loc["330203", "progress"] == 0
    assert chain.loc["330100", "progress"] == 60  # mean of its counties
    assert chain.loc["330200", "progress"] == 0
    assert chain.loc["330000", "progress"] == 30  # mean of its cities
    assert set(chain.index) == {"330000", "330100", "330200", "330102", "330105", "330203"}
    # On 2026-06-01, 41 % of the year has passed: 30 % trails by 11 points (in progress),
    # 0 % by 41 (lagging), 80 % is ahead.
    assert chain.loc["330000", "status"] == rules.IN_PROGRESS
    assert chain.loc["330203", "status"] == rules.LAGGING
    assert chain.loc["330102", "status"] == rules.IN_PROGRESS
    tasks = tq.task_table(scope=EVERYTHING, today=TODAY)
    assert tasks.iloc[0]["progress"] == 30 and tasks.iloc[0]["status"] == rules.IN_PROGRESS
    after = tq.task_chains(scope=EVERYTHING, today=date(2027, 1, 5)).set_index("adcode")
    assert after.loc["330105", "status"] == rules.DONE
    assert after.loc["330000", "status"] == rules.OVERDUE


def test_a_task_without_regions_takes_its_own_latest_report(fresh):
    with write_transaction() as conn:
        task_id = make_task(conn, leaves=())
        report(conn, task_id, "330000", date(2026, 4, 1), 35)
    chain = tq.task_chains(scope=EVERYTHING, today=TODAY)
    assert len(chain) == 1 and chain.iloc[0]["progress"] == 35


# --- directives ---------------------------------------------------------------------------------

def directive(**overrides) -> dict:
    values = {"task_code": "T-1", "kind": "instruction", "author_name": "周文斌",
              "author_role": "副省长", "body": "请加快推进。", "receiver": "dept:BIGDATA",
              "deadline": "2026-06-15", "today": TODAY}
    return values | overrides


def count_directives() -> int:
    with engine().connect() as conn:
        return conn.execute(select(func.count()).select_from(TaskDirective)).scalar_one()


def test_a_directive_is_stored_with_author_and_time_and_shows_at_once(fresh):
    with write_transaction() as conn:
        make_task(conn, leaves=("330102",))
    task_id = int(tq.task_table(scope=EVERYTHING, today=TODAY)["id"].iloc[0])
    assert tq.directives(scope=EVERYTHING, today=TODAY, task_id=task_id).empty  # cached
    before = data_version()
    written = tq.add_directive(scope=EVERYTHING, now=datetime(2026, 6, 1, 10, 15),
                               **directive(body="<script>alert(1)</script>请研究"))
    assert data_version() == before + 1
    listed = tq.directives(scope=EVERYTHING, today=TODAY, task_id=task_id)
    row = listed.iloc[0]
    assert (row["id"], row["author_name"], row["author_role"]) == (written, "周文斌", "副省长")
    assert row["created_at"] == datetime(2026, 6, 1, 10, 15)
    assert row["body"] == "<script>alert(1)</script>请研究"  # stored as typed, shown as text
    assert row["receiver_name"] == "省大数据发展管理局"
    assert row["answered"] == "pending" and row["source"] == "user"
    # The receiving unit sees it too, and a correction is a new entry naming the first.
    everywhere = tq.directives(scope=EVERYTHING, today=TODAY)
    assert written in set(everywhere[everywhere["receiver"] == "BIGDATA"]["id"])
    fixed = tq.add_directive(scope=EVERYTHING, now=datetime(2026, 6, 1, 11, 0),
                             **directive(corrects_id=written, receiver="region:330102"))
    listed = tq.directives(scope=EVERYTHING, today=TODAY, task_id=task_id).set_index("id")
    assert listed.loc[fixed, "corrects_id"] == written
    assert listed.loc[written, "body"] == "<script>alert(1)</script>请研究"
    assert listed.loc[fixed, "receiver_name"] == "上城区"


def test_a_region_viewer_sees_the_directives_sent_to_its_regions_only(fresh):
    """A department receiving a directive is a provincial body, in no region: a city's or a
    county's viewer sees what is sent to its own regions, not what is sent to departments or
    to another city; a department's viewer sees what is sent to it and to any region."""
    with write_transaction() as conn:
        make_task(conn, leaves=("330102", "330106", "330203"))
    sent = {receiver: tq.add_directive(scope=EVERYTHING, now=datetime(2026, 6, 1, 9, 0),
                                       **directive(receiver=receiver))
            for receiver in ("dept:BIGDATA", "dept:AUDIT", "region:330102", "region:330106",
                             "region:330203")}
    seen = {name: set(tq.directives(scope=scope, today=TODAY)["id"]) for name, scope in {
        "leader": EVERYTHING, "hangzhou": Scope(regions=("330100",)),
        "xihu": Scope(regions=("330106",)), "dsj": Scope(departments=("BIGDATA",)),
        "hangzhou-dsj": Scope(regions=("330100",), departments=("BIGDATA",)),
        "screen": Scope(regions=("330000",), read_only=True)}.items()}
    assert seen["leader"] == seen["screen"] == set(sent.values())  # the province holds all
    assert seen["hangzhou"] == {sent["region:330102"], sent["region:330106"]}
    assert seen["xihu"] == {sent["region:330106"]}
    assert seen["dsj"] == {sent["dept:BIGDATA"], sent["region:330102"],
                           sent["region:330106"], sent["region:330203"]}
    assert seen["hangzhou-dsj"] == {sent["region:330102"], sent["region:330106"]}
    # and it can only write to what it would see
    assert not [o for o in tq.receivers(scope=Scope(regions=("330100",)))
                if o["value"].startswith("dept:")]
    with pytest.raises(tq.DirectiveRefused):
        tq.add_directive(scope=Scope(regions=("330100",)), **directive(receiver="dept:AUDIT"))


@pytest.mark.parametrize(("overrides", "message"), [
    ({"body": "   "}, "请填写批示或督办内容。"),
    ({"deadline": "2026-05-31"}, "办理期限不能早于今天（2026-06-01）。"),
    ({"receiver": "dept:NO_SUCH"}, "接收单位不存在，请从列表中选择部门或地区。"),
    ({"receiver": "region:339999"}, "接收单位不存在，请从列表中选择部门或地区。"),
    ({"author_name": ""}, "请填写签发人姓名。"),
    ({"task_code": "T-404"}, "任务不存在。"),
    ({"corrects_id": 12345}, "所更正的批示不存在。"),
])
def test_bad_directives_are_refused_with_a_message_and_nothing_stored(fresh, overrides,
                                                                      message):
    with write_transaction() as conn:
        make_task(conn, leaves=())
    with pytest.raises(tq.DirectiveRefused) as refused:
        tq.add_directive(scope=EVERYTHING, **directive(**overrides))
    assert message in refused.value.messages
    assert count_directives() == 0


def test_seeding_the_tasks_is_idempotent(fresh):
    with write_transaction() as conn:
        first = seed_tasks(conn)
    assert first.startswith("已写入重大任务演示数据")
    with write_transaction() as conn:
        second = seed_tasks(conn)
    assert "未改动" in second
    with engine().connect() as conn:
        assert conn.execute(select(func.count()).select_from(Task)).scalar_one() == 60
    with write_transaction() as conn:
        again = seed_tasks(conn, force=True)
    assert again.startswith("已写入")
    assert len(tq.task_table(scope=EVERYTHING, today=DEMO_TODAY)) == 60


def test_a_reply_is_stored_and_decides_whether_it_was_answered_in_time(fresh):
    with write_transaction() as conn:
        make_task(conn, leaves=())
    written = tq.add_directive(scope=EVERYTHING, now=datetime(2026, 6, 1, 9, 0),
                               **directive(deadline="2026-06-03"))
    with pytest.raises(tq.DirectiveRefused) as refused:
        tq.add_reply(scope=EVERYTHING, task_code="T-1", directive_id=written, replied_by="",
                     body="  ", today=TODAY)
    assert refused.value.messages == ["请填写回复单位。", "请填写回复内容。"]
    with pytest.raises(tq.DirectiveRefused):
        tq.add_reply(scope=EVERYTHING, task_code="T-1", directive_id=written + 99,
                     replied_by="省大数据局", body="已办", today=TODAY)
    tq.add_reply(scope=EVERYTHING, task_code="T-1", directive_id=written,
                 replied_by="省大数据局", body="已办结", today=TODAY,
                 now=datetime(2026, 6, 5, 9, 0))
    tq.add_reply(scope=EVERYTHING, task_code="T-1", directive_id=written,
                 replied_by="省大数据局", body="补充说明", today=TODAY,
                 now=datetime(2026, 6, 6, 9, 0))
    row = tq.directives(scope=EVERYTHING, today=date(2026, 6, 10)).iloc[0]
    assert row["reply"] == "已办结" and row["answered"] == "late"  # the first reply counts
