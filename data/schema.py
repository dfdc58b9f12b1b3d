"""The store's schema (SQLAlchemy 2 declarative). Alembic migrations in ``data/migrations``
create exactly these tables; ``tests/data/test_migrations.py`` checks that they agree."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Region(Base):
    """Province, city or county-level unit, keyed by its 6-digit adcode (a string)."""

    __tablename__ = "regions"
    adcode: Mapped[str] = mapped_column(String(6), primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    level: Mapped[str] = mapped_column(String(10))  # province / city / county
    parent_adcode: Mapped[str | None] = mapped_column(String(6), index=True)
    population: Mapped[int | None] = mapped_column(Integer)
    area_km2: Mapped[float | None] = mapped_column(Float)
    label_lon: Mapped[float | None] = mapped_column(Float)
    label_lat: Mapped[float | None] = mapped_column(Float)


class System(Base):
    """A 'runway' (跑道) such as 数字政府; kept as data because the list changes."""

    __tablename__ = "systems"
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    sort_order: Mapped[int] = mapped_column(Integer)


class Department(Base):
    __tablename__ = "departments"
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))


class Indicator(Base):
    __tablename__ = "indicators"
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    system_code: Mapped[str] = mapped_column(ForeignKey("systems.code"))
    unit: Mapped[str] = mapped_column(String(20))
    direction: Mapped[str] = mapped_column(String(10))  # higher / lower is better
    owner_department: Mapped[str] = mapped_column(ForeignKey("departments.code"))
    frequency: Mapped[str] = mapped_column(String(20))  # monthly / quarterly / yearly
    #: level: a rate or level to hold; stock: a cumulative count; ytd: a year-to-date flow.
    target_kind: Mapped[str] = mapped_column(String(10))
    #: sum: a region's value is the sum of its children's; mean: population-weighted mean.
    aggregation: Mapped[str] = mapped_column(String(10))
    decimals: Mapped[int] = mapped_column(Integer, default=1)
    #: Progress against the time-prorated target (序时进度), in %, below which the light is red.
    alert_threshold: Mapped[float] = mapped_column(Float)
    #: Progress, in %, at or above which the light is green.
    excellent_threshold: Mapped[float] = mapped_column(Float)
    sort_order: Mapped[int] = mapped_column(Integer)
    #: The deepest level the indicator is counted at (province, city or county); below it
    #: the indicator does not apply (不适用).
    lowest_level: Mapped[str] = mapped_column(String(10), default="county")
    #: How targets of years the plan did not set are derived (see :mod:`data.targets`).
    target_rule: Mapped[str] = mapped_column(String(20), default="interpolate")
    #: What exactly is counted (口径).
    definition: Mapped[str | None] = mapped_column(Text)
    #: The document the indicator comes from (e.g. ``001``, the province's plan).
    source: Mapped[str | None] = mapped_column(String(20))


class IndicatorTarget(Base):
    """The target a region must reach in a year, by its due month (December by default)."""

    __tablename__ = "indicator_targets"
    indicator_code: Mapped[str] = mapped_column(ForeignKey("indicators.code"), primary_key=True)
    region_adcode: Mapped[str] = mapped_column(ForeignKey("regions.adcode"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    target: Mapped[float] = mapped_column(Float)
    #: 'plan' (the province's plan), 'document' (an annual document), 'import', 'derived'
    #: (推算 from other targets) or 'demo' (made by the demo generator; also derived).
    source: Mapped[str] = mapped_column(String(20))
    #: The month by whose end the target is due (完成时限); the light prorates to it.
    due_month: Mapped[int] = mapped_column(Integer, default=12)
    #: The wording: at_least 以上, about 左右, strive 力争, full 全面, below 以下 (or none).
    wording: Mapped[str | None] = mapped_column(String(10))
    #: Where the figure comes from, in words (the plan's sentence, a document, a derivation).
    basis: Mapped[str | None] = mapped_column(Text)
    #: The import batch that wrote the row (``None``: demo, reference data or a form) and
    #: the row of its file (provenance; see :mod:`data.imports_schema`).
    batch_id: Mapped[int | None] = mapped_column(Integer, index=True)
    source_row: Mapped[int | None] = mapped_column(Integer)


class IndicatorValue(Base):
    """The value of an indicator for a region at the end of a month (period 'YYYY-MM').

    The one table that grows to millions of rows has no foreign keys: a bulk import checks
    every row's indicator and region before writing (:mod:`data.imports`), and the database's
    per-row checks would double the time of a million-row load. Only the importer and the
    demo generator write it."""

    __tablename__ = "indicator_values"
    indicator_code: Mapped[str] = mapped_column(String(40), primary_key=True)
    region_adcode: Mapped[str] = mapped_column(String(6), primary_key=True)
    period: Mapped[str] = mapped_column(String(7), primary_key=True, index=True)
    value: Mapped[float] = mapped_column(Float)
    #: Indexed: the data's freshness (the newest value) is read from its end.
    updated_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    source: Mapped[str] = mapped_column(String(20))  # 'demo' or 'import'
    #: The import batch that wrote the row (``None``: demo, reference data or a form) and
    #: the row of its file (provenance; see :mod:`data.imports_schema`).
    batch_id: Mapped[int | None] = mapped_column(Integer, index=True)
    source_row: Mapped[int | None] = mapped_column(Integer)


class DataVersion(Base):
    """One row, bumped by every write to the store; cached query results are keyed by it."""

    __tablename__ = "data_version"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    changed_at: Mapped[datetime] = mapped_column(DateTime)


class DatasetInfo(Base):
    """Facts about what is loaded, e.g. whether the figures are demo data."""

    __tablename__ = "dataset_info"
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


# Topics (risk, tasks, problems …) keep their tables in modules of their own, which declare
# them on this Base; they are imported at the end of this module so that Base.metadata, and
# so Alembic and the tests, always see every table.
from data import (  # noqa: E402,F401
    appeals_schema,
    apps_schema,
    auth_schema,
    briefings_schema,
    imports_schema,
    problems_schema,
    ranking_schema,
    risk_schema,
    tasks_schema,
)
