"""Demo data of every topic, written by ``flask seed-demo``.

Each seeder is ``(conn, *, force) -> str``: it writes its topic's demo data inside the given
write transaction, is idempotent (a no-op when its data is current, unless ``force``) and
returns a sentence for the console. Add a topic by appending its seeder to ``SEEDERS``.

A topic holding real (imported) data gets no demo data: its seeder is not run, and the
console says so. Demo data is never mixed with real figures.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection

from data.accounts_demo import seed_demo_accounts
from data.appeals_demo import seed_appeals
from data.apps_demo import seed_apps
from data.clock import pin_demo_today
from data.demo import ImportedDataPresent
from data.demo import seed_demo as seed_indicators
from data.demo_topics import TOPIC_NAMES, demo_topics, real_topics
from data.problems_demo import seed_problems
from data.risk_demo import seed_risk
from data.tasks_demo import seed_tasks

Seeder = Callable[..., str]

#: (topic, seeder). A topic's seeder runs unless the topic holds real data; ``None``: runs
#: while any topic holds demo data (the demo's "today"); ``"accounts"``: always (the demo
#: accounts of the README); ``"appeals"``, ``"apps"``: always (民呼我为 and 一本账 have no
#: import yet: their pages mark their own demo data, and their seeders never write over real
#: rows).
SEEDERS: list[tuple[str | None, Seeder]] = [
    ("indicators", seed_indicators), ("risk", seed_risk), ("problems", seed_problems),
    ("tasks", seed_tasks), ("appeals", seed_appeals), ("apps", seed_apps),
    (None, pin_demo_today),
    ("accounts", seed_demo_accounts)]


def seed_all(conn: Connection, *, force: bool = False) -> list[str]:
    sentences = []
    real = real_topics(conn)
    for topic, seeder in SEEDERS:
        if topic in real:
            sentences.append(f"{TOPIC_NAMES[topic]}已有导入的真实数据，不写入演示数据。")
            continue
        if topic is None and not demo_topics(conn):
            continue
        try:
            sentences.append(seeder(conn, force=force))
        except ImportedDataPresent as refused:
            sentences.append(str(refused))
    return sentences
