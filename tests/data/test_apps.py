"""The ledger of major applications (一本账) on SQLite and PostgreSQL: the scope in SQL (a city
sees the province's and its own 特色应用; a department its own), adoption counted by county,
and adoption over time on constructed rows."""

from __future__ import annotations

from datetime import date

import pytest

from data import apps_queries as apq
from data.apps_schema import App, AppAdoption
from data.scope import EVERYTHING, Scope
from data.store import write_transaction


def _app(code: str, level: str, home: str, dept: str = "BIGDATA") -> dict:
    return {"code": code, "name": f"应用{code}", "system_code": "DIGITAL_GOV",
            "lead_department": dept, "level": level, "home_region": home,
            "launched_on": date(2025, 1, 1), "users": 1000, "active_rate": 40.0,
            "real_active_rate": 20.0, "satisfaction": 90.0, "source": "import"}


@pytest.fixture
def constructed(fresh):
    with write_transaction() as conn:
        conn.execute(App.__table__.insert(), [
            _app("P", "province", "330000"), _app("HZ", "city", "330100", "GOV_OFFICE"),
            _app("NB", "city", "330200", "GOV_OFFICE")])
        conn.execute(AppAdoption.__table__.insert(), [
            {"app_code": "P", "region_adcode": a, "adopted_on": d} for a, d in (
                ("330106", date(2025, 2, 10)), ("330108", date(2025, 4, 1)),
                ("330203", date(2025, 4, 30)), ("330100", date(2025, 1, 5)))] + [
            {"app_code": "HZ", "region_adcode": "330106", "adopted_on": date(2025, 3, 1)}])
    return fresh


def test_the_ledger_and_its_scope(constructed):
    everything = apq.ledger(scope=EVERYTHING).set_index("code")
    assert list(everything.index) == ["P", "HZ", "NB"]  # province first, then by launch
    assert everything.loc["P", "counties"] == 3  # the city's own row is not a county
    assert everything.loc["HZ", "home_name"] == "杭州市"
    hangzhou = apq.ledger(scope=Scope(regions=("330100",))).set_index("code")
    assert list(hangzhou.index) == ["P", "HZ"]
    assert hangzhou.loc["P", "counties"] == 2  # Ningbo's county is not counted for it
    office = apq.ledger(scope=Scope(departments=("GOV_OFFICE",)))
    assert set(office["code"]) == {"HZ", "NB"}
    assert list(apq.filter_ledger(apq.ledger(scope=EVERYTHING),
                                  apq.AppFilter(level="city"))["code"]) == ["HZ", "NB"]


def test_adoption_over_time(constructed):
    series = apq.adoption_over_time(apq.adoptions(scope=EVERYTHING), app="P",
                                    until=date(2025, 6, 15))
    assert list(series["month"]) == ["2025-02", "2025-03", "2025-04", "2025-05", "2025-06"]
    assert list(series["counties"]) == [1, 1, 3, 3, 3]
    assert apq.adoption_over_time(apq.adoptions(scope=EVERYTHING), app="NB",
                                  until=date(2025, 6, 15)).empty
