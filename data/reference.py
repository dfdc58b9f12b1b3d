"""Reference data shipped with the project: regions, systems, departments, the indicator
catalogue and the province's targets (the plan's and those derived from them, see
:mod:`data.targets`). ``init-db`` loads them (idempotently); a target imported or taken
from an annual document is never overwritten by them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
from sqlalchemy import Connection, select

from data.risk_schema import Hazard, RiskLevel
from data.schema import Department, Indicator, IndicatorTarget, Region, System
from data.targets import province_targets

FILES = Path(__file__).resolve().parent / "files"
GEO = Path(__file__).resolve().parent / "geo"
PROVINCE = "330000"
#: Derived targets reach at least this year (and the calendar year once it is later).
DERIVE_UNTIL = 2026
#: Target sources the reference data owns (and may rewrite); others are never touched.
REFERENCE_TARGET_SOURCES = ("plan", "derived")


def read_regions() -> pd.DataFrame:
    regions = pd.read_csv(
        GEO / "zhejiang_regions.csv", dtype={"adcode": str, "parent_adcode": str}
    )
    stats = pd.read_csv(FILES / "region_stats.csv", dtype={"adcode": str})
    regions = regions.merge(
        stats[["adcode", "population_2020"]], on="adcode", how="left", validate="1:1"
    )
    regions = regions.rename(columns={"population_2020": "population"})
    regions.loc[regions["level"] == "province", "parent_adcode"] = None
    return regions[
        ["adcode", "name", "level", "parent_adcode", "population", "area_km2", "label_lon",
         "label_lat"]
    ]


def read_systems() -> pd.DataFrame:
    return pd.read_csv(FILES / "systems.csv", dtype=str).astype({"sort_order": int})


def read_departments() -> pd.DataFrame:
    return pd.read_csv(FILES / "departments.csv", dtype=str)


def read_indicators() -> pd.DataFrame:
    frame = pd.read_csv(FILES / "indicators.csv", dtype={"definition": str, "source": str})
    frame["sort_order"] = range(1, len(frame) + 1)
    return frame


def read_risk_levels() -> pd.DataFrame:
    return pd.read_csv(FILES / "risk_levels.csv", dtype=str).astype({"rank": int})


def read_hazards() -> pd.DataFrame:
    return pd.read_csv(FILES / "hazards.csv", dtype=str).astype({"sort_order": int})


def reference_targets(indicators: pd.DataFrame) -> pd.DataFrame:
    """The province's targets: the plan's and the derived ones (source ``plan``/``derived``)."""
    until = max(DERIVE_UNTIL, date.today().year)
    return province_targets(indicators, until=until).assign(region_adcode=PROVINCE)


def _records(frame: pd.DataFrame, columns: list[str]) -> list[dict]:
    clean = frame[columns].astype(object).where(frame[columns].notna(), None)
    return clean.to_dict("records")


def _upsert(conn: Connection, model: type, records: list[dict], keys: tuple[str, ...]) -> None:
    table = model.__table__
    existing = {
        tuple(row) for row in conn.execute(select(*(table.c[k] for k in keys))).all()
    }
    new = [r for r in records if tuple(r[k] for k in keys) not in existing]
    old = [r for r in records if tuple(r[k] for k in keys) in existing]
    if new:
        conn.execute(table.insert(), new)
    for record in old:
        condition = [table.c[k] == record[k] for k in keys]
        conn.execute(table.update().where(*condition).values(**record))


def load_reference(conn: Connection) -> None:
    """Insert or update the reference tables from the files in ``data/``."""
    _upsert(conn, Region, _records(read_regions(), [c.name for c in Region.__table__.c]),
            ("adcode",))
    _upsert(conn, System, _records(read_systems(), ["code", "name", "sort_order"]), ("code",))
    _upsert(conn, Department, _records(read_departments(), ["code", "name"]), ("code",))
    indicators = read_indicators()
    _upsert(conn, Indicator, _records(indicators, [c.name for c in Indicator.__table__.c]),
            ("code",))
    _upsert(conn, RiskLevel, _records(read_risk_levels(), ["code", "name", "short_name",
                                                           "colour", "rank"]), ("code",))
    _upsert(conn, Hazard, _records(read_hazards(), ["code", "name", "sort_order"]), ("code",))
    from data.problems_queries import load_problem_lists  # the seven lists (七张问题清单)

    load_problem_lists(conn)
    _load_targets(conn, reference_targets(indicators))
    from data.ranking_queries import load_defaults  # the board's weights and lists (赛马榜)

    load_defaults(conn)
    from data.appeals_demo import load_appeal_lists  # 民呼我为's categories and channels

    load_appeal_lists(conn)


def _load_targets(conn: Connection, targets: pd.DataFrame) -> None:
    """Write the reference targets where no imported or documented target stands."""
    table = IndicatorTarget.__table__
    keys = ("indicator_code", "region_adcode", "year")
    owned = {  # an imported target (it has a batch) is never the reference's to rewrite
        tuple(row[:3]): (row[3] if row[4] is None else "import") for row in conn.execute(
            select(table.c.indicator_code, table.c.region_adcode, table.c.year,
                   table.c.source, table.c.batch_id)
            .where(table.c.region_adcode == PROVINCE)).all()
    }
    records = _records(targets, ["indicator_code", "region_adcode", "year", "target",
                                 "source", "due_month", "wording", "basis"])
    writable = [r for r in records
                if owned.get(tuple(r[k] for k in keys), "plan") in REFERENCE_TARGET_SOURCES]
    _upsert(conn, IndicatorTarget, writable, keys)
    # A reference target the files no longer give (the plan re-read, a rule changed) goes.
    wanted = {tuple(r[k] for k in keys) for r in records}
    for key, source in owned.items():
        if source in REFERENCE_TARGET_SOURCES and key not in wanted:
            conn.execute(table.delete().where(
                *(table.c[k] == v for k, v in zip(keys, key, strict=True))))
