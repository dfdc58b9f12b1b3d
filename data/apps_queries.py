"""Queries of the ledger of major applications (一本账). The scope is applied in SQL: a viewer
sees the province's and the systems' applications and the 特色应用 of the cities it may see, of
the departments it may see (by lead unit), and the adoptions of its own regions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import or_, select

from data import queries
from data.apps_schema import App, AppAdoption
from data.queries import frame as _frame
from data.reference import PROVINCE
from data.schema import Department, Region, System
from data.scope import Scope
from data.store import cached_query

LEVELS = {"province": "省重大应用", "system": "系统重大应用", "city": "设区市特色应用"}


@dataclass(frozen=True)
class AppFilter:
    """A view of ``/apps``: filters of the ledger and the application whose adoption is
    shown."""

    system: str | None = None
    level: str | None = None
    dept: str | None = None
    app: str | None = None



def app_clause(scope: Scope):
    return (or_(App.home_region == PROVINCE, scope.region_clause(App.home_region)),
            scope.department_clause(App.lead_department))


@cached_query
def ledger(*, scope: Scope) -> pd.DataFrame:
    """Every application the viewer may see, with names and the number of counties (of the
    viewer's) that have adopted it, in the order of the ledger (level, launch)."""
    apps = _frame(select(App, System.name.label("system_name"),
                         Department.name.label("lead_name"))
                  .join(System, System.code == App.system_code)
                  .join(Department, Department.code == App.lead_department)
                  .where(*app_clause(scope)))
    if apps.empty:
        return apps
    adopted = adoptions(scope=scope)
    counties = adopted[adopted["level"] == "county"].groupby("app_code").size()
    names = queries.region_names(scope=scope)
    apps["home_name"] = apps["home_region"].map(names)
    apps["level_name"] = apps["level"].map(LEVELS)
    apps["counties"] = apps["code"].map(counties).fillna(0).astype(int)
    apps["launched_on"] = pd.to_datetime(apps["launched_on"]).dt.date
    order = {level: i for i, level in enumerate(LEVELS)}
    apps["level_order"] = apps["level"].map(order)
    return apps.sort_values(["level_order", "launched_on", "code"], ignore_index=True)


@cached_query
def adoptions(*, scope: Scope) -> pd.DataFrame:
    """Adoptions in the viewer's regions of the applications it may see: app_code,
    region_adcode, level, adopted_on."""
    frame = _frame(select(AppAdoption.app_code, AppAdoption.region_adcode, Region.level,
                          AppAdoption.adopted_on)
                   .join(Region, Region.adcode == AppAdoption.region_adcode)
                   .join(App, App.code == AppAdoption.app_code)
                   .where(scope.region_clause(AppAdoption.region_adcode), *app_clause(scope)))
    if len(frame):
        frame["adopted_on"] = pd.to_datetime(frame["adopted_on"]).dt.date
    return frame


def filter_ledger(frame: pd.DataFrame, choice: AppFilter) -> pd.DataFrame:
    out = frame
    for column, value in (("system_code", choice.system), ("level", choice.level),
                          ("lead_department", choice.dept)):
        if value:
            out = out[out[column] == value]
    return out.reset_index(drop=True)


def adoption_over_time(adopted: pd.DataFrame, *, app: str, until: date) -> pd.DataFrame:
    """Counties that had adopted ``app`` at the end of each month up to ``until``."""
    mine = adopted[(adopted["app_code"] == app) & (adopted["level"] == "county")]
    if mine.empty:
        return pd.DataFrame(columns=["month", "counties"])
    months = pd.period_range(pd.Period(min(mine["adopted_on"]), "M"), pd.Period(until, "M"),
                             freq="M")
    adopted_months = mine["adopted_on"].map(lambda d: pd.Period(d, "M"))
    return pd.DataFrame({"month": [m.strftime("%Y-%m") for m in months],
                         "counties": [int((adopted_months <= m).sum()) for m in months]})
