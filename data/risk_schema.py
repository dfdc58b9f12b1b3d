"""Tables of the five-colour natural-disaster risk map (自然灾害风险“五色图”).

Levels and hazards are data (``data/files/risk_levels.csv``, ``hazards.csv``): no public
source states the official scheme, so the five colours red → green are a default a
province can change without touching code.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from data.schema import Base


class RiskLevel(Base):
    __tablename__ = "risk_levels"
    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    short_name: Mapped[str] = mapped_column(String(10))
    colour: Mapped[str] = mapped_column(String(9))
    #: 1 is the highest risk; the overall level of a place is the one of lowest rank.
    rank: Mapped[int] = mapped_column(Integer, unique=True)


class Hazard(Base):
    __tablename__ = "hazards"
    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    sort_order: Mapped[int] = mapped_column(Integer)


class RiskEvent(Base):
    """A typhoon or flood whose assessments can be played over time."""

    __tablename__ = "risk_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(20))  # typhoon / flood
    started_at: Mapped[datetime] = mapped_column(DateTime)
    ended_at: Mapped[datetime] = mapped_column(DateTime)
    description: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(20))  # demo / import
    #: The import batch that wrote the row (``None``: demo, reference data or a form) and
    #: the row of its file (provenance; see :mod:`data.imports_schema`).
    batch_id: Mapped[int | None] = mapped_column(Integer, index=True)
    source_row: Mapped[int | None] = mapped_column(Integer)


class RiskAssessment(Base):
    """The risk level of a place for a hazard, as assessed at a time."""

    __tablename__ = "risk_assessments"
    __table_args__ = (
        Index("ix_risk_assessments_lookup", "event_id", "assessed_at", "region_adcode"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("risk_events.id"))
    region_adcode: Mapped[str] = mapped_column(ForeignKey("regions.adcode"), index=True)
    hazard_code: Mapped[str] = mapped_column(ForeignKey("hazards.code"))
    level_code: Mapped[str] = mapped_column(ForeignKey("risk_levels.code"))
    assessed_at: Mapped[datetime] = mapped_column(DateTime)
    source: Mapped[str] = mapped_column(String(20))
    #: The import batch that wrote the row (``None``: demo, reference data or a form) and
    #: the row of its file (provenance; see :mod:`data.imports_schema`).
    batch_id: Mapped[int | None] = mapped_column(Integer, index=True)
    source_row: Mapped[int | None] = mapped_column(Integer)


class RiskNotice(Base):
    """A risk notification letter (风险告知函) or supervision order (工作督办单) sent to a place."""

    __tablename__ = "risk_notices"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("risk_events.id"), index=True)
    region_adcode: Mapped[str] = mapped_column(ForeignKey("regions.adcode"), index=True)
    hazard_code: Mapped[str | None] = mapped_column(ForeignKey("hazards.code"))
    kind: Mapped[str] = mapped_column(String(20))  # notice (告知函) / order (督办单)
    title: Mapped[str] = mapped_column(String(200))
    issuer: Mapped[str] = mapped_column(String(80))
    issued_at: Mapped[datetime] = mapped_column(DateTime)
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime)
    source: Mapped[str] = mapped_column(String(20))
    #: The import batch that wrote the row (``None``: demo, reference data or a form) and
    #: the row of its file (provenance; see :mod:`data.imports_schema`).
    batch_id: Mapped[int | None] = mapped_column(Integer, index=True)
    source_row: Mapped[int | None] = mapped_column(Integer)


class Evacuation(Base):
    """People moved out of danger in a place (转移人数), cumulative for the event when reported."""

    __tablename__ = "evacuations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("risk_events.id"), index=True)
    region_adcode: Mapped[str] = mapped_column(ForeignKey("regions.adcode"))
    reported_at: Mapped[datetime] = mapped_column(DateTime)
    people: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(20))
    #: The import batch that wrote the row (``None``: demo, reference data or a form) and
    #: the row of its file (provenance; see :mod:`data.imports_schema`).
    batch_id: Mapped[int | None] = mapped_column(Integer, index=True)
    source_row: Mapped[int | None] = mapped_column(Integer)
