"""Tables of the seven problem lists (七张问题清单).

- ``problem_lists``: the lists themselves (巡视, 审计, 督查, 生态环保, 安全生产和自然灾害,
  网络舆情, 群众信访), kept as data because the set may change.
- ``problems``: one row per problem, with the date each stage of the closed loop was reached
  (发现 → 交办 → 整改中 → 待验收 → 已销号); the current stage is the last one reached.
- ``problem_moves``: the history of stage changes (from, to, who, when, note). Every move
  made through :func:`data.problems_queries.move_problem` is kept here.

The stage machine and the lights are in :mod:`data.problems_rules`.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from data.schema import Base


class ProblemList(Base):
    """One of the seven lists."""

    __tablename__ = "problem_lists"
    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    #: Two letters that start the problems' numbers (e.g. XS for 巡视).
    prefix: Mapped[str] = mapped_column(String(4))
    sort_order: Mapped[int] = mapped_column(Integer)


class Problem(Base):
    """A problem found by one of the lists, to be rectified by a region and a department."""

    __tablename__ = "problems"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    #: Human number, e.g. ``XS-2025-0012``.
    code: Mapped[str] = mapped_column(String(20), unique=True)
    list_code: Mapped[str] = mapped_column(ForeignKey("problem_lists.code"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    region_adcode: Mapped[str] = mapped_column(ForeignKey("regions.adcode"), index=True)
    department_code: Mapped[str] = mapped_column(ForeignKey("departments.code"), index=True)
    category: Mapped[str] = mapped_column(String(40))
    #: ``general`` 一般, ``serious`` 较重, ``major`` 重大.
    severity: Mapped[str] = mapped_column(String(10))
    #: ``found`` / ``assigned`` / ``rectifying`` / ``awaiting`` / ``closed``.
    stage: Mapped[str] = mapped_column(String(12), index=True)
    found_on: Mapped[date] = mapped_column(Date)
    deadline: Mapped[date] = mapped_column(Date)
    assigned_on: Mapped[date | None] = mapped_column(Date)
    rectifying_on: Mapped[date | None] = mapped_column(Date)
    awaiting_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    #: ``demo`` (generated) or ``import``.
    source: Mapped[str] = mapped_column(String(20))
    #: The import batch that wrote the row (``None``: demo, reference data or a form) and
    #: the row of its file (provenance; see :mod:`data.imports_schema`).
    batch_id: Mapped[int | None] = mapped_column(Integer, index=True)
    source_row: Mapped[int | None] = mapped_column(Integer)


class ProblemMove(Base):
    """One stage change of a problem: from, to, who moved it, when, and the note."""

    __tablename__ = "problem_moves"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    problem_id: Mapped[int] = mapped_column(
        ForeignKey("problems.id", ondelete="CASCADE"), index=True)
    #: ``None`` for the first entry (the problem was recorded as found).
    from_stage: Mapped[str | None] = mapped_column(String(12))
    to_stage: Mapped[str] = mapped_column(String(12))
    moved_by: Mapped[str] = mapped_column(String(50))
    moved_at: Mapped[datetime] = mapped_column(DateTime)
    note: Mapped[str | None] = mapped_column(Text)
    #: The import batch that wrote the row (``None``: demo, reference data or a form) and
    #: the row of its file (provenance; see :mod:`data.imports_schema`).
    batch_id: Mapped[int | None] = mapped_column(Integer, index=True)
    source_row: Mapped[int | None] = mapped_column(Integer)
