"""Windows of time (data/windows.py): keys, labels, comparisons, the month their indicators
show and the day their topics are judged on. Pure date arithmetic."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from data.windows import BadWindow, Window, latest

AVAILABLE = [f"2025-{m:02d}" for m in range(1, 13)] + [f"2026-{m:02d}" for m in range(1, 11)]


@pytest.mark.parametrize(("key", "kind", "start", "end", "label"), [
    ("2026-W47", "week", date(2026, 11, 16), date(2026, 11, 22),
     "2026年第47周（11月16日—11月22日）"),
    ("2026-10", "month", date(2026, 10, 1), date(2026, 10, 31), "2026年10月"),
    ("2026-B5", "bimonth", date(2026, 9, 1), date(2026, 10, 31), "2026年9—10月"),
    ("2026-Q4", "quarter", date(2026, 10, 1), date(2026, 12, 31), "2026年第四季度"),
    ("2024", "year", date(2024, 1, 1), date(2024, 12, 31), "2024年"),
    ("2026-W01", "week", date(2025, 12, 29), date(2026, 1, 4), "2026年第1周（12月29日—1月4日）"),
])
def test_a_key_names_one_window_and_back(key, kind, start, end, label):
    window = Window.parse(key)
    assert (window.kind, window.start, window.end, window.label) == (kind, start, end, label)
    assert window.key == key and Window.parse(window.key) == window


def test_a_month_or_a_day_gives_the_window_of_a_kind():
    assert Window.parse("2026-10", kind="quarter").key == "2026-Q4"
    assert Window.parse("2026-10", kind="bimonth").key == "2026-B5"
    assert Window.parse("2026-10", kind="year").key == "2026"
    # A weekly report "of October" is the last ISO week that ends within October.
    assert Window.parse("2026-10", kind="week").key == "2026-W43"
    assert Window.parse("2026-11-22", kind="week").key == "2026-W47"
    assert Window.parse("2026-11-22").key == "2026-11"


@pytest.mark.parametrize("key", ["2026-13", "2026-W54", "2026-Q5", "2026-B7", "abc", "2026-02-30"])
def test_a_key_that_names_nothing_is_refused_in_chinese(key):
    with pytest.raises(BadWindow, match="[\u4e00-\u9fff]"):
        Window.parse(key)
    with pytest.raises(BadWindow, match="时段类型"):
        Window.parse("2026-10", kind="fortnight")


@pytest.mark.parametrize(("key", "previous", "year_before"), [
    ("2026-W47", "2026-W46", "2025-W47"),
    ("2026-W01", "2025-W52", "2025-W01"),
    ("2020-W53", "2020-W52", "2019-W52"),
    ("2022-W52", "2022-W51", "2021-W52"),
    ("2026-01", "2025-12", "2025-01"),
    ("2026-B1", "2025-B6", "2025-B1"),
    ("2026-Q1", "2025-Q4", "2025-Q1"),
    ("2026", "2025", "2025"),
])
def test_the_window_before_and_a_year_earlier(key, previous, year_before):
    window = Window.parse(key)
    assert window.previous().key == previous
    assert window.year_before().key == year_before
    assert window.previous().next() == window


def test_a_week_that_has_no_twin_a_year_earlier_takes_that_years_last_week():
    assert Window.parse("2026-W53").year_before().key == "2025-W52"
    assert Window.parse("2021-W01").year_before().key == "2020-W01"


def test_indicators_show_the_windows_last_month_with_figures():
    assert Window.parse("2026-10").indicator_period(AVAILABLE) == "2026-10"
    assert Window.parse("2026-Q3").indicator_period(AVAILABLE) == "2026-09"
    # A quarter not over yet shows its latest month with figures.
    assert Window.parse("2026-Q4").indicator_period(AVAILABLE) == "2026-10"
    # A week inside November, before November is over: October.
    assert Window.parse("2026-W47").indicator_period(AVAILABLE) == "2026-10"
    # A week that ends on a month's last day shows that month.
    assert Window.parse("2026-W22").end == date(2026, 5, 31)
    assert Window.parse("2026-W22").indicator_period(AVAILABLE) == "2026-05"
    assert Window.parse("2024").indicator_period(AVAILABLE) is None


def test_topics_are_judged_on_the_windows_last_day_or_today():
    today = date(2026, 11, 22)
    assert Window.parse("2026-10").as_of(today) == date(2026, 10, 31)
    assert Window.parse("2026-Q4").as_of(today) == today
    assert not Window.parse("2026-Q4").is_over(today)
    now = datetime(2026, 11, 22, 15, 30)
    assert Window.parse("2026-10").moment(now) == datetime(2026, 10, 31, 23, 59, 59)
    assert Window.parse("2026-Q4").moment(now) == now
    assert Window.parse("2026-10").months == ("2026-10",)
    assert Window.parse("2026-Q4").months == ("2026-10", "2026-11", "2026-12")
    assert Window.parse("2021-07").overlaps(datetime(2021, 7, 20), datetime(2021, 7, 30))
    assert not Window.parse("2021-08").overlaps(datetime(2021, 7, 20), datetime(2021, 7, 30))


def test_the_latest_window_a_user_wants():
    today = date(2026, 11, 22)  # a Sunday: its week is over
    assert latest("week", today).key == "2026-W47"
    assert latest("month", today).key == "2026-10"
    assert latest("quarter", today).key == "2026-Q3"
    assert latest("year", today).key == "2025"
