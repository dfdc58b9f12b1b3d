"""Windows of time on the work's rhythm: a week (ISO), a month, two months, a quarter, a year.

The reform reports weekly (周报告), meets monthly (月例会), evaluates every two months
(两个月一般性评估) and takes stock at the year's end (年底总盘点). A :class:`Window` is one such
stretch of days, calendar-aligned (ISO weeks from Monday; two-month windows Jan–Feb, Mar–Apr …;
quarters Jan–Mar …), compared with the window before (环比, :meth:`Window.previous`) and the same
window a year earlier (同比, :meth:`Window.year_before`).

What a window means for each kind of figure (one rule, used by the panels and the briefing):

- Monthly indicators show the window's last month with figures (:meth:`Window.indicator_period`:
  the latest month with values that does not end after the window; a week in November before
  November's figures are in shows October).
- Tasks, problems, directives and risk events are judged on the window's last day, or today if the
  window is not over yet (:meth:`Window.as_of`).

Keys (the address and the command line): ``2026-W47`` (week), ``2026-10`` (month), ``2026-B5``
(the fifth two-month window, Sep–Oct), ``2026-Q4`` (quarter), ``2026`` (year).
Pure date arithmetic: no store, no clock (``today`` is always an argument).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

#: The kinds of window, shortest first.
KINDS = ("week", "month", "bimonth", "quarter", "year")
#: Chinese names of the kinds (the form, the cover).
KIND_NAMES = {"week": "周", "month": "月", "bimonth": "两个月", "quarter": "季度", "year": "年度"}
#: What a briefing of each kind is called.
REPORT_NAMES = {"week": "周报", "month": "月报", "bimonth": "双月报", "quarter": "季报",
                "year": "年报"}
#: Months per window for the month-aligned kinds.
MONTHS = {"month": 1, "bimonth": 2, "quarter": 3, "year": 12}
QUARTER_WORDS = ("一", "二", "三", "四")

_KEYS = {
    "week": re.compile(r"^(\d{4})-W(\d{2})$"),
    "month": re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$"),
    "bimonth": re.compile(r"^(\d{4})-B([1-6])$"),
    "quarter": re.compile(r"^(\d{4})-Q([1-4])$"),
    "year": re.compile(r"^(\d{4})$"),
}
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class BadWindow(ValueError):
    """A window key or kind that names nothing; the message is Chinese, for the user."""


def _month_start(year: int, month: int) -> date:
    return date(year, month, 1)


def _month_end(year: int, month: int) -> date:
    following = date(year + (month == 12), month % 12 + 1, 1)
    return following - timedelta(days=1)


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def _period(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


@dataclass(frozen=True, order=True)
class Window:
    """A stretch of days from ``start`` to ``end`` (both included) of one ``kind``."""

    kind: str
    start: date
    end: date

    # --- making one ------------------------------------------------------------------------

    @classmethod
    def containing(cls, kind: str, day: date) -> Window:
        """The window of ``kind`` that contains ``day``."""
        if kind not in KINDS:
            raise BadWindow(f"时段类型“{kind}”不存在，可选：{'、'.join(KINDS)}。")
        if kind == "week":
            start = day - timedelta(days=day.isoweekday() - 1)
            return cls("week", start, start + timedelta(days=6))
        size = MONTHS[kind]
        first = (day.month - 1) // size * size + 1
        last_year, last_month = _add_months(day.year, first, size - 1)
        return cls(kind, _month_start(day.year, first), _month_end(last_year, last_month))

    @classmethod
    def month(cls, period: str) -> Window:
        """The month window of a period ``YYYY-MM``."""
        return cls.parse(period, kind="month")

    @classmethod
    def parse(cls, key: str, *, kind: str | None = None) -> Window:
        """A window from its key (``2026-W47``, ``2026-10``, ``2026-B5``, ``2026-Q4``,
        ``2026``) or from a day (``2026-11-22``: the window of ``kind`` containing it).

        With ``kind`` and a key of another kind, the window of ``kind`` that holds the key's
        window's last day — except a week from a month: the last ISO week that ends within the
        month (a weekly report "of October" is its last full week). Raises :class:`BadWindow`.
        """
        key = str(key).strip()
        if kind is not None and kind not in KINDS:
            raise BadWindow(f"时段类型“{kind}”不存在，可选：{'、'.join(KINDS)}。")
        if _DAY.match(key):
            try:
                day = date.fromisoformat(key)
            except ValueError as error:
                raise BadWindow(f"日期“{key}”不存在。") from error
            return cls.containing(kind or "month", day)
        for own, pattern in _KEYS.items():
            found = pattern.match(key)
            if not found:
                continue
            window = cls._from_key(own, int(found.group(1)), int(found.group(2))
                                   if found.lastindex and found.lastindex > 1 else 0, key)
            if kind is None or kind == own:
                return window
            if kind == "week":
                last = window.end - timedelta(days=window.end.isoweekday() % 7)
                return cls.containing("week", last)
            return cls.containing(kind, window.end)
        raise BadWindow(f"时段“{key}”格式不正确，应为 2026-10（月）、2026-W47（周）、"
                        "2026-B5（两个月）、2026-Q4（季度）或 2026（年）。")

    @classmethod
    def _from_key(cls, kind: str, year: int, number: int, key: str) -> Window:
        if kind == "week":
            try:
                monday = date.fromisocalendar(year, number, 1)
            except ValueError as error:
                raise BadWindow(f"{year}年没有第{number}周。") from error
            return cls.containing("week", monday)
        if kind == "year":
            return cls.containing("year", date(year, 1, 1))
        first = {"month": number, "bimonth": (number - 1) * 2 + 1,
                 "quarter": (number - 1) * 3 + 1}[kind]
        return cls.containing(kind, date(year, first, 1))

    # --- what it is called -------------------------------------------------------------------

    @property
    def key(self) -> str:
        if self.kind == "week":
            year, week, _ = self.start.isocalendar()
            return f"{year}-W{week:02d}"
        if self.kind == "month":
            return _period(self.start)
        if self.kind == "bimonth":
            return f"{self.start.year}-B{(self.start.month + 1) // 2}"
        if self.kind == "quarter":
            return f"{self.start.year}-Q{(self.start.month + 2) // 3}"
        return str(self.start.year)

    @property
    def label(self) -> str:
        """``2026年第47周（11月16日—11月22日）``, ``2026年10月``, ``2026年9—10月``,
        ``2026年第四季度``, ``2026年``."""
        if self.kind == "week":
            year, week, _ = self.start.isocalendar()
            return (f"{year}年第{week}周（{self.start.month}月{self.start.day}日—"
                    f"{self.end.month}月{self.end.day}日）")
        if self.kind == "month":
            return f"{self.start.year}年{self.start.month}月"
        if self.kind == "bimonth":
            return f"{self.start.year}年{self.start.month}—{self.end.month}月"
        if self.kind == "quarter":
            return f"{self.start.year}年第{QUARTER_WORDS[(self.start.month - 1) // 3]}季度"
        return f"{self.start.year}年"

    @property
    def kind_name(self) -> str:
        return KIND_NAMES[self.kind]

    @property
    def report_name(self) -> str:
        """周报, 月报, 双月报, 季报, 年报."""
        return REPORT_NAMES[self.kind]

    @property
    def dates_text(self) -> str:
        return f"{self.start:%Y-%m-%d} 至 {self.end:%Y-%m-%d}"

    # --- comparisons ----------------------------------------------------------------------------

    def previous(self) -> Window:
        """The window just before (环比)."""
        return Window.containing(self.kind, self.start - timedelta(days=1))

    def next(self) -> Window:
        return Window.containing(self.kind, self.end + timedelta(days=1))

    def year_before(self) -> Window:
        """The same window a year earlier (同比): the same ISO week number (the last week of
        that year if it has no such week), the same months."""
        if self.kind == "week":
            year, week, _ = self.start.isocalendar()
            weeks = date(year - 1, 12, 28).isocalendar()[1]
            return Window.containing("week", date.fromisocalendar(year - 1, min(week, weeks), 1))
        return Window(self.kind, self.start.replace(year=self.start.year - 1),
                      _month_end(self.end.year - 1, self.end.month))

    # --- what a figure of the window is ----------------------------------------------------------

    @property
    def months(self) -> tuple[str, ...]:
        """The months (``YYYY-MM``) the window touches, in order."""
        found, year, month = [], self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            found.append(f"{year:04d}-{month:02d}")
            year, month = _add_months(year, month, 1)
        return tuple(found)

    @property
    def last_month(self) -> str:
        return _period(self.end)

    def indicator_period(self, available: Sequence[str]) -> str | None:
        """The month whose indicator figures the window shows: the latest of ``available``
        (months with figures) whose last day is not after the window's — a week in November
        shows October. ``None``: no figures that early."""
        month_over = self.end == _month_end(self.end.year, self.end.month)
        last = self.last_month if month_over else _period(self.end.replace(day=1)
                                                          - timedelta(days=1))
        earlier = [p for p in available if p <= last]
        return max(earlier) if earlier else None

    def as_of(self, today: date) -> date:
        """The day tasks, problems and directives are judged on: the window's last day, or
        today while the window is not over."""
        return min(self.end, today)

    def moment(self, now: datetime) -> datetime:
        """The moment a disaster event is looked at: the end of the window's last day, or now."""
        end = datetime.combine(self.end, time(23, 59, 59))
        return min(end, now)

    def is_over(self, today: date) -> bool:
        return self.end <= today

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def overlaps(self, start: datetime | date, end: datetime | date) -> bool:
        first = start.date() if isinstance(start, datetime) else start
        last = end.date() if isinstance(end, datetime) else end
        return first <= self.end and last >= self.start


def latest(kind: str, today: date) -> Window:
    """The window of ``kind`` a user most likely wants today: the one that holds today, for a
    week or a month whose last day is today; else the last one that is over."""
    current = Window.containing(kind, today)
    return current if current.end <= today else current.previous()


def due(kind: str, day: int, today: date) -> Window | None:
    """The window a schedule of ``kind`` should have made a briefing of by ``today``: the last
    window that is over, once its release day has come — for a week, ISO weekday ``day``
    (1 = Monday) of the week after; for the others, day ``day`` of the month after it ends.
    ``None`` before that day (the window before it was due earlier, and is left alone)."""
    window = Window.containing(kind, today).previous()
    if not 1 <= day <= (7 if kind == "week" else 28):
        raise BadWindow("定时简报的日期应为星期 1—7（周报）或每月 1—28 日。")
    release = window.end + timedelta(days=day)
    return window if today >= release else None
