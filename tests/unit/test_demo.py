"""The demo generator: deterministic, consistent, plausible against the plan, varied."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from data.demo import generate, periods, province_targets
from data.reference import PROVINCE, read_indicators, read_regions


@pytest.fixture(scope="module")
def demo():
    return generate()


def test_it_is_deterministic(demo):
    again_values, again_targets = generate()
    pd.testing.assert_frame_equal(demo[0], again_values)
    pd.testing.assert_frame_equal(demo[1], again_targets)


def test_every_region_indicator_and_month_has_a_value(demo):
    values, _ = demo
    assert len(values) == 102 * 22 * 70
    assert not values.duplicated(["indicator_code", "region_adcode", "period"]).any()
    assert values["value"].notna().all() and (values["value"] >= 0).all()
    assert set(values["period"]) == set(periods())


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
    for row in read_indicators().itertuples():
        for year in (2021, 2022, 2025):
            target = getattr(row, f"target_{year}")
            if pd.isna(target):
                continue
            actual = province[(row.code, f"{year}-12")]
            assert actual == pytest.approx(target, rel=0.12, abs=1.5), (row.code, year)


def test_the_years_between_the_plan_are_interpolated_and_after_it_extrapolated():
    row = read_indicators().set_index("code").loc["DE_TOTAL"]
    targets = province_targets(row)
    assert targets[2022] == 4.0 and targets[2025] == 5.4
    assert targets[2023] == pytest.approx(4.0 + 1.4 / 3)
    assert targets[2026] > targets[2025]


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
    latest = values[(values["period"] == "2026-10") & (values["indicator_code"] == "DE_TOTAL")]
    by_region = latest.set_index("region_adcode")["value"]
    cities = read_regions().query("level == 'city'")["adcode"]
    top_two = by_region[cities].sort_values(ascending=False).index[:2]
    assert set(top_two) == {"330100", "330200"}
    assert np.isclose(by_region[cities].sum(), by_region[PROVINCE])
