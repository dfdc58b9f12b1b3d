"""The demo generator: deterministic, consistent, plausible against the plan, varied."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from data.demo import BASELINE_PERIOD, LAST_PERIOD, generate, periods
from data.reference import PROVINCE, read_indicators, read_regions
from data.rules import applies_at
from data.targets import province_targets, read_plan_targets


@pytest.fixture(scope="module")
def demo():
    return generate()


def test_it_is_deterministic(demo):
    again_values, again_targets = generate()
    pd.testing.assert_frame_equal(demo[0], again_values)
    pd.testing.assert_frame_equal(demo[1], again_targets)


def test_every_region_has_a_value_where_the_indicator_applies_and_nowhere_else(demo):
    values, _ = demo
    regions = read_regions().set_index("adcode")
    assert not values.duplicated(["indicator_code", "region_adcode", "period"]).any()
    assert values["value"].notna().all() and (values["value"] >= 0).all()
    months = [BASELINE_PERIOD, *periods()]
    for ind in read_indicators().itertuples():
        rows = values[values["indicator_code"] == ind.code]
        where = {a for a in regions.index if applies_at(ind.lowest_level, regions.loc[a, "level"])}
        assert set(rows["region_adcode"]) == where, ind.code
        expected = [p for p in months if ind.frequency == "monthly" or p.endswith("-12")]
        assert sorted(set(rows["period"])) == expected, ind.code
        assert len(rows) == len(where) * len(expected)


def test_province_only_indicators_have_no_county_figures_or_targets(demo):
    values, targets = demo
    only = read_indicators().query("lowest_level == 'province'")["code"]
    assert {"DE_BRAIN_PILOTS", "DS_XAPPS", "DL_SOURCE_ITEMS", "PA_CORE_EVENTS"} <= set(only)
    assert set(values.loc[values["indicator_code"].isin(only), "region_adcode"]) == {PROVINCE}
    assert set(targets.loc[targets["indicator_code"].isin(only), "region_adcode"]) <= {PROVINCE}


def test_the_2020_year_end_is_there_as_every_regions_baseline(demo):
    values, _ = demo
    baseline = values[values["period"] == BASELINE_PERIOD]
    monthly = values[(values["period"] == "2021-01")]
    assert set(zip(baseline["indicator_code"], baseline["region_adcode"], strict=True)) >= set(
        zip(monthly["indicator_code"], monthly["region_adcode"], strict=True))


def test_the_seeds_mid_2021_figures_are_the_demos_where_the_definition_matches(demo):
    values, _ = demo
    june = values[(values["period"] == "2021-06") & (values["region_adcode"] == PROVINCE)
                  ].set_index("indicator_code")["value"]
    assert june["DE_BRAIN_BUILD_PILOTS"] == 30 and june["DE_FUTURE_FACTORY_PILOTS"] == 33
    # The plan's own counts are of other things, and say so in their definition (口径).
    catalogue = read_indicators().set_index("code")
    assert "不同于" in catalogue.loc["DE_BRAIN_PILOTS", "definition"]
    assert "不含试点" in catalogue.loc["DE_FUTURE_FACTORIES", "definition"]
    assert june["DE_BRAIN_PILOTS"] <= 3 and june["DE_FUTURE_FACTORIES"] < 33


def test_a_yearly_statistic_has_one_value_a_year_published_the_next_spring(demo):
    values, _ = demo
    total = values[(values["indicator_code"] == "DE_TOTAL") & (values["region_adcode"] == PROVINCE)]
    assert list(total["period"]) == [f"{y}-12" for y in range(2020, 2026)]
    assert (pd.to_datetime(total["updated_at"]).dt.month == 3).all()
    assert LAST_PERIOD < "2026-12"  # so 2026's figure is not out yet


def test_petitions_fall_and_their_targets_are_left_to_the_rule(demo):
    values, targets = demo
    province = values[(values["indicator_code"] == "DL_PETITIONS")
                      & (values["region_adcode"] == PROVINCE)].set_index("period")["value"]
    totals = [province[f"{y}-12"] for y in range(2020, 2026)]
    assert all(later < earlier for earlier, later in zip(totals, totals[1:], strict=False))
    assert targets[targets["indicator_code"] == "DL_PETITIONS"].empty


def test_regional_targets_are_the_demos_own_derivation_and_whole_where_counted(demo):
    _, targets = demo
    assert set(targets["source"]) == {"demo"}
    assert targets["basis"].str.startswith(("演示数据", "方案未设")).all()
    factories = targets[targets["indicator_code"] == "DE_FUTURE_FACTORIES"]
    assert (factories["target"] == factories["target"].round()).all()
    community = targets[targets["indicator_code"] == "DS_FUTURE_COMMUNITY"]
    assert set(community["year"]) == {2021} and set(community["due_month"]) == {6}


def test_rates_stay_within_0_and_100(demo):
    values, _ = demo
    rates = read_indicators().query("unit == '%'")["code"]
    assert values[values["indicator_code"].isin(rates)]["value"].between(0, 100).all()


def test_counts_of_whole_things_are_whole_and_stocks_never_fall_within_a_year(demo):
    values, _ = demo
    indicators = read_indicators().set_index("code")
    for code in ("DE_FUTURE_FACTORIES", "DE_IIP_PLATFORMS"):
        rows = values[values["indicator_code"] == code]
        assert (rows["value"] == rows["value"].round()).all()
        assert indicators.loc[code, "target_kind"] == "stock"
        series = rows[rows["region_adcode"] == "330100"].sort_values("period")
        yearly = series.groupby(series["period"].str[:4])["value"]
        assert yearly.apply(lambda s: s.is_monotonic_increasing).all()


def test_the_province_ends_each_plan_year_near_its_plan_target(demo):
    values, _ = demo
    province = values[values["region_adcode"] == PROVINCE].set_index(
        ["indicator_code", "period"])["value"]
    for row in read_plan_targets().itertuples():
        actual = province[(row.indicator_code, f"{row.year}-12")]
        assert actual == pytest.approx(row.target, rel=0.12, abs=1.5), (row.indicator_code,
                                                                        row.year)


def test_the_years_between_the_plan_are_interpolated_and_after_it_derived_by_rule():
    catalogue = read_indicators()
    targets = province_targets(catalogue, until=2026).set_index(["indicator_code", "year"])
    total = targets.loc["DE_TOTAL"]
    assert total.loc[2022, "target"] == 4.0 and total.loc[2025, "source"] == "plan"
    assert total.loc[2023, "target"] == pytest.approx(4.0 + 1.4 / 3, abs=1e-3)
    assert total.loc[2023, "source"] == "derived" and "线性推算" in total.loc[2023, "basis"]
    assert total.loc[2026, "target"] == pytest.approx(5.4 + 1.4 / 3, abs=1e-3)
    # Whole things get whole targets; rates hold their last plan target.
    factories = targets.loc["DE_FUTURE_FACTORIES"]
    assert factories.loc[2023, "target"] == 40 and "年均增量" in factories.loc[2023, "basis"]
    assert targets.loc[("DG_MOBILE_ENFORCE", 2026), "target"] == 95
    assert targets.loc[("DL_SOURCE_ITEMS", 2024), "target"] == 3
    # One-off targets are not extended; the plan years themselves are not derived.
    assert ("DS_FUTURE_COMMUNITY", 2022) not in targets.index
    assert ("DL_DOSSIER_DIGITAL", 2022) not in targets.index
    assert ("PDP_SHARE_SAT", 2021) not in targets.index  # needs a baseline
    assert not targets.index.duplicated().any()


def test_regions_differ_so_that_maps_and_rankings_mean_something(demo):
    values, _ = demo
    regions = read_regions().set_index("adcode")
    counties = regions[regions["level"] == "county"].index
    latest = values[(values["period"] == "2026-10") & values["region_adcode"].isin(counties)]
    per_capita = latest[latest["indicator_code"] == "DG_ZLB_DAU"].set_index("region_adcode")[
        "value"] / regions.loc[counties, "population"] * 1e4
    assert per_capita.std() / per_capita.mean() > 0.1
    one_net = latest[latest["indicator_code"] == "DG_ONE_NET"]["value"]
    assert one_net.max() - one_net.min() > 1.0


def test_the_digital_economy_leans_to_hangzhou_and_ningbo(demo):
    values, _ = demo
    latest = values[(values["period"] == "2025-12") & (values["indicator_code"] == "DE_TOTAL")]
    by_region = latest.set_index("region_adcode")["value"]
    cities = read_regions().query("level == 'city'")["adcode"]
    top_two = by_region[cities].sort_values(ascending=False).index[:2]
    assert set(top_two) == {"330100", "330200"}
    assert np.isclose(by_region[cities].sum(), by_region[PROVINCE])
