"""What "today" and "now" are: the one definition for every topic.

While demo data is loaded, the demo pins the day it was made for (:data:`DEMO_TODAY`, stored
in ``dataset_info`` as ``reference_date``), so its lights, statuses and deadlines read the same
whatever the calendar says. Otherwise today is the server's calendar date.

"Now" is today at the clock's time of day. Everything stamped with a time (a reply, a
directive, a stage move) is stamped with :func:`now`, and everything judged against a day is
judged against :func:`today`, so the two can never disagree: a reply written "now" is never
late against "today" only because the demo's day is not the calendar's.

Rules never read the clock: they take ``today`` (or ``now``) as an argument.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Connection, delete, select

from data.schema import DatasetInfo
from data.scope import Scope
from data.store import cached_query, read_connection

#: The day the demo data is made for (after the indicators' last month, 2026-10).
DEMO_TODAY = date(2026, 11, 22)
#: The ``dataset_info`` key that pins "today" while demo data is loaded.
PINNED_KEY = "reference_date"
#: Keys earlier versions pinned the day under (one per topic); replaced when the demo is seeded.
LEGACY_KEYS = ("tasks_as_of", "problems_reference_date")


@cached_query
def today(*, scope: Scope) -> date:
    """The date every rule is judged on: the pinned demo day, else the calendar date."""
    with read_connection() as conn:
        pinned = conn.execute(
            select(DatasetInfo.value).where(DatasetInfo.key == PINNED_KEY)).scalar()
    return date.fromisoformat(pinned) if pinned else date.today()


def now(*, scope: Scope) -> datetime:
    """Today (:func:`today`) at the clock's time of day, to the second."""
    return datetime.combine(today(scope=scope), datetime.now().time()).replace(microsecond=0)


def pin_demo_today(conn: Connection, *, force: bool = False) -> str:
    """Pin "today" to :data:`DEMO_TODAY` in ``conn``'s write transaction (a demo seeder)."""
    table = DatasetInfo.__table__
    conn.execute(delete(table).where(table.c.key.in_([PINNED_KEY, *LEGACY_KEYS])))
    conn.execute(table.insert().values(key=PINNED_KEY, value=DEMO_TODAY.isoformat()))
    return f"演示数据的“今天”：{DEMO_TODAY:%Y-%m-%d}。"
