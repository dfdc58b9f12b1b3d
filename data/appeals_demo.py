"""Deterministic demo appeals (演示数据) of 民呼我为: weekly counts of each of the 90 counties by
category and by channel, from the first week of 2026 to the week of the demo's "today".

How they are made: each county receives appeals in proportion to its population (about 1.2 a
week per 10,000 residents in all), split over the categories by fixed shares with a seasonal
swing (欠薪讨薪 before the Spring Festival and at the year's end, 环境污染投诉 in summer,
教育入学 in July–September), drawn from a Poisson law. A few surges are planted (a county, a
category, a week, a factor), three of them in the last weeks, so that the trend warnings have
something to find. Handling, on-time replies, ratings and satisfaction are binomial draws at a
county's own rates. Channels: 12345 about half, 浙里办 a quarter, the rest letters and visits and
online petitions.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import numpy as np
import pandas as pd
from sqlalchemy import Connection, delete, func, select

from data.appeals_schema import AppealCategory, AppealChannel, AppealChannelWeek, AppealWeek
from data.clock import DEMO_TODAY
from data.demo import ImportedDataPresent, _set_info
from data.reference import FILES, read_regions
from data.schema import DatasetInfo

SEED = 20210316  # the spring the 民呼我为 platform went live
GENERATOR_VERSION = "1"
FIRST_WEEK = date(2026, 1, 5)
LAST_WEEK = DEMO_TODAY - timedelta(days=DEMO_TODAY.weekday())
PER_10K = 1.2
SHARES = {"LAND": 0.10, "WAGES": 0.14, "HOUSING": 0.20, "ENVIRONMENT": 0.12,
          "SOCIAL_SECURITY": 0.14, "TRAFFIC": 0.12, "EDUCATION": 0.08, "CONSUMER": 0.10}
SEASON = {"WAGES": {1: 1.8, 2: 1.4, 12: 1.6}, "ENVIRONMENT": {6: 1.4, 7: 1.6, 8: 1.6},
          "EDUCATION": {7: 1.8, 8: 2.2, 9: 1.6}}
CHANNEL_SHARES = {"HOTLINE": 0.52, "ZLB": 0.26, "VISIT": 0.08, "ONLINE": 0.14}
#: (county, category, week, factor): surges the trend warnings should find.
SURGES = [
    ("330106", "HOUSING", LAST_WEEK, 3.2),  # 西湖区 物业 (the demo's today's week)
    ("330381", "WAGES", LAST_WEEK, 3.0),  # 瑞安市 欠薪
    ("330110", "ENVIRONMENT", LAST_WEEK - timedelta(weeks=1), 3.5),  # 余杭区 环境
    ("330282", "LAND", date(2026, 6, 8), 4.0),  # 慈溪市 征地 (earlier in the year)
]


def read_categories() -> pd.DataFrame:
    return pd.read_csv(FILES / "appeal_categories.csv", dtype=str).astype({"sort_order": int})


def read_channels() -> pd.DataFrame:
    return pd.read_csv(FILES / "appeal_channels.csv", dtype=str).astype({"sort_order": int})


def load_appeal_lists(conn: Connection) -> None:
    """Insert or update the categories and channels from the reference files."""
    for model, frame in ((AppealCategory, read_categories()), (AppealChannel, read_channels())):
        have = set(conn.execute(select(model.code)).scalars())
        for record in frame.to_dict("records"):
            if record["code"] in have:
                conn.execute(model.__table__.update().where(model.code == record["code"])
                             .values(**record))
            else:
                conn.execute(model.__table__.insert().values(**record))


@lru_cache(maxsize=1)
def demo_appeals() -> tuple[pd.DataFrame, pd.DataFrame]:
    """(weekly counts by county and category, weekly counts by county and channel)."""
    rng = np.random.default_rng(SEED)
    regions = read_regions()
    counties = regions[regions["level"] == "county"].sort_values("adcode")
    weeks = pd.date_range(FIRST_WEEK, LAST_WEEK, freq="7D").date
    surges = {(a, c, w): f for a, c, w, f in SURGES}
    rows, channel_rows = [], []
    codes = list(SHARES)
    for county in counties.itertuples():
        # Counties differ in how much their people turn to the government (0.6–1.6 times).
        base = max(float(county.population), 50_000.0) / 10_000.0 * PER_10K * rng.uniform(
            0.6, 1.6)
        handling = rng.uniform(0.88, 0.98)
        on_time = rng.uniform(0.82, 0.97)
        satisfaction = rng.uniform(0.85, 0.97)
        for week in weeks:
            total = 0
            for code in codes:
                lam = base * SHARES[code] * SEASON.get(code, {}).get(week.month, 1.0)
                lam *= surges.get((county.adcode, code, week), 1.0)
                received = int(rng.poisson(lam))
                handled = int(rng.binomial(received, handling))
                replied = int(rng.binomial(handled, on_time))
                rated = int(rng.binomial(handled, 0.6))
                satisfied = int(rng.binomial(rated, satisfaction))
                total += received
                rows.append((county.adcode, week, code, received, handled, replied, rated,
                             satisfied))
            split = rng.multinomial(total, list(CHANNEL_SHARES.values()))
            channel_rows += [(county.adcode, week, ch, int(n))
                             for ch, n in zip(CHANNEL_SHARES, split, strict=True)]
    weekly = pd.DataFrame(rows, columns=["region_adcode", "week_start", "category_code",
                                         "received", "handled", "on_time", "rated",
                                         "satisfied"]).assign(source="demo")
    channels = pd.DataFrame(channel_rows, columns=["region_adcode", "week_start",
                                                   "channel_code", "received"]
                            ).assign(source="demo")
    return weekly, channels


def seed_appeals(conn: Connection, *, force: bool = False) -> str:
    """Write the demo appeals in ``conn``'s transaction (idempotent; never over imported)."""
    load_appeal_lists(conn)
    imported = conn.execute(select(func.count()).select_from(AppealWeek)
                            .where(AppealWeek.source != "demo")).scalar_one()
    if imported:
        raise ImportedDataPresent(f"库中已有 {imported} 条导入的诉求统计，不写入演示诉求。")
    weekly, channels = demo_appeals()
    info = dict(conn.execute(select(DatasetInfo.key, DatasetInfo.value)).all())
    present = conn.execute(select(func.count()).select_from(AppealWeek)).scalar_one()
    if not force and info.get("appeals_generator") == GENERATOR_VERSION \
            and present == len(weekly):
        return f"演示诉求已是最新（{present} 条周统计），未改动。"
    conn.execute(delete(AppealChannelWeek).where(AppealChannelWeek.source == "demo"))
    conn.execute(delete(AppealWeek).where(AppealWeek.source == "demo"))
    for frame, model in ((weekly, AppealWeek), (channels, AppealChannelWeek)):
        records = frame.to_dict("records")
        for start in range(0, len(records), 5000):
            conn.execute(model.__table__.insert(), records[start:start + 5000])
    _set_info(conn, {"appeals_generator": GENERATOR_VERSION})
    return (f"已写入民呼我为演示数据：{len(weekly)} 条分类周统计，{len(channels)} 条渠道周统计，"
            f"{int(weekly['received'].sum()):,} 件诉求。")
