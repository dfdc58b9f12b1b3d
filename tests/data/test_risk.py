"""The five-colour risk map's data layer, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime

import pytest

from data import risk_queries as rq
from data.risk_rules import NO_DATA_CODE, NO_DATA_COLOUR, NO_DATA_NAME, OVERALL
from data.risk_schema import RiskEvent
from data.scope import EVERYTHING, Scope
from data.store import write_transaction

NINGBO, XIANGSHAN, FENGHUA = "330200", "330225", "330213"
T0, T1, T2 = datetime(2030, 8, 1, 0), datetime(2030, 8, 1, 6), datetime(2030, 8, 1, 12)


def new_event() -> int:
    with write_transaction() as conn:
        result = conn.execute(RiskEvent.__table__.insert().values(
            name="测试台风", kind="typhoon", started_at=T0, ended_at=T2, source="import"))
    return int(result.inserted_primary_key[0])


def level_of(event: int, county: str, hazard: str, at: datetime, parent: str = NINGBO):
    frame = rq.risk_map(scope=EVERYTHING, event_id=event, parent=parent, hazard=hazard, at=at)
    return frame.set_index("adcode").loc[county]


def test_the_latest_assessment_at_or_before_the_moment_counts(fresh):
    event = new_event()
    rq.record_assessment(region=XIANGSHAN, hazard="TYPHOON", level="BLUE", at=T0, event_id=event)
    rq.record_assessment(region=XIANGSHAN, hazard="TYPHOON", level="RED", at=T2, event_id=event)
    assert level_of(event, XIANGSHAN, "TYPHOON", T1)["level_code"] == "BLUE"
    assert level_of(event, XIANGSHAN, "TYPHOON", T2)["level_code"] == "RED"


def test_overall_is_the_highest_level_over_the_hazards(fresh):
    event = new_event()
    rq.record_assessment(region=XIANGSHAN, hazard="TYPHOON", level="YELLOW", at=T0,
                         event_id=event)
    rq.record_assessment(region=XIANGSHAN, hazard="SEAWALL", level="ORANGE", at=T0,
                         event_id=event)
    rq.record_assessment(region=XIANGSHAN, hazard="FLOOD", level="GREEN", at=T1, event_id=event)
    row = level_of(event, XIANGSHAN, OVERALL, T1)
    assert row["level_code"] == "ORANGE"
    assert row["hazards"] == ("SEAWALL",)
    # A later, lower assessment of that hazard lowers the overall level.
    rq.record_assessment(region=XIANGSHAN, hazard="SEAWALL", level="BLUE", at=T2,
                         event_id=event)
    assert level_of(event, XIANGSHAN, OVERALL, T2)["level_code"] == "YELLOW"


def test_a_county_without_assessment_is_grey_no_data_never_green(fresh):
    event = new_event()
    rq.record_assessment(region=XIANGSHAN, hazard="TYPHOON", level="GREEN", at=T1,
                         event_id=event)
    before = level_of(event, XIANGSHAN, OVERALL, T0)
    assert (before["level_code"], before["level_name"], before["colour"]) == (
        NO_DATA_CODE, NO_DATA_NAME, NO_DATA_COLOUR)
    other = level_of(event, FENGHUA, OVERALL, T2)
    assert other["level_code"] == NO_DATA_CODE and other["colour"] != "#7ccf73"
    assessed = level_of(event, XIANGSHAN, OVERALL, T2)
    assert assessed["level_code"] == "GREEN" and assessed["colour"] == "#7ccf73"


def test_a_new_assessment_shows_at_once_without_a_restart(fresh):
    event = new_event()
    rq.record_assessment(region=XIANGSHAN, hazard="TYPHOON", level="BLUE", at=T0, event_id=event)
    assert level_of(event, XIANGSHAN, OVERALL, T2)["level_code"] == "BLUE"  # now cached
    rq.record_assessment(region=XIANGSHAN, hazard="TYPHOON", level="RED", at=T1, event_id=event)
    assert level_of(event, XIANGSHAN, OVERALL, T2)["level_code"] == "RED"
    assert rq.assessment_times(scope=EVERYTHING, event_id=event) == [T0, T1]


@pytest.mark.parametrize(("region", "hazard", "level"), [
    ("999999", "TYPHOON", "RED"), (XIANGSHAN, "METEOR", "RED"), (XIANGSHAN, "TYPHOON", "PINK")])
def test_an_assessment_of_something_unknown_is_refused(fresh, region, hazard, level):
    with pytest.raises(rq.InvalidAssessment):
        rq.record_assessment(region=region, hazard=hazard, level=level, at=T0)


def test_levels_and_hazards_are_data_with_five_levels_by_default(seeded):
    levels = rq.risk_levels(scope=EVERYTHING)
    assert list(levels["code"]) == ["RED", "ORANGE", "YELLOW", "BLUE", "GREEN"]
    assert list(levels["short_name"]) == ["红", "橙", "黄", "蓝", "绿"]
    assert levels["colour"].is_unique
    assert set(rq.hazards(scope=EVERYTHING)["name"]) >= {"台风", "洪涝", "山洪", "地质灾害"}


def typhoon_in_fa() -> int:
    events = rq.risk_events(scope=EVERYTHING)
    return int(events[events["name"].str.contains("烟花")]["id"].iloc[0])


def test_demo_in_fa_moves_203_wan_people(seeded):
    event = typhoon_in_fa()
    reports = rq.evacuation_reports(scope=EVERYTHING, event_id=event, parent="330000")
    assert rq.evacuated_at(reports, datetime(2021, 7, 28)).sum() == 2_030_000
    early = rq.evacuated_at(reports, datetime(2021, 7, 22, 6)).sum()
    assert early < 2_030_000


def test_demo_geography_coast_for_typhoons_mountains_for_torrents(seeded):
    event = typhoon_in_fa()
    peak = rq.peak_time(scope=EVERYTHING, event_id=event)
    frame = rq.risk_map(scope=EVERYTHING, event_id=event, parent="330000", hazard=OVERALL,
                        at=peak)
    by_city = frame.groupby("parent_adcode")["rank"].mean()
    coastal = by_city[["330200", "330900", "331000"]].mean()
    inland = by_city[["330800", "331100"]].mean()
    assert coastal < inland  # lower rank = higher risk
    seawall = rq.risk_notices(scope=EVERYTHING, event_id=event, parent="330000")
    seawall = seawall[seawall["hazard_code"] == "SEAWALL"]
    assert {a[:4] for a in seawall["region_adcode"]} >= {"3302", "3309", "3304"}

    events = rq.risk_events(scope=EVERYTHING)
    flood = int(events[events["kind"] == "flood"]["id"].iloc[0])
    at = rq.peak_time(scope=EVERYTHING, event_id=flood)
    torrents = rq.risk_map(scope=EVERYTHING, event_id=flood, parent="330000",
                           hazard="TORRENT", at=at).groupby("parent_adcode")["rank"].mean()
    assert torrents[["330800", "331100"]].mean() < torrents[["330400", "330900"]].mean()


def test_every_high_risk_county_got_a_notice_and_most_acknowledged(seeded):
    event = typhoon_in_fa()
    notices = rq.risk_notices(scope=EVERYTHING, event_id=event, parent="330000")
    assert set(notices["kind"]) == {"notice", "order"}
    assert 0.7 < notices["acknowledged_at"].notna().mean() < 1.0
    end = rq.assessment_times(scope=EVERYTHING, event_id=event)[-1]
    frame = rq.risk_map(scope=EVERYTHING, event_id=event, parent="330000", hazard=OVERALL,
                        at=end)
    ever_red = set()
    for when in rq.assessment_times(scope=EVERYTHING, event_id=event):
        now = rq.risk_map(scope=EVERYTHING, event_id=event, parent="330000", hazard=OVERALL,
                          at=when)
        ever_red |= set(now.loc[now["level_code"] == "RED", "adcode"])
    assert ever_red and ever_red <= set(notices["region_adcode"])
    assert len(frame) == 90


def test_a_city_viewer_sees_only_its_counties(seeded):
    event = typhoon_in_fa()
    frame = rq.risk_map(scope=Scope(regions=(NINGBO,)), event_id=event, parent="330000",
                        hazard=OVERALL, at=datetime(2021, 7, 25, 12))
    assert len(frame) == 10 and set(frame["parent_adcode"]) == {NINGBO}


def test_the_cockpit_shows_the_latest_event_at_its_peak(seeded):
    event, at = rq.cockpit_moment(scope=EVERYTHING, now=datetime(2026, 11, 22))
    assert event["started_at"] == rq.risk_events(scope=EVERYTHING)["started_at"].max()
    assert at == rq.peak_time(scope=EVERYTHING, event_id=int(event["id"]))
    ongoing, now = rq.cockpit_moment(scope=EVERYTHING, now=datetime(2021, 7, 25, 13))
    assert "烟花" in ongoing["name"] and now == datetime(2021, 7, 25, 12)
