"""民呼我为 on SQLite and PostgreSQL, on constructed series whose answer is known: the trend
warning (a surge flagged, steady or small counts not), the rates, the hot list, the scope,
and a warning turned into a problem on the 群众信访 list (once, by its author)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from data import appeals_queries as aq
from data import appeals_rules as rules
from data.appeals_demo import SURGES
from data.appeals_schema import AppealWeek
from data.problems_schema import Problem, ProblemMove
from data.scope import EVERYTHING, Scope
from data.store import write_transaction

PROVINCE, HANGZHOU, XIHU, BINJIANG, NINGBO_HAISHU = "330000", "330100", "330106", "330108", \
    "330203"
WEEK = date(2026, 11, 16)
STEADY = [20, 22, 18, 21, 19, 20, 23, 17]  # mean 20, sd ≈ 2.0: √20 ≈ 4.5 is the spread used


def _write(rows: list[tuple[str, str, int, int]]) -> None:
    """(county, category, weeks before WEEK, received); 90 % handled, 80 % of those on time,
    half rated, all of those satisfied but one in ten."""
    with write_transaction() as conn:
        conn.execute(AppealWeek.__table__.insert(), [
            {"region_adcode": a, "week_start": WEEK - timedelta(weeks=back),
             "category_code": c, "received": n, "handled": n * 9 // 10,
             "on_time": n * 9 // 10 * 8 // 10, "rated": n // 2, "satisfied": n // 2 - n // 20,
             "source": "import"} for a, c, back, n in rows])


@pytest.fixture
def constructed(fresh):
    series = []
    for back, n in enumerate(reversed(STEADY), start=1):
        series += [(XIHU, "HOUSING", back, n), (BINJIANG, "HOUSING", back, n),
                   (NINGBO_HAISHU, "WAGES", back, 2)]
    # This week: Xihu 20 + 3 × 4.5 + more → flagged; Binjiang 33 (z ≈ 2.9) → not;
    # Haishu from 2 to 9 (z = 4.9 but only 7 more) → not.
    series += [(XIHU, "HOUSING", 0, 40), (BINJIANG, "HOUSING", 0, 33),
               (NINGBO_HAISHU, "WAGES", 0, 9)]
    _write(series)
    return fresh


def test_the_z_score_uses_at_least_the_poisson_spread():
    z, mean, spread = rules.z_score(STEADY, 40)
    assert mean == 20 and spread == pytest.approx(20 ** 0.5)
    assert z == pytest.approx(20 / 20 ** 0.5)
    z, mean, spread = rules.z_score([0] * 8, 3)
    assert spread == 1.0 and z == 3.0


@pytest.mark.parametrize("weeks", [0, 1, 2, 8])
def test_the_z_scores_of_many_series_at_once_are_each_ones_z_score(weeks):
    import numpy as np

    rng = np.random.default_rng(weeks)
    history = rng.poisson(rng.uniform(0, 60, size=(200, 1)), size=(200, weeks)).astype(float)
    counts = rng.poisson(30, size=200).astype(float)
    z, mean = rules.z_scores(history, counts)
    assert [(float(a), float(b)) for a, b in zip(z, mean, strict=True)] == [
        rules.z_score(h, c)[:2] for h, c in zip(history, counts, strict=True)]


def test_a_surge_is_flagged_and_steady_or_small_counts_are_not(constructed):
    found = aq.warnings(scope=EVERYTHING, region=PROVINCE, week=WEEK)
    assert list(zip(found["unit"], found["category_code"], strict=True)) == [
        (XIHU, "HOUSING")]
    row = found.iloc[0]
    assert row["received"] == 40 and row["mean"] == pytest.approx(20.0)
    assert row["unit_name"] == "西湖区" and row["category_name"] == "住房保障和物业"
    # The week before had nothing unusual; a city page sees its own counties only.
    assert aq.warnings(scope=EVERYTHING, region=PROVINCE, week=WEEK - timedelta(weeks=1)).empty
    assert aq.warnings(scope=EVERYTHING, region="330200", week=WEEK).empty


def test_rates_and_the_hot_list(constructed):
    counts = aq.weekly(scope=EVERYTHING, region=HANGZHOU, category=None, start=WEEK, end=WEEK)
    assert set(counts["unit"]) == {XIHU, BINJIANG}  # a city's page: by county
    totals = {c: int(counts[c].sum()) for c in aq.COUNTS}
    assert totals["received"] == 73
    assert rules.rates(totals)["handling"] == pytest.approx((36 + 29) / 73 * 100)
    province = aq.weekly(scope=EVERYTHING, region=PROVINCE, category=None, start=WEEK, end=WEEK)
    assert set(province["unit"]) == {HANGZHOU, "330200"}  # the province's: by city
    before = aq.weekly(scope=EVERYTHING, region=PROVINCE, category=None,
                       start=WEEK - timedelta(weeks=1), end=WEEK - timedelta(weeks=1))
    names = aq.categories(scope=EVERYTHING).set_index("code")["name"].to_dict()
    hot = aq.hot_list(province, before, names)
    assert list(hot["category_code"][:2]) == ["HOUSING", "WAGES"]
    housing = hot.iloc[0]
    assert housing["received"] == 73 and housing["previous"] == 34
    assert housing["change"] == pytest.approx(round(39 / 34 * 100, 1))
    assert rules.change_words(0.01) == "持平" and rules.change_words(-3.25) == "▼3.2%"


def test_the_scope_holds_in_sql(constructed):
    hangzhou = Scope(regions=(HANGZHOU,))
    counts = aq.weekly(scope=hangzhou, region=HANGZHOU, category=None, start=WEEK, end=WEEK)
    assert counts["received"].sum() == 73
    binjiang = Scope(regions=(BINJIANG,))
    assert aq.weekly(scope=binjiang, region=HANGZHOU, category=None, start=WEEK,
                     end=WEEK).empty
    assert aq.weekly(scope=binjiang, region=BINJIANG, category=None, start=WEEK,
                     end=WEEK)["received"].sum() == 33
    # A department sees the categories it answers for (HRSS: 欠薪讨薪, 社保医保待遇).
    hrss = Scope(departments=("HRSS",))
    assert set(aq.categories(scope=hrss)["code"]) == {"WAGES", "SOCIAL_SECURITY"}
    assert set(aq.weekly(scope=hrss, region=PROVINCE, category=None, start=WEEK,
                         end=WEEK)["category_code"]) == {"WAGES"}


def test_a_warning_becomes_a_problem_once(constructed):
    now = datetime(2026, 11, 22, 10, 30)
    code = aq.raise_problem(scope=EVERYTHING, region=PROVINCE, unit=XIHU, category="HOUSING",
                            week=WEEK, author="张三", today=now.date(), now=now)
    assert code == "XF-2026-0001"
    with write_transaction() as conn:
        problem = conn.execute(select(Problem).where(Problem.code == code)).one()
        move = conn.execute(select(ProblemMove).where(
            ProblemMove.problem_id == problem.id)).one()
    assert problem.list_code == "PETITION" and problem.region_adcode == XIHU
    assert problem.department_code == "HOUSING" and problem.stage == "found"
    assert problem.deadline == date(2026, 12, 22)
    assert "西湖区住房保障和物业" in problem.title and "z = 4.5" in problem.description
    assert move.moved_by == "张三" and move.to_stage == "found"
    with pytest.raises(aq.RaiseRefused, match="已生成问题 XF-2026-0001"):
        aq.raise_problem(scope=EVERYTHING, region=PROVINCE, unit=XIHU, category="HOUSING",
                         week=WEEK, author="张三", today=now.date(), now=now)
    with pytest.raises(aq.RaiseRefused, match="没有趋势预警"):
        aq.raise_problem(scope=EVERYTHING, region=PROVINCE, unit=BINJIANG,
                         category="HOUSING", week=WEEK, author="张三", today=now.date(),
                         now=now)
    with pytest.raises(aq.RaiseRefused, match="无权限"):
        aq.raise_problem(scope=Scope(regions=("330200",)), region="330200", unit=XIHU,
                         category="HOUSING", week=WEEK, author="张三", today=now.date(),
                         now=now)
    with pytest.raises(aq.RaiseRefused, match="只读"):
        aq.raise_problem(scope=Scope(read_only=True), region=PROVINCE, unit=XIHU,
                         category="HOUSING", week=WEEK, author="大屏", today=now.date(),
                         now=now)


def test_the_demo_finds_its_planted_surges(seeded):
    last = aq.week_range(scope=EVERYTHING)[1]
    found = aq.warnings(scope=EVERYTHING, region=PROVINCE, week=last)
    flagged = set(zip(found["unit"], found["category_code"], strict=True))
    planted = {(a, c) for a, c, w, _ in SURGES if w == last}
    assert planted <= flagged and len(found) <= 8
