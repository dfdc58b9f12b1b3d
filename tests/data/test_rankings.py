"""The horse-race board (赛马榜) on SQLite and PostgreSQL, on constructed series whose answer
is known: the composite score, ranks with ties, the change of rank, the list thresholds (as
data), indicators that do not apply at the level, the scope, and the weekly 晾晒."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest

from data import ranking_queries as rq
from data import ranking_rules as rules
from data.schema import Indicator, IndicatorTarget, IndicatorValue
from data.scope import EVERYTHING, Scope
from data.store import engine, write_transaction
from tests.data.conftest import BACKENDS, migrated_app

PROVINCE, HANGZHOU, NINGBO, WENZHOU, JIAXING = "330000", "330100", "330200", "330300", "330400"
RATE = "PDP_SHARE_SAT"  # counted down to the cities, higher is better, a level
PROVINCE_ONLY = "PA_CORE_EVENTS"  # counted at the province only
AT = datetime(2026, 12, 1, 9, 0)

#: Values of RATE against a target and baseline of 100: the item score is the value (capped
#: at 120). December: Jiaxing 120 (130 capped), Ningbo and Wenzhou 95 (tied), Hangzhou 90.
DECEMBER = {HANGZHOU: 90.0, NINGBO: 95.0, WENZHOU: 95.0, JIAXING: 130.0}
NOVEMBER = {HANGZHOU: 99.0, NINGBO: 80.0, WENZHOU: 96.0, JIAXING: 101.0}


def _write(conn, code: str, values: dict[str, float], period: str) -> None:
    conn.execute(IndicatorValue.__table__.insert(), [
        {"indicator_code": code, "region_adcode": a, "period": period, "value": v,
         "updated_at": AT, "source": "import"} for a, v in values.items()])


@pytest.fixture(scope="module", params=BACKENDS)
def constructed_app(request, tmp_path_factory):
    """Only RATE weighs (1); four cities have a target and a baseline of 100 for it. Shared by
    the module's tests: a test that changes a weight or a threshold puts it back."""
    app = migrated_app(request.param, request, tmp_path_factory.mktemp("rankings"))
    with app.app_context():
        construct()
    yield app
    with app.app_context():
        engine().dispose()


@pytest.fixture
def constructed(constructed_app):
    with constructed_app.app_context():
        yield constructed_app


def construct() -> None:
    with write_transaction() as conn:
        codes = list(conn.execute(Indicator.__table__.select()).scalars())
        conn.execute(IndicatorTarget.__table__.insert(), [
            {"indicator_code": RATE, "region_adcode": a, "year": 2026, "target": 100.0,
             "source": "import", "due_month": 12} for a in DECEMBER])
        _write(conn, RATE, dict.fromkeys(DECEMBER, 100.0), "2025-12")
        _write(conn, RATE, NOVEMBER, "2026-11")
        _write(conn, RATE, DECEMBER, "2026-12")
    rq.save_weights(actor="test", at=AT,
                    changes={code: (1.0 if code == RATE else 0.0) for code in codes})


def board(period: str = "2026-12", scope: Scope = EVERYTHING):
    return rq.board(scope=scope, region=PROVINCE, level="city", period=period).set_index(
        "adcode")


def test_the_score_is_the_weighted_capped_completion(constructed):
    found = board()
    assert found.loc[JIAXING, "score"] == pytest.approx(rules.ITEM_CAP)
    assert found.loc[NINGBO, "score"] == pytest.approx(95.0)
    assert found.loc[HANGZHOU, "score"] == pytest.approx(90.0)
    assert found.loc[HANGZHOU, "items"] == 1
    # A city without figures has no score and no rank.
    assert found.loc["330500", "items"] == 0
    assert found["rank"].isna().sum() == 7


def test_a_second_weight_changes_the_mean(constructed):
    with write_transaction() as conn:
        conn.execute(IndicatorTarget.__table__.insert(), [
            {"indicator_code": "DG_ONE_NET", "region_adcode": HANGZHOU, "year": 2026,
             "target": 100.0, "source": "import", "due_month": 12}])
        _write(conn, "DG_ONE_NET", {HANGZHOU: 100.0}, "2025-12")
        _write(conn, "DG_ONE_NET", {HANGZHOU: 110.0}, "2026-12")
    rq.save_weights(actor="test", at=AT, changes={"DG_ONE_NET": 3.0})
    try:  # (1 × 90 + 3 × 110) / 4 = 105
        assert board().loc[HANGZHOU, "score"] == pytest.approx(105.0)
        assert board().loc[HANGZHOU, "items"] == 2
    finally:
        rq.save_weights(actor="test", at=AT, changes={"DG_ONE_NET": 0.0})
    assert board().loc[HANGZHOU, "score"] == pytest.approx(90.0)


