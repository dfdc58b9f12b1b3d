"""Which topics still hold demo data (演示数据), and removing a topic's demo data when real
data replaces it.

A topic is the indicators (values and the demo's targets), the major tasks (with everything
written on them), the problem lists (problems and their histories), the risk map (events
with their assessments, notices and evacuations), the appeals (民呼我为, weekly counts by
category and by channel) or the applications ledger (一本账, with the adoptions). The header
says 演示数据 while any topic holds demo rows; once none does, "today" is no longer pinned to
the demo's day.
"""

from __future__ import annotations

from sqlalchemy import Connection, delete, exists, select

from data.appeals_schema import AppealChannelWeek, AppealWeek
from data.apps_schema import App, AppAdoption
from data.clock import LEGACY_KEYS, PINNED_KEY
from data.problems_schema import Problem, ProblemMove
from data.risk_schema import Evacuation, RiskAssessment, RiskEvent, RiskNotice
from data.schema import DatasetInfo, IndicatorTarget, IndicatorValue
from data.tasks_schema import (
    Task,
    TaskDirective,
    TaskDirectiveReply,
    TaskIndicator,
    TaskMilestone,
    TaskRegion,
    TaskReport,
    TaskUnit,
)

TOPICS = ("indicators", "tasks", "problems", "risk", "appeals", "apps")
TOPIC_NAMES = {"indicators": "指标数据", "tasks": "重大任务", "problems": "问题清单",
               "risk": "风险“五色图”", "appeals": "民呼我为", "apps": "应用一本账",
               "rankings": "赛马榜权重"}
#: The table whose demo rows tell that a topic holds demo data.
_MARKERS = {"indicators": IndicatorValue, "tasks": Task, "problems": Problem,
            "risk": RiskEvent, "appeals": AppealWeek, "apps": App}


def demo_topics(conn: Connection) -> list[str]:
    """The topics that still hold demo rows, in order."""
    return [topic for topic in TOPICS if conn.execute(select(exists().where(
        _MARKERS[topic].source == "demo"))).scalar()]


def real_topics(conn: Connection) -> list[str]:
    """The topics that hold rows other than the demo's (imported or written by users)."""
    return [topic for topic in TOPICS if conn.execute(select(exists().where(
        _MARKERS[topic].source != "demo"))).scalar()]


def clear(conn: Connection, topic: str) -> int:
    """Delete ``topic``'s demo rows in ``conn``'s transaction; return how many went."""
    if topic not in demo_topics(conn):
        return 0
    removed = _CLEARERS[topic](conn)
    if not demo_topics(conn):  # no demo left: today is the calendar's again
        conn.execute(delete(DatasetInfo).where(DatasetInfo.key.in_(
            [PINNED_KEY, *LEGACY_KEYS, "demo"])))
    return removed


def _clear_indicators(conn: Connection) -> int:
    removed = 0
    for model in (IndicatorValue, IndicatorTarget):
        removed += conn.execute(delete(model).where(model.source == "demo")).rowcount
    return removed


def _clear_tasks(conn: Connection) -> int:
    demo_ids = select(Task.id).where(Task.source == "demo").scalar_subquery()
    directive_ids = select(TaskDirective.id).where(
        TaskDirective.task_id.in_(demo_ids)).scalar_subquery()
    removed = conn.execute(delete(TaskDirectiveReply).where(
        TaskDirectiveReply.directive_id.in_(directive_ids))).rowcount
    conn.execute(TaskDirective.__table__.update().where(TaskDirective.task_id.in_(demo_ids))
                 .values(corrects_id=None))
    for model in (TaskDirective, TaskReport, TaskIndicator, TaskMilestone, TaskRegion,
                  TaskUnit):
        removed += conn.execute(delete(model).where(model.task_id.in_(demo_ids))).rowcount
    removed += conn.execute(delete(Task).where(Task.source == "demo")).rowcount
    return removed


def _clear_problems(conn: Connection) -> int:
    demo_ids = select(Problem.id).where(Problem.source == "demo").scalar_subquery()
    removed = conn.execute(delete(ProblemMove).where(
        ProblemMove.problem_id.in_(demo_ids))).rowcount
    removed += conn.execute(delete(Problem).where(Problem.source == "demo")).rowcount
    return removed


def _clear_risk(conn: Connection) -> int:
    demo_events = select(RiskEvent.id).where(RiskEvent.source == "demo").scalar_subquery()
    removed = 0
    for model in (Evacuation, RiskNotice, RiskAssessment):
        removed += conn.execute(delete(model).where(
            (model.source == "demo") | model.event_id.in_(demo_events))).rowcount
    removed += conn.execute(delete(RiskEvent).where(RiskEvent.source == "demo")).rowcount
    return removed


def _clear_appeals(conn: Connection) -> int:
    removed = 0
    for model in (AppealChannelWeek, AppealWeek):
        removed += conn.execute(delete(model).where(model.source == "demo")).rowcount
    return removed


def _clear_apps(conn: Connection) -> int:
    demo_apps = select(App.code).where(App.source == "demo").scalar_subquery()
    removed = conn.execute(delete(AppAdoption).where(AppAdoption.app_code.in_(demo_apps))
                           ).rowcount
    removed += conn.execute(delete(App).where(App.source == "demo")).rowcount
    return removed


_CLEARERS = {"indicators": _clear_indicators, "tasks": _clear_tasks,
             "problems": _clear_problems, "risk": _clear_risk, "appeals": _clear_appeals,
             "apps": _clear_apps}
