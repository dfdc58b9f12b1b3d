"""Demo data of every topic, written by ``flask seed-demo``.

Each seeder is ``(conn, *, force) -> str``: it writes its topic's demo data inside the given
write transaction, is idempotent (a no-op when its data is current, unless ``force``) and
returns a sentence for the console. Add a topic by appending its seeder to ``SEEDERS``.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection

from data.accounts_demo import seed_demo_accounts
from data.clock import pin_demo_today
from data.demo import seed_demo as seed_indicators
from data.problems_demo import seed_problems
from data.risk_demo import seed_risk
from data.tasks_demo import seed_tasks

Seeder = Callable[..., str]

SEEDERS: list[Seeder] = [seed_indicators, seed_risk, seed_problems, seed_tasks, pin_demo_today,
                         seed_demo_accounts]


def seed_all(conn: Connection, *, force: bool = False) -> list[str]:
    return [seeder(conn, force=force) for seeder in SEEDERS]
