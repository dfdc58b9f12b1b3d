"""Number formatting shared by cards, tooltips, tables and the PDF."""

from __future__ import annotations

import math

from config.labels import TARGET_WORDING


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def number(value: float | None, decimals: int = 1) -> str:
    if _missing(value):
        return "—"
    return f"{value:,.{max(decimals, 0)}f}"


def quantity(value: float | None, decimals: int, unit: str) -> str:
    """A value with its unit: ``99.1%``, ``300 个``, ``4.07 万亿元``."""
    if _missing(value):
        return "—"
    if unit == "%":
        return f"{number(value, decimals)}%"
    return f"{number(value, decimals)} {unit}"


#: A unit with a magnitude, and the unit 10,000 times smaller (``万X`` is ``X`` otherwise).
SMALLER_UNIT = {"万亿元": "亿元", "亿元": "万元", "亿": "万"}


def smaller_unit(unit: str) -> str | None:
    """The unit 10,000 times smaller than ``unit`` (``万款`` → ``款``), if there is one."""
    if unit in SMALLER_UNIT:
        return SMALLER_UNIT[unit]
    return unit[1:] if unit.startswith("万") and len(unit) > 1 else None


def readable(value: float | None, decimals: int, unit: str) -> tuple[float | None, int, str,
                                                                        float]:
    """A value below 1 in a unit of 万 or 亿 is given in the unit 10,000 times smaller, with
    4 fewer decimals: 0.085 万款 is 850 款, 0.149 万亿元 is 1,490 亿元. Returns (value,
    decimals, unit, factor); the factor converts anything else in the same unit (a target)."""
    factor = 1.0
    while not _missing(value) and value != 0 and abs(value) < 1:
        smaller = smaller_unit(unit)
        if smaller is None:
            break
        value, unit, decimals, factor = value * 10_000, smaller, max(decimals - 4, 0), \
            factor * 10_000
    return value, decimals, unit, factor


#: Densities of people: per 10,000, per 100,000 or per 1,000,000 residents.
DENSITY_BASES = ((10_000, "每万人"), (100_000, "每十万人"), (1_000_000, "每百万人"))


def density_base(per_person: list[float] | tuple[float, ...]) -> tuple[int, str]:
    """The base (and its words) at which the typical density is at least 1: a density per
    10,000 residents of 0.03 reads as 3 per 1,000,000."""
    known = sorted(v for v in per_person if not _missing(v) and v > 0)
    if not known:
        return DENSITY_BASES[0]
    typical = known[len(known) // 2]
    for base, words in DENSITY_BASES:
        if typical * base >= 1:
            return base, words
    return DENSITY_BASES[-1]


def long_day(day) -> str:
    """A day in words: ``2026年11月22日``."""
    return f"{day.year}年{day.month}月{day.day}日"


def as_of(day) -> str:
    """The one way a page says the day its figures are judged on: ``截至2026年11月22日``."""
    return f"截至{long_day(day)}"


def percent(value: float | None, decimals: int = 1) -> str:
    return "—" if _missing(value) else f"{value:.{decimals}f}%"


def year_on_year(*, change: float | None, ratio: float | None, unit: str, decimals: int) -> str:
    """Change on the same month last year: points for rates, a percentage otherwise."""
    if unit == "%":
        if _missing(change):
            return "—"
        places = max(decimals, 1)
        return "持平" if round(change, places) == 0 else f"{change:+.{places}f}个百分点"
    if _missing(ratio):
        return "—"
    return "持平" if round(ratio, 1) == 0 else f"{ratio:+.1f}%"


def target(value: float | None, decimals: int, unit: str, wording: str | None = None) -> str:
    """A target with the plan's wording: ``85%以上``, ``10 个左右``, ``力争4.00 万亿元``."""
    text = quantity(value, decimals, unit)
    if text == "—" or not isinstance(wording, str) or wording not in TARGET_WORDING:
        return text
    if wording == "strive":
        return f"力争{text}"
    if wording == "full":
        return f"{text}（全面）"
    return f"{text}{TARGET_WORDING[wording]}"


def due(month: int | None) -> str:
    """A due month inside the year (``6月底前``); nothing for December."""
    if month is None or (isinstance(month, float) and math.isnan(month)) or int(month) == 12:
        return ""
    return f"{int(month)}月底前"
