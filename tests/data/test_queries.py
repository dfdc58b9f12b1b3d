"""Queries on the seeded demo store, the same tests on SQLite and PostgreSQL."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from data import queries
from data.demo import BASELINE_PERIOD, LAST_PERIOD
from data.reference import PROVINCE, read_indicators
from data.scope import EVERYTHING, Scope

HANGZHOU, WEST_LAKE, NINGBO = "330100", "330106", "330200"


def test_region_tree_has_the_province_its_cities_and_counties(seeded):
    tree = queries.regions(scope=EVERYTHING)
    assert tree["level"].value_counts().to_dict() == {"county": 90, "city": 11, "province": 1}
    west_lake = tree.set_index("adcode").loc[WEST_LAKE]
    assert west_lake["ancestors"] == [PROVINCE, HANGZHOU]
    assert west_lake["name"] == "西湖区"


def test_a_city_scope_sees_only_its_own_subtree(seeded):
    tree = queries.regions(scope=Scope(regions=(HANGZHOU,)))
    assert set(tree["level"]) == {"city", "county"}
    assert len(tree) == 1 + 13
    assert PROVINCE not in set(tree["adcode"])
    status = queries.indicator_status(scope=Scope(regions=(HANGZHOU,)),
                                      adcodes=(NINGBO, HANGZHOU), period=LAST_PERIOD)
    assert set(status["region_adcode"]) == {HANGZHOU}


def test_a_department_scope_sees_only_its_indicators(seeded):
    catalogue = queries.indicators(scope=Scope(departments=("ECONOMY_IT",)))
    assert len(catalogue) == len(read_indicators().query("owner_department == 'ECONOMY_IT'"))
    assert set(catalogue["owner_department"]) == {"ECONOMY_IT"}
    status = queries.indicator_status(scope=Scope(departments=("ECONOMY_IT",)),
                                      adcodes=(PROVINCE,), period=LAST_PERIOD)
    assert set(status["indicator_code"]) == set(catalogue["code"])


def test_periods_run_monthly_from_the_baseline_to_the_last(seeded):
    found = queries.periods(scope=EVERYTHING)
    assert found[0] == BASELINE_PERIOD and found[-1] == LAST_PERIOD
    assert len(found) == 71


def test_kpi_status_of_the_province_has_every_indicator_with_a_light(seeded):
    status = queries.indicator_status(scope=EVERYTHING, adcodes=(PROVINCE,), period="2026-10")
    assert len(status) == len(read_indicators())
    assert status["value"].notna().all() and status["applicable"].all()
    with_target = status[status["target"].notna()]
    assert set(with_target["light"]) <= {"green", "yellow", "red"}
    # Without a target (the pilots, one-off targets of 2021) there is no light, not green.
    untargeted = set(status.loc[status["target"].isna(), "indicator_code"])
    assert untargeted == {"DE_FUTURE_FACTORY_PILOTS", "DE_BRAIN_BUILD_PILOTS",
                          "DS_FUTURE_COMMUNITY", "DL_DOSSIER_DIGITAL"}
    assert set(status.loc[status["target"].isna(), "light"]) == {"none"}
    one_net = status.set_index("indicator_code").loc["DG_ONE_NET"]
    assert one_net["as_of"] == "2026-10"
    assert one_net["completion"] == pytest.approx(one_net["value"] / one_net["target"] * 100)


def test_year_on_year_compares_with_the_same_month_last_year(seeded):
    now = queries.indicator_status(scope=EVERYTHING, adcodes=(HANGZHOU,), period="2026-10",
                                   indicator="DG_ZLB_DAU").iloc[0]
    before = queries.indicator_status(scope=EVERYTHING, adcodes=(HANGZHOU,), period="2025-10",
                                      indicator="DG_ZLB_DAU").iloc[0]
    assert now["last_year_value"] == pytest.approx(before["value"])
    assert now["yoy_ratio"] == pytest.approx((now["value"] / before["value"] - 1) * 100)


def test_the_first_year_is_judged_from_the_2020_baseline_without_a_year_on_year(seeded):
    first = queries.indicator_status(scope=EVERYTHING, adcodes=(PROVINCE,), period="2021-06")
    monthly = first[first["frequency"] == "monthly"]
    assert monthly["last_year_value"].isna().all()
    assert monthly["baseline"].notna().all()
    one_net = first.set_index("indicator_code").loc["DG_ONE_NET"]
    assert one_net["expected"] == pytest.approx(
        one_net["baseline"] + (85.0 - one_net["baseline"]) * 6 / 12)


def test_a_june_deadline_in_the_demo_is_judged_in_june(seeded):
    june = queries.indicator_status(scope=EVERYTHING, adcodes=(PROVINCE,), period="2021-06",
                                    indicator="DS_FUTURE_COMMUNITY").iloc[0]
    assert june["due_month"] == 6 and june["target"] == 50 and june["target_wording"] == "at_least"
    assert june["expected"] == pytest.approx(50.0)
    assert june["light"] == ("green" if june["value"] >= 50 else "red")


def test_province_only_indicators_do_not_apply_below_the_province(seeded):
    tree = queries.regions(scope=EVERYTHING)
    counties = tuple(tree.loc[tree["level"] == "county", "adcode"])
    status = queries.indicator_status(scope=EVERYTHING, adcodes=counties, period="2021-12",
                                      indicator="DE_BRAIN_PILOTS")
    assert set(status["light"]) == {"na"} and not status["applicable"].any()
    comparison = queries.region_comparison(scope=EVERYTHING, adcode=PROVINCE,
                                           indicator="DE_BRAIN_PILOTS", period="2021-12")
    assert len(comparison) == 11 and not comparison["ranked"].any()
    cities = queries.region_comparison(scope=EVERYTHING, adcode=PROVINCE,
                                       indicator="DE_FUTURE_FACTORIES", period="2021-12")
    assert cities["ranked"].all()
    county_level = queries.region_comparison(scope=EVERYTHING, adcode=HANGZHOU,
                                             indicator="DE_FUTURE_FACTORIES", period="2021-12")
    assert set(county_level["light"]) == {"na"}


def test_no_county_is_green_on_a_zero_target(seeded):
    tree = queries.regions(scope=EVERYTHING)
    counties = tuple(tree.loc[tree["level"] == "county", "adcode"])
    status = queries.indicator_status(scope=EVERYTHING, adcodes=counties, period="2021-12")
    assert not ((status["target"] <= 0) & (status["light"] == "green")).any()


def test_derived_targets_are_flagged_and_the_plans_are_not(seeded):
    status = queries.indicator_status(scope=EVERYTHING, adcodes=(PROVINCE, WEST_LAKE),
                                      period="2023-06").set_index(
                                          ["region_adcode", "indicator_code"])
    assert status.loc[(PROVINCE, "DE_TOTAL"), "target_source"] == "plan"  # 2022's value
    assert not status.loc[(PROVINCE, "DE_TOTAL"), "target_derived"]
    one_net = status.loc[(PROVINCE, "DG_ONE_NET")]
    assert one_net["target_source"] == "derived" and one_net["target_derived"]
    assert "方案未设2023年目标" in one_net["target_basis"]
    county = status.loc[(WEST_LAKE, "DG_ZLB_DAU")]
    assert county["target_source"] == "demo" and county["target_derived"]
    petitions = status.loc[(WEST_LAKE, "DL_PETITIONS")]
    assert petitions["target"] == petitions["baseline"] and petitions["target_derived"]


def test_a_yearly_statistic_shows_last_years_figure_until_this_years_is_out(seeded):
    row = queries.indicator_status(scope=EVERYTHING, adcodes=(PROVINCE,), period="2026-10",
                                   indicator="DE_TOTAL").iloc[0]
    assert row["as_of"] == "2025-12" and row["value_year"] == 2025
    assert row["target"] == pytest.approx(5.4) and row["month"] == 12


def test_additive_indicators_add_up_from_counties_to_cities_to_province(seeded):
    tree = queries.regions(scope=EVERYTHING)
    cities = tuple(tree.loc[tree["level"] == "city", "adcode"])
    for code in ("DE_IIP_PLATFORMS", "DG_ZLB_DAU", "DE_TOTAL", "DE_SMART_FACTORIES"):
        province = queries.indicator_status(scope=EVERYTHING, adcodes=(PROVINCE,),
                                            period="2025-06", indicator=code)
        by_city = queries.indicator_status(scope=EVERYTHING, adcodes=cities, period="2025-06",
                                           indicator=code)
        assert by_city["value"].sum() == pytest.approx(province["value"].iloc[0], rel=1e-6)
        assert by_city["target"].sum() == pytest.approx(province["target"].iloc[0], rel=1e-6)
        if province["lowest_level"].iloc[0] != "county":
            continue
        for city in (HANGZHOU, NINGBO):
            counties = tuple(tree.loc[tree["parent_adcode"] == city, "adcode"])
            parts = queries.indicator_status(scope=EVERYTHING, adcodes=counties,
                                             period="2025-06", indicator=code)
            whole = by_city.set_index("region_adcode").loc[city, "value"]
            assert parts["value"].sum() == pytest.approx(whole, rel=1e-6)


def test_rates_of_the_province_are_population_weighted_means_of_the_cities(seeded):
    tree = queries.regions(scope=EVERYTHING)
    cities = tree[tree["level"] == "city"]
    by_city = queries.indicator_status(scope=EVERYTHING, adcodes=tuple(cities["adcode"]),
                                       period="2024-03", indicator="DG_ONE_NET")
    merged = by_city.merge(cities[["adcode", "population"]], left_on="region_adcode",
                           right_on="adcode")
    weighted = (merged["value"] * merged["population"]).sum() / merged["population"].sum()
    province = queries.indicator_status(scope=EVERYTHING, adcodes=(PROVINCE,), period="2024-03",
                                        indicator="DG_ONE_NET")
    assert province["value"].iloc[0] == pytest.approx(weighted, rel=1e-4)


def test_the_plan_targets_are_the_provinces_targets(seeded):
    for code, year, target in (("DG_ONE_NET", 2021, 85.0), ("DE_TOTAL", 2025, 5.4),
                               ("DE_IIP_PLATFORMS", 2022, 300.0)):
        status = queries.indicator_status(scope=EVERYTHING, adcodes=(PROVINCE,),
                                          period=f"{year}-12", indicator=code)
        assert status["target"].iloc[0] == pytest.approx(target)


def test_comparison_of_a_city_is_its_counties_and_of_a_county_its_siblings(seeded):
    city = queries.region_comparison(scope=EVERYTHING, adcode=HANGZHOU,
                                     indicator="DG_ZLB_DAU", period="2026-10")
    assert len(city) == 13 and not city["is_current"].any()
    county = queries.region_comparison(scope=EVERYTHING, adcode=WEST_LAKE,
                                       indicator="DG_ZLB_DAU", period="2026-10")
    assert set(county["adcode"]) == set(city["adcode"])
    assert county.loc[county["is_current"], "adcode"].tolist() == [WEST_LAKE]
    province = queries.region_comparison(scope=EVERYTHING, adcode=PROVINCE,
                                         indicator="DG_ZLB_DAU", period="2026-10")
    assert len(province) == 11 and province["value"].notna().all()
    assert province["value"].nunique() == 11  # regions really differ


def test_comparison_of_an_unknown_region_is_empty(seeded):
    assert queries.region_comparison(scope=EVERYTHING, adcode="999999", indicator="DG_ONE_NET",
                                     period="2026-10").empty


def test_trend_ends_at_the_period_and_carries_the_prorated_target(seeded):
    trend = queries.indicator_trend(scope=EVERYTHING, adcode=HANGZHOU,
                                    indicator="DG_ZLB_DAU", period="2024-06")
    assert trend["period"].iloc[0] == BASELINE_PERIOD and trend["period"].iloc[-1] == "2024-06"
    june = trend.set_index("period").loc["2024-06"]
    december = trend.set_index("period").loc["2023-12", "value"]
    assert june["expected"] == pytest.approx(december + (june["target"] - december) * 6 / 12)


def test_dataset_status_reports_demo_data_and_freshness(seeded):
    status = queries.dataset_status(scope=EVERYTHING)
    assert status["demo"] is True
    assert status["latest_period"] == LAST_PERIOD
    assert pd.Timestamp(status["updated_at"]) == pd.Timestamp("2026-11-10 09:30")


def test_the_lights_vary_across_counties(seeded):
    tree = queries.regions(scope=EVERYTHING)
    counties = tuple(tree.loc[tree["level"] == "county", "adcode"])
    status = queries.indicator_status(scope=EVERYTHING, adcodes=counties, period="2026-10")
    status = status[status["applicable"] & status["target"].notna()]
    shares = status["light"].value_counts(normalize=True)
    assert shares.get("green", 0) > 0.4
    assert shares.get("yellow", 0) > 0.03 and shares.get("red", 0) > 0.01
    assert not math.isnan(status["progress"].median())


def test_months_and_freshness_read_from_the_indexes_agree_with_the_values(fresh):
    """queries.periods (month by month along the index) and dataset_status (the ends of the
    indexes) give what a DISTINCT and a MAX over every value give, for every kind of scope,
    after writes that leave gaps between months and reach far back."""
    from datetime import datetime

    from sqlalchemy import func, insert, select

    from data.schema import IndicatorValue
    from data.store import read_connection, write_transaction

    catalogue = queries.indicators(scope=EVERYTHING)
    economy = catalogue.loc[catalogue["owner_department"] == "ECONOMY_IT", "code"].iloc[0]
    other = catalogue.loc[catalogue["owner_department"] != "ECONOMY_IT", "code"].iloc[0]
    rows = [  # (indicator, region, period, updated)
        (economy, WEST_LAKE, "1430-01", datetime(2026, 1, 5)),
        (economy, WEST_LAKE, "2024-06", datetime(2026, 2, 5)),
        (other, NINGBO, "2019-03", datetime(2026, 3, 5)),
        (other, PROVINCE, "2026-10", datetime(2026, 11, 9)),
        (economy, NINGBO, "2025-12", datetime(2026, 11, 10)),
    ]
    scopes = [EVERYTHING, Scope(regions=(HANGZHOU,)), Scope(regions=(WEST_LAKE,)),
              Scope(departments=("ECONOMY_IT",)),
              Scope(regions=(NINGBO,), departments=("ECONOMY_IT",)),
              Scope(regions=(HANGZHOU,), departments=("NO_SUCH_DEPARTMENT",))]

    def naive(scope):
        clauses = queries.value_clauses(scope, IndicatorValue)
        with read_connection() as conn:
            months = sorted(conn.execute(select(IndicatorValue.period).distinct()
                                         .where(*clauses)).scalars())
            newest = conn.execute(select(func.max(IndicatorValue.updated_at),
                                         func.max(IndicatorValue.period)).where(*clauses)).one()
        return months, tuple(newest)

    assert queries.periods(scope=EVERYTHING) == []
    for count in (1, 3, len(rows)):  # after each write, the new months are there
        with write_transaction() as conn:
            conn.execute(insert(IndicatorValue), [
                {"indicator_code": code, "region_adcode": region, "period": period,
                 "value": 1.0, "updated_at": updated, "source": "import"}
                for code, region, period, updated in rows[:count] if period not in
                queries.periods.uncached(scope=Scope(regions=(region,)))])
        for scope in scopes:
            months, (updated, latest) = naive(scope)
            assert queries.periods(scope=scope) == months, scope
            status = queries.dataset_status(scope=scope)
            assert status["latest_period"] == latest, scope
            assert (updated is None) or status["updated_at"] >= updated, scope
    assert queries.periods(scope=EVERYTHING) == ["1430-01", "2019-03", "2024-06", "2025-12",
                                                 "2026-10"]
    assert queries.periods(scope=Scope(regions=(HANGZHOU,))) == ["1430-01", "2024-06"]
    assert queries.periods(scope=Scope(regions=(HANGZHOU,),
                                       departments=("NO_SUCH_DEPARTMENT",))) == []


def test_the_trend_reads_and_draws_only_its_window_of_six_years(fresh):
    """A store with twenty years of one indicator: the trend of 2026-10 reads and draws
    2020-12 (the baseline of 2021) to 2026-10, never an earlier month; the window's first
    month shows its value only, and each year's prorated target starts from the December
    before it, the first year's from the window's first month."""
    from datetime import datetime

    from sqlalchemy import event, insert

    from data.rules import trend_window
    from data.schema import IndicatorTarget, IndicatorValue
    from data.store import engine, write_transaction
    from panels.context import make_context
    from panels.registry import build

    catalogue = queries.indicators(scope=EVERYTHING).set_index("code")
    code = next(c for c in catalogue.index if catalogue.loc[c, "target_kind"] != "ytd"
                and catalogue.loc[c, "direction"] == "higher"
                and catalogue.loc[c, "lowest_level"] in ("city", "county"))
    months = [queries.shift_period("2006-12", n) for n in range(239)]  # to 2026-10
    assert months[-1] == "2026-10"
    with write_transaction() as conn:
        conn.execute(insert(IndicatorValue), [
            {"indicator_code": code, "region_adcode": HANGZHOU, "period": month,
             "value": 100.0 + n, "updated_at": datetime(2026, 11, 1), "source": "import"}
            for n, month in enumerate(months)])
        conn.execute(insert(IndicatorTarget), [
            {"indicator_code": code, "region_adcode": HANGZHOU, "year": year,
             "target": 1000.0, "due_month": 12, "source": "import"}
            for year in range(2007, 2027)])
    assert trend_window("2026-10") == ("2020-12", "2026-10")
    sent = []

    def record(conn, cursor, statement, parameters, context, executemany):  # noqa: ARG001
        if "indicator_values" in statement:
            sent.append((statement, parameters))

    event.listen(engine(), "before_cursor_execute", record)
    try:
        trend = queries.indicator_trend(scope=EVERYTHING, adcode=HANGZHOU, indicator=code,
                                        period="2026-10")
    finally:
        event.remove(engine(), "before_cursor_execute", record)
    assert list(trend["period"]) == months[months.index("2020-12"):]
    first = trend.iloc[0]
    assert first["value"] == 100.0 + months.index("2020-12")
    assert math.isnan(first["target"]) and math.isnan(first["expected"])
    by_month = trend.set_index("period")
    for month, baseline in (("2021-06", "2020-12"), ("2025-03", "2024-12")):
        start = by_month.loc[baseline, "value"]
        assert by_month.loc[month, "expected"] == pytest.approx(
            start + (1000.0 - start) * int(month[5:]) / 12)
    # The store was asked for the window's months only (bounded below by its first month).
    assert sent and all("2020-12" in str(parameters) for _, parameters in sent)
    # An earlier period's window ends there and begins six years before it.
    earlier = queries.indicator_trend(scope=EVERYTHING, adcode=HANGZHOU, indicator=code,
                                      period="2016-03")
    assert (earlier["period"].iloc[0], earlier["period"].iloc[-1]) == ("2010-12", "2016-03")
    # The panel every surface renders draws the same months and says which.
    model = build(make_context(scope=EVERYTHING, adcode=HANGZHOU, indicator=code,
                               period="2026-10"), "trend")
    drawn = model.figures["trend"].to_plotly_json()["data"]
    assert all(list(trace["x"])[0] == "2020-12" for trace in drawn)
    assert "2021年1月至2026年10月" in model.rule and "2020年12月为基期" in model.rule


@pytest.mark.parametrize("scope", [EVERYTHING, Scope(regions=(HANGZHOU,)),
                                   Scope(departments=("ECONOMY_IT",))], ids=repr)
def test_statuses_shared_by_a_build_are_those_each_panel_would_read(seeded, scope):
    """Within a build (a query memo), the statuses shared for a region and the regions it is
    compared with, this month and the one before (queries.share_statuses), give each question
    of a panel — a region's cards, one indicator across the counties, a board's two months,
    regions asked in another order — exactly what it reads on its own."""
    from data.store import query_memo

    tree = queries.regions(scope=scope)
    counties = tuple(tree.loc[tree["parent_adcode"] == HANGZHOU, "adcode"])
    code = queries.indicators(scope=scope)["code"].iloc[-1]
    questions = [
        {"adcodes": (HANGZHOU,), "periods": ("2026-10",)},
        {"adcodes": counties, "periods": ("2026-10",), "indicator": code},
        {"adcodes": counties, "periods": ("2026-09", "2026-10")},
        {"adcodes": tuple(reversed(counties[:5])), "periods": ("2026-10", "2026-09")},
        {"adcodes": (WEST_LAKE, NINGBO), "periods": ("2026-10",)},  # not all shared
        {"adcodes": counties, "periods": ("2026-08", "2026-10")},  # a month not shared
    ]
    alone = [queries.statuses(scope=scope, **question) for question in questions]
    with query_memo():
        queries.share_statuses(scope=scope, adcodes=(HANGZHOU, *counties),
                               periods=("2026-09", "2026-10"))
        shared = [queries.statuses(scope=scope, **question) for question in questions]
        cards = queries.indicator_status(scope=scope, adcodes=(HANGZHOU,), period="2026-10")
    for own, taken in zip(alone, shared, strict=True):
        assert own.keys() == taken.keys()
        for period in own:
            assert_same_rows(own[period], taken[period])
    assert_same_rows(alone[0]["2026-10"], cards)


def assert_same_rows(own: pd.DataFrame, taken: pd.DataFrame) -> None:
    """The same rows, columns and values; the same types where ``own`` holds a value (a
    column read from no row at all has no type of its own: object)."""
    assert list(own.columns) == list(taken.columns)
    typed = [c for c in own.columns if own[c].notna().any()]
    pd.testing.assert_frame_equal(own[typed], taken[typed])
    missing = [c for c in own.columns if c not in typed]
    assert taken[missing].isna().all().all()
