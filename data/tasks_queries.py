"""Queries and writes of the major tasks. Each query takes keyword arguments only, the
viewer's :class:`~data.scope.Scope` first, applies it in its SQL, returns a DataFrame (or a
small plain value) and is cached by data version. Statuses come from
:mod:`data.tasks_rules`, never the store.

A viewer sees a task when its execution chain reaches the viewer's regions (its root region or
a region it is assigned to lies in them) and, for a department user, when the department leads
it or is one of its responsible units (:func:`task_clause`). Of the chain, the viewer sees the
regions of its scope; a task's overall progress (rolled up from every region) is a fact of the
task and is shown with it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from sqlalchemy import ColumnElement, Select, and_, func, or_, select, true

from config.labels import TASK_GROUPS
from data import audit, clock, queries
from data import tasks_rules as rules
from data.queries import frame as _frame
from data.schema import Department, System
from data.scope import ReadOnly, Scope
from data.store import cached_query, read_connection, write_transaction
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

if TYPE_CHECKING:
    from data.accounts import Account


def _as_date(value) -> date:
    return value if isinstance(value, date) and not isinstance(value, datetime) else (
        pd.Timestamp(value).date())


def task_clause(scope: Scope) -> ColumnElement[bool]:
    """The tasks the viewer may see, in SQL (see the module's docstring)."""
    clauses: list[ColumnElement[bool]] = [true()]
    if scope.regions is not None:
        clauses.append(or_(
            scope.region_clause(Task.region_adcode),
            Task.id.in_(select(TaskRegion.task_id).where(
                scope.region_clause(TaskRegion.region_adcode)))))
    if scope.departments is not None:
        clauses.append(or_(
            scope.department_clause(Task.lead_department),
            Task.id.in_(select(TaskUnit.task_id).where(
                scope.department_clause(TaskUnit.department_code)))))
    return and_(*clauses)


def visible_task_ids(scope: Scope) -> Select:
    return select(Task.id).where(task_clause(scope))


@cached_query
def departments(*, scope: Scope) -> pd.DataFrame:
    return _frame(select(Department.code, Department.name)
                  .where(scope.department_clause(Department.code)).order_by(Department.code))


@cached_query
def task_chains(*, scope: Scope, today: date) -> pd.DataFrame:
    """Every region of every task's execution chain: task_id, adcode, name, level,
    parent_adcode, progress, status, is_leaf, is_root, last_reported_on (see
    :func:`tasks_rules.chain_progress`), for the regions the viewer may see."""
    parents = queries.region_parents(scope=scope)
    tasks = _frame(select(Task.id, Task.region_adcode, Task.start_date, Task.due_date)
                   .where(task_clause(scope)))
    assigned = _frame(select(TaskRegion.task_id, TaskRegion.region_adcode)
                      .where(TaskRegion.task_id.in_(visible_task_ids(scope)),
                             scope.region_clause(TaskRegion.region_adcode)))
    # Each region's latest report of each task (by day, then the later one), chosen in SQL:
    # the store keeps every weekly report, the chain needs the last.
    newest = (select(TaskReport.task_id, TaskReport.region_adcode, TaskReport.reported_on,
                     TaskReport.progress,
                     func.row_number().over(
                         partition_by=(TaskReport.task_id, TaskReport.region_adcode),
                         order_by=(TaskReport.reported_on.desc(), TaskReport.id.desc()))
                     .label("newest"))
              .where(TaskReport.reported_on <= today,
                     TaskReport.task_id.in_(visible_task_ids(scope)),
                     scope.region_clause(TaskReport.region_adcode))
              .subquery())
    with read_connection() as conn:
        latest = conn.execute(select(newest.c.task_id, newest.c.region_adcode,
                                     newest.c.reported_on, newest.c.progress)
                              .where(newest.c.newest == 1)).all()
    latest_progress = {(task, region): progress for task, region, _, progress in latest}
    latest_day = {(task, region): day for task, region, day, _ in latest}
    leaves_by_task = _lists_by(assigned, "task_id", "region_adcode")
    rows = []
    for task in tasks.itertuples(index=False):
        leaves = {a: latest_progress.get((task.id, a), 0.0)
                  for a in leaves_by_task.get(task.id, [])}
        nodes = rules.chain_progress(
            leaves, parents=parents, root=task.region_adcode,
            root_progress=latest_progress.get((task.id, task.region_adcode), 0.0))
        start, due = _as_date(task.start_date), _as_date(task.due_date)
        for adcode, progress in nodes.items():
            rows.append({
                "task_id": task.id, "adcode": adcode, "progress": round(progress, 1),
                "status": rules.task_status(start=start, due=due, progress=progress,
                                            today=today),
                "is_leaf": adcode in leaves or not leaves,
                "is_root": adcode == task.region_adcode,
                "last_reported_on": latest_day.get((task.id, adcode))})
    chain = pd.DataFrame(rows, columns=["task_id", "adcode", "progress", "status", "is_leaf",
                                        "is_root", "last_reported_on"])
    visible = queries.regions(scope=scope)[["adcode", "name", "level", "parent_adcode",
                                            "ancestors", "label_lon", "label_lat"]]
    return chain.merge(visible, on="adcode", how="inner")


def _lists_by(frame: pd.DataFrame, key: str, column: str) -> dict:
    """``column``'s values grouped by ``key``, in their order (what a group-by's
    ``apply(list)`` gives, without a Python call per group)."""
    lists: dict = {}
    for k, value in zip(frame[key].to_numpy(dtype=object).tolist(),
                        frame[column].to_numpy(dtype=object).tolist(), strict=True):
        lists.setdefault(k, []).append(value)
    return lists


def _everything(scope: Scope) -> Scope:
    """The whole tree, for roll-ups: a viewer's scope limits what is shown, not the sums."""
    return Scope(regions=None, departments=scope.departments)


@cached_query
def task_table(*, scope: Scope, today: date) -> pd.DataFrame:
    """One row per task the viewer may see, with its overall progress and status, the
    regions of its chain (``chain_adcodes``), its units, and days left to its due date."""
    columns = ["id", "code", "name", "group_code", "group_name", "system_code", "system_name",
               "domain", "reform", "lead_department", "lead_name", "unit_names", "unit_codes",
               "region_adcode", "region_name", "start_date", "due_date", "progress", "status",
               "elapsed", "at_risk", "days_left", "chain_adcodes", "last_reported_on"]
    tasks = _frame(
        select(Task, System.name.label("system_name"), System.sort_order.label("system_order"),
               Department.name.label("lead_name"))
        .join(System, System.code == Task.system_code)
        .join(Department, Department.code == Task.lead_department)
        .where(task_clause(scope))
        .order_by(Task.code))
    if tasks.empty:
        return pd.DataFrame(columns=columns)
    units = _frame(select(TaskUnit.task_id, TaskUnit.department_code,
                          Department.name.label("unit_name"))
                   .join(Department, Department.code == TaskUnit.department_code)
                   .where(TaskUnit.task_id.in_(visible_task_ids(scope)))
                   .order_by(TaskUnit.task_id, TaskUnit.department_code))
    chain = task_chains(scope=scope, today=today)
    root = chain[chain["is_root"]].set_index("task_id")
    names = queries.region_names(scope=scope)
    unit_codes = _lists_by(units, "task_id", "department_code")
    tasks["unit_codes"] = [unit_codes.get(i, []) for i in tasks["id"]]
    unit_names = {task: "、".join(names)
                  for task, names in _lists_by(units, "task_id", "unit_name").items()}
    tasks["unit_names"] = [unit_names.get(i, "") for i in tasks["id"]]
    tasks["region_name"] = tasks["region_adcode"].map(names)
    tasks["group_name"] = tasks["group_code"].map(TASK_GROUPS).fillna(tasks["group_code"])
    tasks["chain_adcodes"] = tasks["id"].map(_lists_by(chain, "task_id", "adcode"))
    tasks["progress"] = tasks["id"].map(root["progress"])
    tasks["last_reported_on"] = tasks["id"].map(
        chain.groupby("task_id")["last_reported_on"].max())
    # The SQL chose the tasks; every one has a region of its chain in the viewer's scope.
    tasks = tasks[tasks["chain_adcodes"].apply(lambda v: isinstance(v, list) and len(v) > 0)
                  ].copy()
    # A viewer who sees only part of the chain still sees the task's overall progress.
    overall = _overall_progress(scope=scope, today=today)
    tasks["progress"] = tasks["id"].map(overall).fillna(tasks["progress"]).fillna(0.0)
    tasks["start_date"] = tasks["start_date"].map(_as_date)
    tasks["due_date"] = tasks["due_date"].map(_as_date)
    _add_status(tasks, today)
    return tasks.sort_values(["status_rank", "due_date", "code"])[columns + ["status_rank"]
                                                                   ].reset_index(drop=True)


def _overall_progress(*, scope: Scope, today: date) -> dict[int, float]:
    if scope.regions is None:
        return {}
    chain = task_chains(scope=_everything(scope), today=today)
    return chain[chain["is_root"]].set_index("task_id")["progress"].to_dict()


def _add_status(frame: pd.DataFrame, today: date) -> None:
    frame["status"] = [rules.task_status(start=s, due=d, progress=p, today=today)
                       for s, d, p in zip(frame["start_date"], frame["due_date"],
                                          frame["progress"], strict=True)]
    frame["elapsed"] = [round(rules.time_elapsed(start=s, due=d, today=today), 1)
                        for s, d in zip(frame["start_date"], frame["due_date"], strict=True)]
    frame["at_risk"] = [rules.at_risk(status=st, start=s, due=d, progress=p, today=today)
                        for st, s, d, p in zip(frame["status"], frame["start_date"],
                                               frame["due_date"], frame["progress"],
                                               strict=True)]
    frame["days_left"] = [(d - today).days for d in frame["due_date"]]
    frame["status_rank"] = frame["status"].map(rules.status_rank)


@dataclass(frozen=True)
class TaskFilter:
    """What ``/tasks`` shows (empty means "all"); frozen with a stable ``repr``, so it can be
    a cache key. Codes throughout: a group, system, department, region adcode, status."""

    group: str | None = None
    system: str | None = None
    department: str | None = None
    region: str | None = None
    status: str | None = None
    due_within: int | None = None  # days from today; overdue tasks count as due

    def but(self, **changes: object) -> TaskFilter:
        return replace(self, **changes)


def filter_tasks(tasks: pd.DataFrame, choice: TaskFilter, *,
                 regions: pd.DataFrame) -> pd.DataFrame:
    """The tasks matching the filter panel. A region matches a task whose chain reaches the
    region or its subtree, or whose root lies in the region's subtree."""
    keep = pd.Series(True, index=tasks.index)
    if choice.group:
        keep &= tasks["group_code"] == choice.group
    if choice.system:
        keep &= tasks["system_code"] == choice.system
    if choice.department:
        keep &= np.array([choice.department == lead or choice.department in units
                          for lead, units in zip(tasks["lead_department"], tasks["unit_codes"],
                                                 strict=True)], dtype=bool)
    if choice.region:
        subtree = set(regions.loc[[choice.region in anc or a == choice.region
                                   for a, anc in zip(regions["adcode"], regions["ancestors"],
                                                     strict=True)], "adcode"])
        keep &= np.array([bool(subtree.intersection(chain)) for chain in tasks["chain_adcodes"]],
                         dtype=bool)
    if choice.status:
        keep &= tasks["status"] == choice.status
    if choice.due_within is not None:
        keep &= (tasks["days_left"] <= choice.due_within) & (tasks["status"] != rules.DONE)
    return tasks[keep]


@cached_query
def region_tasks(*, scope: Scope, adcode: str, today: date) -> pd.DataFrame:
    """The tasks that reach a region's subtree, each with its status *at that region*
    (the chain's node for the region where it has one, else the task's overall status),
    the worst first."""
    tasks = task_table(scope=scope, today=today)
    tree = queries.regions(scope=scope)
    matching = filter_tasks(tasks, TaskFilter(region=adcode), regions=tree).copy()
    chain = task_chains(scope=scope, today=today)
    here = chain[chain["adcode"] == adcode].set_index("task_id")["progress"]
    local = matching["id"].map(here)
    matching["progress"] = local.fillna(matching["progress"])
    _add_status(matching, today)
    matching["attention"] = [0 if s == rules.OVERDUE else 1 if r else 2
                             for s, r in zip(matching["status"], matching["at_risk"],
                                             strict=True)]
    return matching.sort_values(["attention", "status_rank", "due_date", "code"]
                                ).reset_index(drop=True)


@cached_query
def task_detail(*, scope: Scope, code: str, today: date) -> dict | None:
    """One task: its row of :func:`task_table`, milestones, indicators, reports, chain
    (regions the viewer may see) and directives; ``None`` when it does not exist or is
    not visible."""
    tasks = task_table(scope=scope, today=today)
    found = tasks[tasks["code"] == code]
    if found.empty:
        return None
    task = found.iloc[0].to_dict()
    task_id = int(task["id"])
    milestones = _frame(select(TaskMilestone.name, TaskMilestone.due_date,
                               TaskMilestone.done_on)
                        .where(TaskMilestone.task_id == task_id,
                               TaskMilestone.task_id.in_(visible_task_ids(scope)))
                        .order_by(TaskMilestone.due_date))
    tree = queries.regions(scope=scope).set_index("adcode")
    chain = task_chains(scope=scope, today=today)
    chain = chain[chain["task_id"] == task_id].copy()
    # The lead department's reports at the task's root region, or, for a viewer who does not
    # see the root, at the highest region of the chain the viewer sees.
    reported_at = task["region_adcode"]
    if reported_at not in tree.index and len(chain):
        reported_at = chain.assign(depth=chain["ancestors"].map(len)).sort_values(
            ["depth", "adcode"])["adcode"].iloc[0]
    reports = _frame(select(TaskReport.region_adcode, TaskReport.reported_on,
                            TaskReport.progress, TaskReport.summary, TaskReport.reporter)
                     .where(TaskReport.task_id == task_id, TaskReport.reported_on <= today,
                            TaskReport.region_adcode == reported_at,
                            scope.region_clause(TaskReport.region_adcode))
                     .order_by(TaskReport.reported_on.desc(), TaskReport.id.desc()))
    chain["depth"] = chain["ancestors"].map(len)
    # Tree order: the province, then each city followed by its counties.
    chain["path"] = [tuple(a) + (c,) for a, c in zip(chain["ancestors"], chain["adcode"],
                                                      strict=True)]
    chain = chain.sort_values("path").drop(columns="path").reset_index(drop=True)
    codes = _frame(select(TaskIndicator.indicator_code)
                   .where(TaskIndicator.task_id == task_id,
                          TaskIndicator.task_id.in_(visible_task_ids(scope))))
    period = queries.dataset_status(scope=scope)["latest_period"]
    indicators = pd.DataFrame()
    if len(codes) and period and reported_at in tree.index:
        status = queries.indicator_status(scope=scope, adcodes=(reported_at,), period=period)
        indicators = status[status["indicator_code"].isin(codes["indicator_code"])]
    return {"task": task, "milestones": milestones, "reports": reports, "chain": chain,
            "indicators": indicators.reset_index(drop=True), "indicator_period": period,
            "indicator_region": reported_at,
            "directives": directives(scope=scope, today=today, task_id=task_id)}


def sees_departments(scope: Scope) -> bool:
    """Whether directives sent to departments (provincial bodies) are within the scope: not
    for a viewer limited to cities or counties."""
    from data.reference import PROVINCE

    return scope.regions is None or PROVINCE in scope.regions


def directive_clauses(scope: Scope) -> tuple[ColumnElement[bool], ...]:
    """The directives the viewer may see: of a task the viewer sees, sent to a region of the
    viewer's scope or to one of its departments (in SQL). A department that receives one is
    a provincial body, outside any city or county: a viewer limited to cities or counties sees
    only those sent to its regions (:func:`sees_departments`)."""
    to_region = scope.region_clause(TaskDirective.receiver_region)  # NULL: in no subtree
    if sees_departments(scope):
        to_region = or_(TaskDirective.receiver_region.is_(None), to_region)
    return (task_clause(scope), to_region,
            or_(TaskDirective.receiver_department.is_(None),
                scope.department_clause(TaskDirective.receiver_department)))


def refusal(*, scope: Scope, code: str) -> str:
    """Why :func:`task_detail` found nothing: 无权限 (audited) if the task exists outside the
    viewer's scope, else not found."""
    with read_connection() as conn:
        exists = conn.execute(select(Task.id).where(Task.code == code)).first()
    if exists is None:
        return f"未找到编号为“{code}”的重大任务。"
    from data import audit

    audit.record_denied(f"任务 {code}")
    return "无权限：该任务不在您的账号可查看的范围内。"


@cached_query
def directives(*, scope: Scope, today: date, task_id: int | None = None) -> pd.DataFrame:
    """Instructions and supervision orders, newest first, with the receiver's name, the
    reply, whether it was answered in time (:func:`tasks_rules.answered_in_time`), and the
    task they belong to."""
    # As they stood at the end of ``today``: nothing written later exists yet (a briefing of a
    # past window is told so; on today itself nothing is later).
    end_of_day = datetime.combine(today, datetime.max.time())
    statement = (select(TaskDirective, Task.code.label("task_code"),
                        Task.name.label("task_name"))
                 .join(Task, Task.id == TaskDirective.task_id)
                 .where(TaskDirective.created_at <= end_of_day, *directive_clauses(scope))
                 .order_by(TaskDirective.created_at.desc(), TaskDirective.id.desc()))
    if task_id is not None:
        statement = statement.where(TaskDirective.task_id == task_id)
    frame = _frame(statement)
    replies = _frame(select(TaskDirectiveReply.directive_id, TaskDirectiveReply.body,
                            TaskDirectiveReply.replied_by, TaskDirectiveReply.replied_at)
                     .join(TaskDirective, TaskDirective.id == TaskDirectiveReply.directive_id)
                     .join(Task, Task.id == TaskDirective.task_id)
                     .where(TaskDirectiveReply.replied_at <= end_of_day,
                            *directive_clauses(scope))
                     .order_by(TaskDirectiveReply.replied_at))
    first_reply = replies.groupby("directive_id").first() if len(replies) else pd.DataFrame(
        columns=["body", "replied_by", "replied_at"])
    names = {**departments(scope=_everything(scope)).set_index("code")["name"].to_dict(),
             **queries.region_names(scope=scope)}
    if frame.empty:
        return frame.assign(receiver_name=[], reply=[], replied_by=[], replied_at=[],
                            answered=[], kind_name=[])
    frame = frame.copy()
    receiver = frame["receiver_department"].where(frame["receiver_department"].notna(),
                                                  frame["receiver_region"])
    frame["receiver"] = receiver
    frame["receiver_name"] = receiver.map(names)
    frame["reply"] = frame["id"].map(first_reply["body"])
    frame["replied_by"] = frame["id"].map(first_reply["replied_by"])
    frame["replied_at"] = frame["id"].map(first_reply["replied_at"])
    frame["deadline"] = frame["deadline"].map(_as_date)
    frame["answered"] = [
        rules.answered_in_time(deadline=d, replied_on=None if pd.isna(r) else
                               pd.Timestamp(r).date(), today=today)
        for d, r in zip(frame["deadline"], frame["replied_at"], strict=True)]
    frame["kind_name"] = frame["kind"].map(rules.DIRECTIVE_KINDS)
    return frame.reset_index(drop=True)


def receivers(*, scope: Scope) -> list[dict[str, str]]:
    """The units a directive can be sent to: departments (provincial bodies: for a viewer
    who sees them, :func:`sees_departments`), then cities and counties."""
    options = [] if not sees_departments(scope) else [
        {"label": name, "value": f"dept:{code}"} for code, name in
        departments(scope=scope)[["code", "name"]].itertuples(index=False)]
    tree = queries.regions(scope=scope)
    for adcode, name, level in tree[["adcode", "name", "level"]].itertuples(index=False):
        label = name if level != "county" else f"　{name}"
        options.append({"label": label, "value": f"region:{adcode}"})
    return options


class DirectiveRefused(ValueError):
    """The form's input is refused; ``messages`` say why (in Chinese)."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("；".join(messages))
        self.messages = messages


def add_directive(*, scope: Scope, task_code: str, kind: str, author_name: str,
                  author_role: str, body: str, receiver: str | None, deadline: date | str | None,
                  today: date, corrects_id: int | None = None,
                  now: datetime | None = None, by: Account | None = None) -> int:
    """Store a new instruction or supervision order (append-only) and return its id.

    Raises :class:`DirectiveRefused` with every reason when the input is refused. The text is
    stored as typed (HTML or script included) and is always shown as plain text.
    """
    if scope.read_only:
        raise DirectiveRefused([ReadOnly.message])
    task = task_table(scope=scope, today=today)
    task = task[task["code"] == task_code]
    known = {o["value"] for o in receivers(scope=scope)}
    earlier = None
    if corrects_id is not None and not task.empty:
        existing = directives(scope=scope, today=today, task_id=int(task["id"].iloc[0]))
        earlier = corrects_id if corrects_id in set(existing["id"]) else -1
    problems = rules.validate_directive(
        task_exists=not task.empty, kind=kind, author_name=author_name,
        author_role=author_role, body=body, receiver=receiver, known_receivers=known,
        deadline=deadline, today=today, corrects_known=earlier != -1)
    if problems:
        raise DirectiveRefused(problems)
    kind_of, code = receiver.split(":", 1)
    with write_transaction() as conn:
        written = conn.execute(TaskDirective.__table__.insert().values(
            task_id=int(task["id"].iloc[0]), kind=kind, author_name=author_name.strip(),
            author_role=author_role.strip(), body=body.strip(),
            receiver_department=code if kind_of == "dept" else None,
            receiver_region=code if kind_of == "region" else None,
            deadline=rules.parse_date(deadline), corrects_id=corrects_id,
            created_at=(now or clock.now(scope=scope)).replace(microsecond=0), source="user",
        )).inserted_primary_key[0]
    audit.record("directive", by=by, target=f"任务 {task_code}",
                 detail=f"{rules.DIRECTIVE_KINDS.get(kind, kind)} #{written} → {receiver}")
    return written


def add_reply(*, scope: Scope, task_code: str, directive_id: int | None,
              replied_by: str | None, body: str | None, today: date,
              now: datetime | None = None, by: Account | None = None) -> int:
    """Store the receiving unit's reply to a directive of the task (append-only; the first
    reply decides whether it was answered in time). Raises :class:`DirectiveRefused`."""
    if scope.read_only:
        raise DirectiveRefused([ReadOnly.message])
    task = task_table(scope=scope, today=today)
    task = task[task["code"] == task_code]
    known = (set(directives(scope=scope, today=today, task_id=int(task["id"].iloc[0]))["id"])
             if not task.empty else set())
    problems = rules.validate_reply(directive_known=directive_id in known,
                                    replied_by=replied_by, body=body)
    if problems:
        raise DirectiveRefused(problems)
    with write_transaction() as conn:
        written = conn.execute(TaskDirectiveReply.__table__.insert().values(
            directive_id=int(directive_id), body=body.strip(), replied_by=replied_by.strip(),
            replied_at=(now or clock.now(scope=scope)).replace(microsecond=0), source="user",
        )).inserted_primary_key[0]
    audit.record("reply", by=by, target=f"任务 {task_code}",
                 detail=f"回复 #{directive_id}（{replied_by.strip()}）")
    return written


def status_counts(frame: pd.DataFrame) -> dict[str, int]:
    """Tasks per status, in the order of :data:`tasks_rules.STATUSES`."""
    counts = frame["status"].value_counts() if len(frame) else pd.Series(dtype=int)
    return {s: int(counts.get(s, 0)) for s in rules.STATUSES}



@cached_query
def milestones(*, scope: Scope) -> pd.DataFrame:
    """The milestones of the tasks the viewer sees, with the task's code (for the timeline)."""
    return _frame(select(Task.code, TaskMilestone.name, TaskMilestone.due_date,
                         TaskMilestone.done_on)
                  .join(Task, Task.id == TaskMilestone.task_id)
                  .where(task_clause(scope))
                  .order_by(Task.code, TaskMilestone.due_date))


def directives_for_receiver(directives: pd.DataFrame, *, department: str | None,
                            region: str | None, regions: pd.DataFrame) -> pd.DataFrame:
    """The directives addressed to a department, or to a region or any region beneath it
    (both given: either); all of them when neither is given."""
    if not department and not region:
        return directives
    keep = pd.Series(False, index=directives.index)
    if department:
        keep |= directives["receiver_department"] == department
    if region:
        subtree = {a for a, anc in zip(regions["adcode"], regions["ancestors"], strict=True)
                   if a == region or region in anc}
        keep |= directives["receiver_region"].isin(subtree)
    return directives[keep]
