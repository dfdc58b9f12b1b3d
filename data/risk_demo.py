"""Deterministic demo data for the five-colour risk map: three events, each assessed every six
hours for every county, with the notices sent and the people moved.

The geography is plausible, not recorded: a storm's (or a rain belt's) centre moves along a
track; a county's risk for a hazard grows with the storm's strength, its nearness to the
centre and its exposure to that hazard — sea walls and typhoon winds on the coast of Ningbo,
Zhoushan, Taizhou, Wenzhou and Jiaxing; mountain torrents and geological hazards in the
mountains of Lishui, Quzhou and the west; floods on the plains. Typhoon 烟花 (In-Fa, 2021)
follows its real track (landfalls at Putuo and Pinghu) and its evacuations add up to the
203万 people reported in the seeds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
import pandas as pd
from sqlalchemy import Connection, delete, func, select

from data.reference import read_hazards, read_regions
from data.risk_schema import Evacuation, RiskAssessment, RiskEvent, RiskNotice
from data.schema import DatasetInfo

SEED = 20210725  # 烟花 made landfall at Putuo on 25 July 2021
GENERATOR_VERSION = "1"
ISSUER = "省防汛防台抗旱指挥部办公室"
STEP = timedelta(hours=6)

# Exposure of counties (adcode → weight 0…1) beyond the base exposure every county has.
COASTAL = {
    "330206": 1.0, "330211": 0.9, "330212": 0.6, "330213": 0.7, "330225": 1.0, "330226": 0.8,
    "330281": 0.4, "330282": 0.8, "330902": 1.0, "330903": 1.0, "330921": 1.0, "330922": 1.0,
    "331002": 0.9, "331004": 0.8, "331022": 0.9, "331081": 1.0, "331082": 0.8, "331083": 1.0,
    "330303": 0.9, "330305": 1.0, "330326": 0.8, "330327": 0.9, "330381": 0.8, "330382": 0.9,
    "330383": 0.9, "330302": 0.4, "330424": 0.9, "330481": 0.7, "330482": 1.0, "330604": 0.6,
    "330114": 0.6, "330109": 0.4,
}
MOUNTAIN = {
    **{a: 1.0 for a in ("331102", "331121", "331122", "331123", "331124", "331125", "331126",
                        "331127", "331181")},
    "330824": 1.0, "330822": 0.9, "330881": 0.9, "330803": 0.7, "330802": 0.4, "330825": 0.6,
    "330127": 1.0, "330182": 0.9, "330112": 0.9, "330122": 0.8, "330111": 0.6,
    "330328": 1.0, "330329": 1.0, "330324": 0.9, "330727": 0.9, "330723": 0.8, "330726": 0.6,
    "331024": 0.9, "331023": 0.8, "331003": 0.6, "330624": 0.8, "330683": 0.7, "330681": 0.6,
    "330226": 0.6, "330213": 0.6, "330281": 0.5, "330523": 0.7,
}
PLAINS = {
    **{a: 1.0 for a in ("330402", "330411", "330421", "330424", "330481", "330482", "330483")},
    "330502": 0.8, "330503": 1.0, "330521": 0.8, "330110": 0.8, "330113": 0.9, "330105": 0.7,
    "330102": 0.6, "330602": 0.9, "330603": 0.9, "330203": 0.8, "330205": 0.8, "330212": 0.8,
    "330281": 0.9, "331003": 0.7, "331002": 0.8, "331004": 0.9, "331081": 0.7, "330302": 0.8,
    "330304": 0.8, "330381": 0.8, "330802": 0.6, "330803": 0.6, "330825": 0.7, "330702": 0.6,
    "330781": 0.7,
}

LEVEL_THRESHOLDS = [(0.62, "RED"), (0.45, "ORANGE"), (0.30, "YELLOW"), (0.15, "BLUE")]


@dataclass(frozen=True)
class EventProfile:
    name: str
    kind: str
    description: str
    #: (time, lon, lat, strength 0…1) of the storm's or rain belt's centre.
    track: tuple[tuple[str, float, float, float], ...]
    radius_km: float
    #: How strongly each hazard follows the event.
    hazards: dict[str, float]
    evacuated_total: int | None = None


EVENTS = (
    EventProfile(
        name="2021年第6号台风“烟花”",
        kind="typhoon",
        description="7月25日12时30分登陆舟山普陀，26日9时50分再次登陆嘉兴平湖，全省转移203万人。",
        track=(("2021-07-22 00:00", 126.0, 25.5, 0.70), ("2021-07-23 00:00", 125.0, 27.0, 0.85),
               ("2021-07-24 00:00", 123.8, 28.3, 0.95), ("2021-07-25 00:00", 122.8, 29.4, 1.00),
               ("2021-07-25 12:00", 122.2, 29.9, 1.00), ("2021-07-26 06:00", 121.2, 30.5, 0.90),
               ("2021-07-26 12:00", 121.0, 30.7, 0.85), ("2021-07-27 00:00", 120.5, 31.3, 0.60),
               ("2021-07-28 00:00", 119.5, 32.5, 0.30)),
        radius_km=260.0,
        hazards={"TYPHOON": 1.0, "SEAWALL": 1.05, "FLOOD": 0.85, "TORRENT": 0.75,
                 "GEOLOGICAL": 0.6},
        evacuated_total=2_030_000,
    ),
    EventProfile(
        name="2022年第12号台风“梅花”",
        kind="typhoon",
        description="9月14日20时30分前后登陆舟山普陀，随后北上影响杭州湾沿岸。",
        track=(("2022-09-12 00:00", 124.5, 26.5, 0.75), ("2022-09-13 00:00", 123.6, 28.0, 0.90),
               ("2022-09-14 00:00", 122.8, 29.3, 1.00), ("2022-09-14 18:00", 122.3, 29.9, 1.00),
               ("2022-09-15 06:00", 121.9, 30.8, 0.75), ("2022-09-16 00:00", 121.5, 32.5, 0.35)),
        radius_km=230.0,
        hazards={"TYPHOON": 1.0, "SEAWALL": 1.0, "FLOOD": 0.75, "TORRENT": 0.6,
                 "GEOLOGICAL": 0.5},
    ),
    EventProfile(
        name="2024年6月梅汛期强降雨",
        kind="flood",
        description="强降雨带自衢州西部向杭州西部移动，山洪、地质灾害和洪涝风险高。",
        track=(("2024-06-16 00:00", 118.4, 29.1, 0.60), ("2024-06-17 12:00", 118.6, 29.2, 1.00),
               ("2024-06-19 00:00", 119.0, 29.5, 1.00), ("2024-06-20 12:00", 119.5, 29.8, 0.80),
               ("2024-06-22 00:00", 120.0, 30.0, 0.40)),
        radius_km=130.0,
        hazards={"FLOOD": 1.0, "TORRENT": 1.1, "GEOLOGICAL": 0.95},
    ),
)


def _exposure(adcodes: list[str], hazard: str) -> np.ndarray:
    coastal = np.array([COASTAL.get(a, 0.0) for a in adcodes])
    mountain = np.array([MOUNTAIN.get(a, 0.0) for a in adcodes])
    plains = np.array([PLAINS.get(a, 0.0) for a in adcodes])
    return {
        "TYPHOON": 0.45 + 0.55 * coastal,
        "SEAWALL": coastal,  # only places with sea walls are assessed for them
        "FLOOD": 0.40 + 0.55 * plains,
        "TORRENT": 0.20 + 0.80 * mountain,
        "GEOLOGICAL": 0.15 + 0.80 * mountain,
    }[hazard]


def _level(intensity: np.ndarray) -> np.ndarray:
    levels = np.full(intensity.shape, "GREEN", dtype=object)
    for threshold, code in reversed(LEVEL_THRESHOLDS):
        levels[intensity >= threshold] = code
    return levels


def _centre(profile: EventProfile, when: datetime) -> tuple[float, float, float]:
    times = np.array([datetime.fromisoformat(t).timestamp() for t, *_ in profile.track])
    now = when.timestamp()
    lon = np.interp(now, times, [p[1] for p in profile.track])
    lat = np.interp(now, times, [p[2] for p in profile.track])
    strength = np.interp(now, times, [p[3] for p in profile.track])
    return float(lon), float(lat), float(strength)


def generate() -> dict[str, pd.DataFrame]:
    """Events, assessments, notices and evacuations as DataFrames (ids included)."""
    rng = np.random.default_rng(SEED)
    regions = read_regions()
    counties = regions[regions["level"] == "county"].reset_index(drop=True)
    adcodes = counties["adcode"].tolist()
    lon, lat = counties["label_lon"].to_numpy(), counties["label_lat"].to_numpy()
    population = counties["population"].to_numpy(dtype=float)
    events, assessments, notices, evacuations = [], [], [], []

    for event_id, profile in enumerate(EVENTS, start=1):
        start = datetime.fromisoformat(profile.track[0][0])
        end = datetime.fromisoformat(profile.track[-1][0])
        events.append({"id": event_id, "name": profile.name, "kind": profile.kind,
                       "started_at": start, "ended_at": end,
                       "description": profile.description, "source": "demo"})
        times = []
        t = start
        while t <= end:
            times.append(t)
            t += STEP
        # A few counties have not reported at the first assessment: 无数据 on the map.
        late = set(rng.choice(len(adcodes), size=6, replace=False))
        worst_rank = np.full(len(adcodes), 9)
        first_warned: dict[tuple[int, str, str], datetime] = {}
        danger_since = np.full(len(adcodes), None, dtype=object)
        for step, when in enumerate(times):
            c_lon, c_lat, strength = _centre(profile, when)
            dx = (lon - c_lon) * 111.0 * np.cos(np.radians((lat + c_lat) / 2))
            dy = (lat - c_lat) * 111.0
            nearness = np.exp(-((np.hypot(dx, dy) / profile.radius_km) ** 2))
            for hazard, weight in profile.hazards.items():
                exposure = _exposure(adcodes, hazard)
                intensity = weight * strength * exposure * nearness + rng.normal(0, 0.035,
                                                                                 len(adcodes))
                levels = _level(np.clip(intensity, 0, 1))
                for i, code in enumerate(levels):
                    if exposure[i] <= 0 or (step == 0 and i in late):
                        continue
                    assessments.append({"event_id": event_id, "region_adcode": adcodes[i],
                                        "hazard_code": hazard, "level_code": code,
                                        "assessed_at": when, "source": "demo"})
                    rank = {"RED": 1, "ORANGE": 2}.get(code)
                    if rank is None:
                        continue
                    worst_rank[i] = min(worst_rank[i], rank)
                    if danger_since[i] is None:
                        danger_since[i] = when
                    for kind, needed in (("notice", 2), ("order", 1)):
                        key = (i, hazard, kind)
                        if rank <= needed and key not in first_warned:
                            first_warned[key] = when
        for (i, hazard, kind), when in sorted(first_warned.items(), key=lambda kv: kv[1]):
            issued = when + timedelta(minutes=30 if kind == "notice" else 60)
            acknowledged = (issued + timedelta(minutes=int(rng.integers(15, 180)))
                            if rng.random() < 0.88 else None)
            notices.append({
                "event_id": event_id, "region_adcode": adcodes[i], "hazard_code": hazard,
                "kind": kind, "issuer": ISSUER, "issued_at": issued,
                "acknowledged_at": acknowledged, "source": "demo",
                "title": "", "_hazard": hazard, "_county": counties.loc[i, "name"],
            })
        evacuations += _evacuations(profile, event_id, adcodes, population, worst_rank,
                                    danger_since, times, rng)

    notices_frame = pd.DataFrame(notices)
    hazard_names = read_hazards().set_index("code")["name"]
    notices_frame["title"] = [
        f"关于防范{hazard_names[h]}风险的告知函（{c}）" if k == "notice"
        else f"{hazard_names[h]}防御工作督办单（{c}）"
        for h, c, k in zip(notices_frame["_hazard"], notices_frame["_county"],
                           notices_frame["kind"], strict=True)
    ]
    notices_frame = notices_frame.drop(columns=["_hazard", "_county"])
    return {
        "events": pd.DataFrame(events),
        "assessments": pd.DataFrame(assessments),
        "notices": notices_frame,
        "evacuations": pd.DataFrame(evacuations),
    }


def _evacuations(profile, event_id, adcodes, population, worst_rank, danger_since, times, rng):
    """Cumulative people moved per county, ramping up over a day from the first orange."""
    share = np.select([worst_rank == 1, worst_rank == 2], [0.035, 0.012], 0.0)
    need = population * share * rng.uniform(0.7, 1.3, len(adcodes))
    if profile.evacuated_total and need.sum() > 0:
        need = need * profile.evacuated_total / need.sum()
    need = np.floor(need).astype(int)
    if profile.evacuated_total and need.sum() > 0:  # whole people, the total exact
        need[np.argmax(need)] += profile.evacuated_total - need.sum()
    rows = []
    for i, since in enumerate(danger_since):
        if since is None or need[i] == 0:
            continue
        for when in times:
            if when < since:
                continue
            hours = (when - since).total_seconds() / 3600
            people = int(round(need[i] * min(1.0, (hours + 6) / 30)))
            rows.append({"event_id": event_id, "region_adcode": adcodes[i],
                         "reported_at": when, "people": people, "source": "demo"})
    return rows


def seed_risk(conn: Connection, *, force: bool = False) -> str:
    """Replace the risk map's demo data in the given write transaction (idempotent)."""
    info = dict(conn.execute(select(DatasetInfo.key, DatasetInfo.value)).all())
    present = conn.execute(select(func.count()).select_from(RiskAssessment).where(
        RiskAssessment.source == "demo")).scalar_one()
    if not force and info.get("risk_demo_generator") == GENERATOR_VERSION and present:
        return f"风险“五色图”演示数据已是最新（{present} 条研判），未改动。"
    for model in (Evacuation, RiskNotice, RiskAssessment, RiskEvent):
        conn.execute(delete(model).where(model.source == "demo"))
    data = generate()
    offset = conn.execute(select(func.coalesce(func.max(RiskEvent.id), 0))).scalar_one()
    events = data["events"].assign(id=data["events"]["id"] + offset)
    conn.execute(RiskEvent.__table__.insert(), events.to_dict("records"))
    for key, model in (("assessments", RiskAssessment), ("notices", RiskNotice),
                       ("evacuations", Evacuation)):
        frame = data[key].assign(event_id=data[key]["event_id"] + offset)
        records = frame.astype(object).where(frame.notna(), None).to_dict("records")
        for i in range(0, len(records), 5000):
            conn.execute(model.__table__.insert(), records[i : i + 5000])
    for key, value in {"risk_demo_generator": GENERATOR_VERSION}.items():
        conn.execute(delete(DatasetInfo).where(DatasetInfo.key == key))
        conn.execute(DatasetInfo.__table__.insert().values(key=key, value=value))
    return (f"已写入风险“五色图”演示数据：{len(events)} 个过程，{len(data['assessments'])} 条研判，"
            f"{len(data['notices'])} 份告知函/督办单。")
