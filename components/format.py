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
