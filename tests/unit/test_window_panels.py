"""Panels of a window of time: a context with a window, its comparisons (环比, 同比, ▲▼), the
problems and directives as they stood on the window's last day."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from data import problems_rules
from data.scope import EVERYTHING
from data.windows import Window
from panels import registry
from panels.addresses import BadAddress
from panels.compare import compare, count_change, rank_changes
from panels.context import make_context

PROVINCE, HANGZHOU = "330000", "330100"


def test_a_week_ending_today_shows_what_the_desk_shows(request_context):
    desk = make_context(scope=EVERYTHING, adcode=HANGZHOU)
    week = make_context(scope=EVERYTHING, adcode=HANGZHOU, window=Window.parse("2026-W47"))
    assert (week.period, week.today) == (desk.period, desk.today) == ("2026-10", date(2026, 11, 22))
    assert week.time_window.key == "2026-W47" and desk.time_window.key == "2026-10"
    for key in ("overview", "indicators", "tasks", "problems", "directives"):
        assert registry.build(week, key).stats == registry.build(desk, key).stats, key


def test_a_past_window_is_told_as_it_stood_on_its_last_day(request_context):
    october = make_context(scope=EVERYTHING, window=Window.parse("2026-10"))
    assert (october.period, october.today) == ("2026-10", date(2026, 10, 31))
    assert october.now.date() == date(2026, 10, 31) and october.as_of_words == "截至2026年10月31日"
    today = make_context(scope=EVERYTHING)
    red_then = registry.build(october, "red_problems")
    red_now = registry.build(today, "red_problems")
    # Nothing found after the window's end, nothing closed after it counts as closed.
    assert all(r["found_text"] <= "2026-10-31" for r in red_then.rows)
    assert {s.code: s.value for s in red_then.stats}["red"] == len(red_then.rows)
    assert red_then.rows != red_now.rows
    directives = registry.build(october, "directives")
    assert directives is None or all(r["when"] <= "10-31 99:99" for r in directives.rows)


def test_a_window_that_has_not_begun_or_has_no_figures_is_refused(request_context):
    with pytest.raises(BadAddress, match="尚未开始"):
        make_context(scope=EVERYTHING, window=Window.parse("2027-01"))
    with pytest.raises(BadAddress, match="没有指标数据"):
        make_context(scope=EVERYTHING, window=Window.parse("2019-W10"))
    with pytest.raises(ValueError, match="not both"):
        make_context(scope=EVERYTHING, period="2026-10", window=Window.parse("2026-10"))


def test_a_window_is_compared_with_the_one_before_and_a_year_earlier(request_context):
    quarter = make_context(scope=EVERYTHING, window=Window.parse("2026-Q3"))
    pair = compare(quarter)
    assert (quarter.period, quarter.today) == ("2026-09", date(2026, 9, 30))
    assert (pair.previous.period, pair.previous.today) == ("2026-06", date(2026, 6, 30))
    assert (pair.year_before.period, pair.year_before.today) == ("2025-09", date(2025, 9, 30))
    week = compare(make_context(scope=EVERYTHING, window=Window.parse("2026-W47")))
    # The week before shows the same month: its indicators are compared with the month before.
    assert week.previous.time_window.key == "2026-W46" and week.previous.period == "2026-09"
    first = compare(make_context(scope=EVERYTHING, window=Window.parse("2021-01")))
    assert first.year_before is None and first.previous.period == "2020-12"


def test_changes_of_counts_and_ranks():
    assert count_change(7, 3) == "+4" and count_change(3, 7) == "-4"
    assert count_change(5, 5) == "持平" and count_change(None, 5) == "—"
    assert count_change(91.8, 90.3, percent=True) == "+1.5个百分点"
    now = [{"adcode": "a", "rank": 1}, {"adcode": "b", "rank": 2}, {"adcode": "c", "rank": 3},
           {"adcode": "d", "rank": None}]
    before = [{"adcode": "a", "rank": 3}, {"adcode": "b", "rank": 2}, {"adcode": "c", "rank": 1}]
    assert rank_changes(now, before) == {"a": "▲2", "b": "持平", "c": "▼2", "d": "—"}
    assert rank_changes(now, None)["a"] == "—"


def test_problems_as_they_stood_on_a_day():
    frame = pd.DataFrame([
        {"id": 1, "stage": "closed", "found_on": date(2026, 1, 5), "assigned_on": date(2026, 1, 6),
         "rectifying_on": date(2026, 1, 8), "awaiting_on": date(2026, 2, 1),
         "closed_on": date(2026, 3, 1), "deadline": date(2026, 2, 10)},
        {"id": 2, "stage": "assigned", "found_on": date(2026, 2, 20),
         "assigned_on": date(2026, 2, 21), "rectifying_on": None, "awaiting_on": None,
         "closed_on": None, "deadline": date(2026, 3, 20)},
        {"id": 3, "stage": "rectifying", "found_on": date(2026, 1, 1), "assigned_on": None,
         "rectifying_on": None, "awaiting_on": None, "closed_on": None,
         "deadline": date(2026, 1, 31)},  # imported without dates: kept as stored
    ])
    then = problems_rules.as_of(frame, date(2026, 2, 15)).set_index("id")
    assert list(then.index) == [1, 3]  # problem 2 was not found yet
    assert then.loc[1, "stage"] == "awaiting" and then.loc[1, "closed_on"] is None
    assert then.loc[3, "stage"] == "rectifying"
    lights = problems_rules.assess_problems(then.reset_index(), today=date(2026, 2, 15))
    assert list(lights["light"]) == ["red", "red"]  # open past the deadline on that day
    later = problems_rules.as_of(frame, date(2026, 3, 31))
    assert list(later["stage"]) == list(frame["stage"])
    assert list(later["closed_on"]) == list(frame["closed_on"])
