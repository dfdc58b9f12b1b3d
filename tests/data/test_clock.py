"""One "today" and one "now" for every topic, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import delete

from data import clock
from data import tasks_queries as tq
from data.schema import DatasetInfo
from data.scope import EVERYTHING
from data.seeding import seed_all
from data.store import write_transaction


def test_the_demo_pins_today_and_now_for_every_topic(fresh):
    with write_transaction() as conn:
        seed_all(conn)
    assert clock.today(scope=EVERYTHING) == clock.DEMO_TODAY
    assert clock.now(scope=EVERYTHING).date() == clock.DEMO_TODAY


def test_without_a_pin_today_is_the_calendar_date(fresh):
    with write_transaction() as conn:
        conn.execute(delete(DatasetInfo).where(DatasetInfo.key == clock.PINNED_KEY))
    found = clock.today(scope=EVERYTHING)
    assert found in {date.today(), date.today() - timedelta(days=1)}  # a run across midnight
    assert clock.now(scope=EVERYTHING).date() == found


def test_a_reply_written_now_is_judged_against_the_same_today(fresh):
    with write_transaction() as conn:
        seed_all(conn)
    today = clock.today(scope=EVERYTHING)
    code = tq.task_table(scope=EVERYTHING, today=today)["code"].iloc[0]
    directive = tq.add_directive(scope=EVERYTHING, task_code=code, kind="instruction",
                                 author_name="甲", author_role="乙", body="请报告",
                                 receiver="dept:REFORM_OFFICE", deadline=today, today=today)
    tq.add_reply(scope=EVERYTHING, task_code=code, directive_id=directive, replied_by="办",
                 body="已落实", today=today)
    task_id = int(tq.task_table(scope=EVERYTHING, today=today).set_index("code").loc[code, "id"])
    row = tq.directives(scope=EVERYTHING, today=today, task_id=task_id).set_index("id")
    assert row.loc[directive, "answered"] == "on_time"
    assert row.loc[directive, "replied_at"].date() == today
