"""The indicator light rule (data.rules), the single place it is written."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from data.rules import assess, expected_to_date, light_rule_text


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


def test_a_target_of_zero_met_is_green_without_a_ratio():
    row = one(value=0.0, target=0.0, baseline=0.0)
    assert row["light"] == "green"
    assert math.isnan(row["completion"])


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
