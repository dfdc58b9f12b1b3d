"""Deterministic demo ledger of major applications (演示数据): the province's major
applications named in the seeds (浙里办, 浙政钉, 七张问题清单, 公平在线, 浙食链 …), some of each
system's list, and cities' 特色应用 — two of them promoted to the whole province (一地创新、全省
共享). Users and rates are drawn around plausible levels; each county adopts an application
some months after its launch (a 特色应用: its own city's counties first, and for a promoted one
the rest of the province after its promotion)."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import numpy as np
import pandas as pd
from sqlalchemy import Connection, delete, func, select

from data.apps_schema import App, AppAdoption
from data.clock import DEMO_TODAY
from data.reference import PROVINCE, read_regions

SEED = 20210215  # the day the province launched its digital reform
# code, name, system, lead department, level, home region, launched, users (10,000s),
# promoted on (a 特色应用 taken up by the province) or None.
APPS = [
    ("ZLB", "浙里办", "DIGITAL_GOV", "BIGDATA", "province", PROVINCE, "2014-06-25", 8500, None),
    ("ZZD", "浙政钉", "DIGITAL_GOV", "BIGDATA", "province", PROVINCE, "2018-12-01", 180, None),
    ("QZWT", "七张问题清单", "PARTY_GOV", "REFORM_OFFICE", "province", PROVINCE, "2022-03-01",
     35, None),
    ("GPZX", "公平在线", "DIGITAL_ECONOMY", "MARKET", "province", PROVINCE, "2021-08-20", 12,
     None),
    ("WMZX", "外卖在线", "DIGITAL_ECONOMY", "MARKET", "province", PROVINCE, "2021-10-15", 60,
     None),
    ("ZSL", "浙食链", "DIGITAL_SOCIETY", "MARKET", "province", PROVINCE, "2021-03-15", 420,
     None),
    ("YQWT", "基层治理四平台", "GRASSROOTS", "POLITICS_LAW", "province", PROVINCE, "2019-05-01",
     25, None),
    ("ZLJK", "浙里健康e生", "DIGITAL_SOCIETY", "HEALTH", "system", PROVINCE, "2021-11-01", 900,
     None),
    ("ZJJFM", "浙江解纷码", "DIGITAL_RULE_OF_LAW", "POLITICS_LAW", "system", PROVINCE,
     "2021-06-01", 150, None),
    ("YXZF", "大综合一体化行政执法", "DIGITAL_RULE_OF_LAW", "JUSTICE", "system", PROVINCE,
     "2022-01-10", 8, None),
    ("ZLBP", "浙里办票", "DIGITAL_GOV", "FINANCE", "system", PROVINCE, "2021-09-01", 300, None),
    ("CYNT", "产业大脑·未来工厂", "DIGITAL_ECONOMY", "ECONOMY_IT", "system", PROVINCE,
     "2021-07-01", 5, None),
    ("ZWHY", "浙里文化圈", "DIGITAL_CULTURE", "PUBLICITY", "system", PROVINCE, "2022-02-01", 210,
     None),
    ("QQZX", "亲清在线", "DIGITAL_GOV", "GOV_OFFICE", "city", "330100", "2020-03-02", 95,
     "2021-09-01"),
    ("YHZL", "浙里兴村治社（余杭）", "GRASSROOTS", "CIVIL_AFFAIRS", "city", "330100",
     "2021-12-01", 6, None),
    ("NBZD", "甬城智治", "GRASSROOTS", "POLITICS_LAW", "city", "330200", "2021-05-01", 4, None),
    ("WZYX", "温州民营经济服务在线", "DIGITAL_ECONOMY", "COMMERCE", "city", "330300",
     "2021-08-01", 30, None),
    ("JXWL", "嘉兴未来社区", "DIGITAL_SOCIETY", "HOUSING", "city", "330400", "2021-10-01", 18,
     "2022-06-01"),
    ("TZXY", "台州信用在线", "PLATFORM", "DRC", "city", "331000", "2022-01-01", 9, None),
    ("LSST", "丽水生态产品价值实现", "DIGITAL_ECONOMY", "NATURAL_RES", "city", "331100",
     "2021-06-15", 3, None),
]
COLUMNS = ["code", "name", "system_code", "lead_department", "level", "home_region",
           "launched_on", "users", "active_rate", "real_active_rate", "satisfaction", "source"]


@lru_cache(maxsize=1)
def demo_apps() -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the applications, their adoptions)."""
    rng = np.random.default_rng(SEED)
    regions = read_regions()
    counties = regions[regions["level"] == "county"].sort_values("adcode")
    apps, adoptions = [], []
    for code, name, system, dept, level, home, launched, users, promoted in APPS:
        launched_on = date.fromisoformat(launched)
        active = float(np.clip(rng.normal(38 if users > 100 else 55, 10), 12, 85))
        real = float(np.clip(active * rng.uniform(0.45, 0.8), 5, 70))
        apps.append({"code": code, "name": name, "system_code": system,
                     "lead_department": dept, "level": level, "home_region": home,
                     "launched_on": launched_on, "users": int(users * 10_000 *
                                                              rng.uniform(0.9, 1.1)),
                     "active_rate": round(active, 1), "real_active_rate": round(real, 1),
                     "satisfaction": round(float(np.clip(rng.normal(93, 3), 80, 99.5)), 1),
                     "source": "demo"})
        for county in counties.itertuples():
            own = level != "city" or county.parent_adcode == home
            if own:
                start, spread = launched_on, 420
            elif promoted:
                start, spread = date.fromisoformat(promoted), 360
            else:
                continue
            if level == "city" and not own and rng.random() < 0.25:
                continue  # not every county has taken up a promoted 特色应用 yet
            adopted = start + timedelta(days=int(rng.gamma(2.0, spread / 4)))
            if adopted <= DEMO_TODAY:
                adoptions.append({"app_code": code, "region_adcode": county.adcode,
                                  "adopted_on": adopted})
    return (pd.DataFrame(apps, columns=COLUMNS),
            pd.DataFrame(adoptions, columns=["app_code", "region_adcode", "adopted_on"]))


def seed_apps(conn: Connection, *, force: bool = False) -> str:
    """Write the demo ledger in ``conn``'s transaction (idempotent; never over real rows)."""
    real = conn.execute(select(func.count()).select_from(App).where(App.source != "demo")
                        ).scalar_one()
    if real:
        return f"库中已有 {real} 个导入的应用，不写入演示“一本账”。"
    apps, adoptions = demo_apps()
    present = conn.execute(select(func.count()).select_from(App)).scalar_one()
    adopted = conn.execute(select(func.count()).select_from(AppAdoption)).scalar_one()
    if not force and present == len(apps) and adopted == len(adoptions):
        return f"演示“一本账”已是最新（{present} 个应用），未改动。"
    conn.execute(delete(AppAdoption))
    conn.execute(delete(App))
    conn.execute(App.__table__.insert(), apps.to_dict("records"))
    conn.execute(AppAdoption.__table__.insert(), adoptions.to_dict("records"))
    return f"已写入“一本账”演示数据：{len(apps)} 个重大应用，{len(adoptions)} 条地区应用记录。"
