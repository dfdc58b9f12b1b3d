"""Tables of the ledger of major reforms and applications (重大改革（重大应用）“一本账”): each
application with its system, lead unit, level (the province's list, a system's list, a city's
特色 list), launch date, users and rates, and the regions that have adopted it (a city's
特色应用 promoted to the province: 一地创新、全省共享)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from data.schema import Base


class App(Base):
    __tablename__ = "apps"
    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    system_code: Mapped[str] = mapped_column(ForeignKey("systems.code"))
    lead_department: Mapped[str] = mapped_column(ForeignKey("departments.code"))
    #: ``province`` (省委改革委的重大应用), ``system`` (系统清单), ``city`` (设区市特色应用).
    level: Mapped[str] = mapped_column(String(10))
    #: The region whose list holds it: the province, or the city of a 特色应用.
    home_region: Mapped[str] = mapped_column(ForeignKey("regions.adcode"))
    launched_on: Mapped[date] = mapped_column(Date)
    #: Registered users (人), and the rates in percent: 活跃率 (users active in the month),
    #: 实活率 (users who completed a real transaction), 满意率.
    users: Mapped[int] = mapped_column(Integer)
    active_rate: Mapped[float] = mapped_column(Float)
    real_active_rate: Mapped[float] = mapped_column(Float)
    satisfaction: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(20))
    batch_id: Mapped[int | None] = mapped_column(Integer, index=True)
    source_row: Mapped[int | None] = mapped_column(Integer)


class AppAdoption(Base):
    """A county (or city) that put the application to use, and when."""

    __tablename__ = "app_adoptions"
    app_code: Mapped[str] = mapped_column(ForeignKey("apps.code"), primary_key=True)
    region_adcode: Mapped[str] = mapped_column(ForeignKey("regions.adcode"), primary_key=True)
    adopted_on: Mapped[date] = mapped_column(Date)
    batch_id: Mapped[int | None] = mapped_column(Integer, index=True)
    source_row: Mapped[int | None] = mapped_column(Integer)
