"""The indicator light rule (data.rules), the single place it is written."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from data.rules import applies_at, assess, expected_to_date, fill_derived_targets, light_rule_text


def one(**fields) -> pd.Series:
    row = {"value": 50.0, "target": 100.0, "baseline": 0.0, "target_kind": "stock",
           "direction": "higher", "month": 6, "alert_threshold": 90.0,
           "excellent_threshold": 100.0} | fields
    return assess(pd.DataFrame([row])).iloc[0]


def test_a_stock_is_held_to_its_time_prorated_target():
    # Halfway through the year from 60 to 100 the prorated target is 80.
    assert one(value=80, baseline=60, month=6)["expected"] == pytest.approx(80)
    assert one(value=80, baseline=60, month=6)["light"] == "green"
    assert one(value=73, baseline=60, month=6)["light"] == "yellow"  # 91 % of 80
    assert one(value=70, baseline=60, month=6)["light"] == "red"  # 87.5 % of 80


def test_completion_is_against_the_years_target_not_the_prorated_one():
    row = one(value=80, baseline=60, month=6)
    assert row["completion"] == pytest.approx(80.0)
    assert row["progress"] == pytest.approx(100.0)


def test_a_year_to_date_flow_starts_from_zero_each_year():
    row = one(value=2.0, target=4.0, baseline=3.9, target_kind="ytd", month=6)
    assert row["expected"] == pytest.approx(2.0)
    assert row["light"] == "green"


def test_a_level_without_last_december_is_held_to_the_full_target():
    row = one(value=95.0, target=99.0, baseline=float("nan"), target_kind="level", month=3,
              alert_threshold=97.0)
    assert row["expected"] == pytest.approx(99.0)
    assert row["light"] == "red"  # 95.96 % < 97 %


def test_meeting_the_years_target_is_green_even_if_the_rate_fell():
    # Last December was 93 against a target of 90; 91 in June is still on target.
    row = one(value=91.0, target=90.0, baseline=93.0, target_kind="level", month=6,
              alert_threshold=97.0)
    assert row["light"] == "green"
    assert row["progress"] >= 100


def test_lower_is_better_inverts_the_ratios():
    row = one(value=120.0, target=100.0, baseline=140.0, direction="lower", month=12)
    assert row["completion"] == pytest.approx(100 / 120 * 100)
    assert row["light"] == "red"
    assert one(value=95.0, target=100.0, baseline=140.0, direction="lower", month=12)[
        "light"] == "green"


def test_no_target_or_no_value_gives_no_light():
    assert one(target=float("nan"))["light"] == "none"
    missing = one(value=float("nan"))
    assert missing["light"] == "none" and math.isnan(missing["completion"])


def test_a_target_of_zero_is_never_green():
    # A count shared out to a county as 0 says nothing: no light, whatever the value.
    for value in (0.0, 3.0):
        row = one(value=value, target=0.0, baseline=0.0)
        assert row["light"] == "none"
        assert math.isnan(row["completion"]) and math.isnan(row["progress"])
    assert one(value=5.0, target=-1.0)["light"] == "none"


def test_thresholds_come_from_the_indicator():
    strict = one(value=79, baseline=60, month=6, alert_threshold=99, excellent_threshold=100)
    lenient = one(value=79, baseline=60, month=6, alert_threshold=90, excellent_threshold=98)
    assert (strict["light"], lenient["light"]) == ("red", "green")


def test_expected_to_date_in_december_is_the_target():
    frame = expected_to_date(target=pd.Series([10.0]), baseline=pd.Series([4.0]),
                             target_kind=pd.Series(["stock"]), month=pd.Series([12.0]))
    assert frame.iloc[0] == pytest.approx(10.0)


def test_the_rule_text_names_the_thresholds():
    text = light_rule_text(alert_threshold=97, excellent_threshold=100)
    assert "序时进度" in text and "97%" in text and "100%" in text


def test_a_province_only_indicator_does_not_apply_at_a_county():
    row = one(value=30.0, target=20.0, applicable=False)
    assert row["light"] == "na"
    assert math.isnan(row["progress"]) and math.isnan(row["completion"])
    assert math.isnan(row["expected"])
    assert applies_at("province", "province")
    assert not applies_at("province", "city") and not applies_at("city", "county")
    assert applies_at("county", "city") and applies_at("city", "city")


def test_a_june_deadline_prorates_to_june_and_then_holds_the_whole_target():
    # 50 communities due by the end of June, starting from 20 at the end of last year.
    june = one(value=45.0, target=50.0, baseline=20.0, month=6, due_month=6)
    assert june["expected"] == pytest.approx(50.0)
    assert june["light"] == "red"  # past the deadline and short of the target
    assert june["past_due"]
    may = one(value=45.0, target=50.0, baseline=20.0, month=5, due_month=6)
    assert may["expected"] == pytest.approx(20 + 30 * 5 / 6)
    assert may["light"] == "green"  # 45 ≥ 45, still on time
    september = one(value=49.0, target=50.0, baseline=20.0, month=9, due_month=6)
    assert september["expected"] == pytest.approx(50.0) and september["light"] == "red"
    assert one(value=50.0, target=50.0, baseline=20.0, month=6, due_month=6)["light"] == "green"
    # Prorated to December the same 45 in June would have looked comfortably on track.
    assert one(value=45.0, target=50.0, baseline=20.0, month=6)["light"] == "green"


def test_lower_is_better_from_a_baseline():
    # Petitions, a year-to-date flow: 100 last year, the target is to stay below it.
    kwargs = {"target": 100.0, "baseline": 100.0, "target_kind": "ytd", "direction": "lower"}
    assert one(value=40.0, month=6, **kwargs)["light"] == "green"  # 40 ≤ 50 prorated
    assert one(value=53.0, month=6, **kwargs)["light"] == "yellow"  # 50 / 53 = 94 %
    assert one(value=60.0, month=6, **kwargs)["light"] == "red"
    assert one(value=60.0, month=6, **kwargs)["completion"] == pytest.approx(100 / 60 * 100)
    assert one(value=0.0, month=6, **kwargs)["light"] == "green"  # nothing at all: fine


def test_below_last_year_targets_are_derived_from_the_baseline():
    frame = pd.DataFrame([{"value": 40.0, "target": float("nan"), "baseline": 90.0,
                           "target_rule": "below_last_year", "target_kind": "ytd",
                           "direction": "lower", "month": 6, "alert_threshold": 90.0,
                           "excellent_threshold": 100.0}])
    row = assess(fill_derived_targets(frame)).iloc[0]
    assert row["target"] == 90.0 and row["target_source"] == "derived"
    assert row["target_derived"] and row["light"] == "green"
    # Without last year's figure there is nothing to fall below.
    frame.loc[0, "baseline"] = float("nan")
    assert assess(fill_derived_targets(frame)).iloc[0]["light"] == "none"


def test_a_derived_target_is_flagged_and_judged_like_any_other():
    derived = one(value=80.0, baseline=60.0, month=6, target_source="derived")
    plan = one(value=80.0, baseline=60.0, month=6, target_source="plan")
    assert derived["target_derived"] and not plan["target_derived"]
    assert derived["light"] == plan["light"] == "green"
    assert one(target_source="demo")["target_derived"]
    assert not one(target=float("nan"), target_source="derived")["target_derived"]


def test_the_rule_text_tells_a_due_month_and_the_direction():
    text = light_rule_text(alert_threshold=90, excellent_threshold=100, due_month=6,
                           direction="lower")
    assert "完成时限6月底" in text and "越低越好" in text and "目标为零" in text