def test_ties_share_a_rank_and_the_next_is_skipped(constructed):
    found = rq.board(scope=EVERYTHING, region=PROVINCE, level="city", period="2026-12")
    ranked = found[found["rank"].notna()]
    assert list(ranked["adcode"]) == [JIAXING, NINGBO, WENZHOU, HANGZHOU]
    assert [int(r) for r in ranked["rank"]] == [1, 2, 2, 4]


def test_the_change_of_rank_since_the_month_before(constructed):
    found = board()
    # November: Jiaxing 1, Hangzhou 2, Wenzhou 3, Ningbo 4.
    assert found.loc[JIAXING, "change_words"] == "持平"
    assert found.loc[NINGBO, "change_words"] == "▲2"
    assert found.loc[WENZHOU, "change_words"] == "▲1"
    assert found.loc[HANGZHOU, "change_words"] == "▼2"
    assert found.loc["330500", "change_words"] == "—"
    # The first month with figures has nothing to compare with.
    assert set(board("2025-12")["change_words"]) == {"—"}


def test_lists_follow_thresholds_kept_as_data(constructed):
    found = board()
    # Defaults: red ≥ 102 and no red light; black < 97 or ≥ 4 red lights; yellow < 100.
    assert found.loc[JIAXING, "list_code"] == "red"
    assert found.loc[NINGBO, "list_code"] == "black"
    assert "综合得分低于 97" in found.loc[NINGBO, "list_reason"]
    rq.save_list(actor="admin", code="black", at=AT, score_below=92.0)
    try:
        found = board()
        assert found.loc[NINGBO, "list_code"] == "yellow"
        assert "综合得分低于 100" in found.loc[NINGBO, "list_reason"]
        assert found.loc[HANGZHOU, "list_code"] == "black"
    finally:
        rq.save_list(actor="admin", code="black", at=AT, score_below=97.0)
    assert pd.isna(found.loc["330500", "list_code"])
    with pytest.raises(ValueError, match="未找到榜单"):
        rq.save_list(actor="admin", code="purple", at=AT, score_below=1.0)


def test_only_indicators_that_apply_at_the_level_count(constructed):
    with write_transaction() as conn:
        conn.execute(IndicatorTarget.__table__.insert(), [
            {"indicator_code": PROVINCE_ONLY, "region_adcode": HANGZHOU, "year": 2026,
             "target": 10.0, "source": "import", "due_month": 12}])
        _write(conn, PROVINCE_ONLY, {HANGZHOU: 10.0}, "2025-12")
        _write(conn, PROVINCE_ONLY, {HANGZHOU: 20.0}, "2026-12")
    rq.save_weights(actor="test", at=AT, changes={PROVINCE_ONLY: 5.0})
    try:
        assert board().loc[HANGZHOU, "score"] == pytest.approx(90.0)
        assert board().loc[HANGZHOU, "items"] == 1
    finally:
        rq.save_weights(actor="test", at=AT, changes={PROVINCE_ONLY: 0.0})


def test_weights_are_checked(constructed):
    with pytest.raises(ValueError, match="0 到 100"):
        rq.save_weights(actor="test", at=AT, changes={RATE: 101})
    with pytest.raises(ValueError, match="不是数字"):
        rq.save_weights(actor="test", at=AT, changes={RATE: "abc"})
    with pytest.raises(ValueError, match="至少要有一项"):
        rq.save_weights(actor="test", at=AT, changes={RATE: 0})
    assert rq.weight_map(scope=EVERYTHING)[RATE] == 1.0


def test_a_city_user_ranks_only_what_it_sees(constructed):
    hangzhou = Scope(regions=(HANGZHOU,))
    assert list(rq.members(scope=hangzhou, region=PROVINCE, level="city")["adcode"]) == [
        HANGZHOU]
    counties = rq.members(scope=hangzhou, region=HANGZHOU, level="county")
    assert len(counties) == 13 and counties["adcode"].str.startswith("3301").all()


def test_the_rank_over_time(constructed):
    history = rq.rank_history(scope=EVERYTHING, region=PROVINCE, level="city",
                              period="2026-12")
    ningbo = history[history["adcode"] == NINGBO].set_index("period")["rank"]
    assert int(ningbo["2026-11"]) == 4 and int(ningbo["2026-12"]) == 2
    # Twelve months up to December: 2025-12 is before them, months without figures are left out.
    assert list(ningbo.index) == ["2026-11", "2026-12"]
    earlier = rq.rank_history(scope=EVERYTHING, region=PROVINCE, level="city",
                              period="2026-11")
    first = earlier[earlier["period"] == "2025-12"]
    assert len(first) == 11 and first["rank"].isna().all()  # no target for 2025: no score


