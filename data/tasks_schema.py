"""Tables of the major tasks (重大任务), their execution chain (执行链), progress reports,
milestones, and the leaders' instructions (批示) and supervision orders (督办单).

Status is never stored: :func:`data.tasks_rules.task_status` derives it from the dates and
the progress. A region's progress in the chain is its latest report, or the mean of its
assigned sub-regions (see :mod:`data.tasks_rules`). Directives are append-only: no code path
updates one; a correction is a new row whose ``corrects_id`` names the earlier one.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from data.schema import Base


class Task(Base):
    """A major task of the year, led by one department, scoped to a region (its root)."""

    __tablename__ = "tasks"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    #: Task group (任务事项组) as a code, e.g. ``common_prosperity`` (共同富裕); the list lives in
    #: data/tasks_rules.py, the names in config/labels.py.
    group_code: Mapped[str] = mapped_column(String(20), index=True)
    system_code: Mapped[str] = mapped_column(ForeignKey("systems.code"))
    #: One of the 19 main domains (主要领域), if the task belongs to one.
    domain: Mapped[str | None] = mapped_column(String(20))
    #: The 2022 major reform (重大改革) the task carries, if any.
    reform: Mapped[str | None] = mapped_column(String(40))
    lead_department: Mapped[str] = mapped_column(ForeignKey("departments.code"))
    region_adcode: Mapped[str] = mapped_column(ForeignKey("regions.adcode"))
    start_date: Mapped[date] = mapped_column(Date)
    due_date: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(20))  # 'demo' or 'import'
    #: The import batch that wrote the row (``None``: demo, reference data or a form) and
    #: the row of its file (provenance; see :mod:`data.imports_schema`).
    batch_id: Mapped[int | None] = mapped_column(Integer, index=True)
    source_row: Mapped[int | None] = mapped_column(Integer)


class TaskUnit(Base):
    """A responsible unit (责任单位) of a task besides its lead department."""

    __tablename__ = "task_units"
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id"), primary_key=True)
    department_code: Mapped[str] = mapped_column(ForeignKey("departments.code"),
                                                 primary_key=True)


class TaskRegion(Base):
    """A region that carries a task: a leaf of its execution chain (a city or a county)."""

    __tablename__ = "task_regions"
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id"), primary_key=True)
    region_adcode: Mapped[str] = mapped_column(ForeignKey("regions.adcode"), primary_key=True)


class TaskMilestone(Base):
    __tablename__ = "task_milestones"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    due_date: Mapped[date] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date)


class TaskIndicator(Base):
    """An indicator of the catalogue that measures a task."""

    __tablename__ = "task_indicators"
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id"), primary_key=True)
    indicator_code: Mapped[str] = mapped_column(ForeignKey("indicators.code"), primary_key=True)


class TaskReport(Base):
    """A progress report (进展报告) on a task for one region, with the progress in %."""

    __tablename__ = "task_reports"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id"), index=True)
    region_adcode: Mapped[str] = mapped_column(ForeignKey("regions.adcode"))
    reported_on: Mapped[date] = mapped_column(Date)
    progress: Mapped[float] = mapped_column(Float)
    summary: Mapped[str] = mapped_column(Text)
    reporter: Mapped[str] = mapped_column(String(80))
    source: Mapped[str] = mapped_column(String(20))
    #: The import batch that wrote the row (``None``: demo, reference data or a form) and
    #: the row of its file (provenance; see :mod:`data.imports_schema`).
    batch_id: Mapped[int | None] = mapped_column(Integer, index=True)
    source_row: Mapped[int | None] = mapped_column(Integer)


class TaskDirective(Base):
    """A leader's instruction (批示, kind 'instruction') or a supervision order (督办单,
    kind 'supervision') on a task, addressed to one department or one region. Immutable."""

    __tablename__ = "task_directives"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    author_name: Mapped[str] = mapped_column(String(40))
    author_role: Mapped[str] = mapped_column(String(60))
    body: Mapped[str] = mapped_column(Text)
    receiver_department: Mapped[str | None] = mapped_column(ForeignKey("departments.code"))
    receiver_region: Mapped[str | None] = mapped_column(ForeignKey("regions.adcode"))
    deadline: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    #: The earlier directive this one corrects (a correction never edits the original).
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("task_directives.id"))
    source: Mapped[str] = mapped_column(String(20))  # 'demo' or 'user'


class TaskDirectiveReply(Base):
    """The receiving unit's reply (回复) to a directive."""

    __tablename__ = "task_directive_replies"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    directive_id: Mapped[int] = mapped_column(ForeignKey("task_directives.id"), index=True)
    body: Mapped[str] = mapped_column(Text)
    replied_by: Mapped[str] = mapped_column(String(80))
    replied_at: Mapped[datetime] = mapped_column(DateTime)
    source: Mapped[str] = mapped_column(String(20))