def test_the_demo_board_and_weekly_progress(seeded):
    found = rq.board(scope=EVERYTHING, region=PROVINCE, level="city", period="2026-10")
    assert len(found) == 11 and found["rank"].notna().all()
    assert found["list_code"].notna().any()
    week = rq.weekly_progress(scope=EVERYTHING, region=PROVINCE, level="city",
                              week_end=date(2026, 11, 22))
    assert len(week) == 11
    assert (week["progress"] >= week["previous"]).all()
    assert (week["change"] > 0).any()
    assert list(week["change"]) == sorted(week["change"], reverse=True)



def test_the_weekly_airing_of_each_lead_unit(fresh):
    from data.tasks_schema import Task, TaskReport

    def task(conn, code: str, lead: str, root: str) -> int:
        return conn.execute(Task.__table__.insert().values(
            code=code, name=f"任务{code}", group_code="major_projects", system_code="PLATFORM",
            lead_department=lead, region_adcode=root, start_date=date(2026, 1, 1),
            due_date=date(2026, 12, 31), source="import")).inserted_primary_key[0]

    def report(conn, task_id: int, adcode: str, day: date, progress: float) -> None:
        conn.execute(TaskReport.__table__.insert().values(
            task_id=task_id, region_adcode=adcode, reported_on=day, progress=progress,
            summary="进展", reporter="测试", source="import"))

    with write_transaction() as conn:
        first = task(conn, "T-1", "BIGDATA", PROVINCE)
        report(conn, first, PROVINCE, date(2026, 11, 10), 30)
        report(conn, first, PROVINCE, date(2026, 11, 18), 50)  # this week: +20
        second = task(conn, "T-2", "FINANCE", PROVINCE)
        report(conn, second, PROVINCE, date(2026, 11, 5), 20)  # nothing since: stalled
        third = task(conn, "T-3", "DRC", HANGZHOU)
        report(conn, third, HANGZHOU, date(2026, 11, 20), 100)  # done this week
    week = rq.weekly_progress_by_unit(scope=EVERYTHING, region=PROVINCE,
                                      week_end=date(2026, 11, 22)).set_index("code")
    assert list(week.index) == ["BIGDATA", "FINANCE"]  # most progress made first
    assert week.loc["BIGDATA", ["progress", "previous", "change"]].tolist() == [50, 30, 20]
    assert week.loc["BIGDATA", ["tasks", "advanced", "stalled", "done"]].tolist() == [1, 1, 0, 0]
    assert week.loc["FINANCE", ["change", "stalled"]].tolist() == [0, 1]
    city = rq.weekly_progress_by_unit(scope=EVERYTHING, region=HANGZHOU,
                                      week_end=date(2026, 11, 22)).set_index("code")
    assert list(city.index) == ["DRC"]  # only the tasks whose chain reaches Hangzhou
    assert city.loc["DRC", ["progress", "change", "done"]].tolist() == [100, 100, 1]
    engine().dispose()


@pytest.mark.parametrize("period", ["2026-10", "2026-01"])
def test_a_year_of_boards_read_at_once_is_each_month_read_alone(seeded, period):
    """rank_history reads the figures of its twelve months once (queries.statuses); each
    month's statuses, scores and ranks are those of the month's own query."""
    from data import queries

    counties = tuple(rq.members(scope=EVERYTHING, region=PROVINCE, level="county")["adcode"])
    months = tuple(queries.shift_period(period, -back) for back in range(11, -1, -1))
    together = queries.statuses(scope=EVERYTHING, adcodes=counties, periods=months)
    weights = rq.weight_map(scope=EVERYTHING)
    history = rq.rank_history(scope=EVERYTHING, region=PROVINCE, level="county",
                              period=period)
    assert len(counties) == 90 and list(together) == list(months)
    for month in months:
        alone = queries.indicator_status.uncached(scope=EVERYTHING, adcodes=counties,
                                                  period=month)
        pd.testing.assert_frame_equal(together[month], alone)
        ranked = rules.rank_regions(rules.composite_scores(alone, weights, counties))
        shown = history[history["period"] == month].set_index("adcode")
        assert shown["score"].to_dict() == ranked.set_index("adcode")["score"].to_dict()
        assert shown["rank"].to_dict() == ranked.set_index("adcode")["rank"].to_dict()
