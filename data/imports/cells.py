"""Reading one cell: text, numbers, months, dates and times as Chinese offices write them.

Each reader takes the raw cell (text from a CSV, or an Excel value) and returns the typed
value, ``None`` for an empty cell, or raises :class:`CellError` with the reason in Chinese.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time

from data.imports.reader import ERROR_PREFIX, FORMULA_PREFIX


class CellError(ValueError):
    """A cell that cannot be read; the message is the reason."""


@dataclass(frozen=True)
class Issue:
    """A reason a file is refused: the row, the column (its Chinese name), the value."""

    row: int | None
    column: str | None
    value: str | None
    reason: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "value": self.value,
                "reason": self.reason}

    def sentence(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"第{self.row}行")
        if self.column:
            where.append(f"“{self.column}”列")
        shown = f"（{self.value}）" if self.value not in (None, "") else ""
        return f"{''.join(where)}{shown}：{self.reason}" if where else self.reason


class Refused(Exception):
    """A whole file (or push) refused: the headline and the reasons row by row."""

    def __init__(self, message: str, issues: list[Issue] | None = None,
                 count: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.issues = issues or []
        self.count = count if count is not None else len(self.issues)


def shown(raw: object, limit: int = 60) -> str:
    """A cell as the user typed it, for a message."""
    if raw is None:
        return ""
    if isinstance(raw, str):
        if raw.startswith(FORMULA_PREFIX):
            raw = raw[len(FORMULA_PREFIX):]
        elif raw.startswith(ERROR_PREFIX):
            raw = raw[len(ERROR_PREFIX):]
    elif isinstance(raw, datetime):
        raw = raw.strftime("%Y-%m-%d %H:%M") if raw.time() != time() else f"{raw:%Y-%m-%d}"
    elif isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = str(raw)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def normal(raw: object) -> str | None:
    """Text with full-width characters folded (１２３ → 123, ％ → %) and spaces trimmed;
    ``None`` when empty. Formulas and error values are refused here, once for every column."""
    if raw is None:
        return None
    if isinstance(raw, str):
        if raw.startswith(FORMULA_PREFIX):
            raise CellError("单元格是公式，请复制后“选择性粘贴”为数值再上传")
        if raw.startswith(ERROR_PREFIX):
            raise CellError(f"单元格是 Excel 错误值 {raw[len(ERROR_PREFIX):]}")
        text = (raw if raw.isascii() else unicodedata.normalize("NFKC", raw)).strip()
        return text or None
    return str(raw)


def text(raw: object, *, limit: int) -> str | None:
    if isinstance(raw, datetime | date):
        raise CellError("应为文字，不是日期")
    value = normal(raw)
    if value is None:
        return None
    if len(value) > limit:
        raise CellError(f"不能超过{limit}个字（现有{len(value)}个字）")
    return value


_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?([eE][+-]?\d+)?$|^[+-]?\.\d+$")


def number(raw: object, *, percent_ok: bool = False) -> float | None:
    """A number; ``85%`` only where ``percent_ok`` (a value in %, given as 85)."""
    if isinstance(raw, bool):
        raise CellError("应为数字，不是 TRUE/FALSE")
    if isinstance(raw, int | float):
        if isinstance(raw, float) and not math.isfinite(raw):
            raise CellError("不是有效数字")
        return float(raw)
    if isinstance(raw, datetime | date | time):
        raise CellError("应为数字，不是日期")
    value = normal(raw)
    if value is None:
        return None
    value = value.replace(" ", "")
    if value.endswith("%"):
        if not percent_ok:
            raise CellError("该指标的单位不是%，数值不能带百分号")
        value = value[:-1]
    if not _NUMBER.match(value):
        raise CellError("应为数字")
    result = float(value.replace(",", ""))
    if not math.isfinite(result):
        raise CellError("不是有效数字")
    return result


def whole(raw: object) -> int | None:
    value = number(raw)
    if value is None:
        return None
    if not value.is_integer():
        raise CellError("应为整数")
    return int(value)


#: An Excel date shown as a plain number (days since 1899-12-30): 36526 is 2000-01-01.
_SERIAL_RANGE = (20000, 80000)


def _refuse_serial(raw: object, example: str) -> None:
    """An Excel date shown as its serial number is refused, saying which date it is and how
    it should have been written (``example``: a strftime format)."""
    from datetime import timedelta

    value = _looks_like_serial(raw)
    if value is None:
        return
    day = date(1899, 12, 30) + timedelta(days=int(value))
    raise CellError(f"这是 Excel 的日期序列号（对应 {day:%Y-%m-%d}），单元格被设成了数字格式："
                    f"请把该列设为“文本”后重新填写，例如 {day.strftime(example)}")


def _looks_like_serial(raw: object) -> float | None:
    numeric = isinstance(raw, int | float) and not isinstance(raw, bool)
    if not numeric and not (isinstance(raw, str) and re.fullmatch(r"\d{5}(\.\d+)?", raw.strip())):
        return None
    value = float(raw)
    return value if _SERIAL_RANGE[0] <= value <= _SERIAL_RANGE[1] else None


_MONTH_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月?$"),
    re.compile(r"^(\d{4})(\d{2})$"),
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})[ T]00:00(:00)?$"),
)
_QUARTER = re.compile(r"^(\d{4})(?:年)?(?:[-\s]?Q|第?)([1-4一二三四])(?:季度)?$", re.IGNORECASE)
_YEAR = re.compile(r"^(\d{4})(?:年|年度)?$")
_QUARTER_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4}


def period(raw: object, *, frequency: str = "monthly") -> str | None:
    """A month ``YYYY-MM``. Also: ``2026/10``, ``2026年10月``, ``202610``, a date in the month
    (Excel turns 2026-10 into 2026-10-01), and for a quarterly statistic ``2026Q3`` or
    ``2026年第三季度`` (its last month), for a yearly one ``2025`` or ``2025年`` (December)."""
    if isinstance(raw, datetime | date):
        return f"{raw.year:04d}-{raw.month:02d}"
    _refuse_serial(raw, "%Y-%m")
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        raw = str(int(raw)) if float(raw).is_integer() else str(raw)
    value = normal(raw)
    if value is None:
        return None
    value = value.replace(" ", "") if "T" not in value and ":" not in value else value
    for pattern in _MONTH_PATTERNS:
        found = pattern.match(value)
        if found:
            year, month = int(found.group(1)), int(found.group(2))
            if not 1 <= month <= 12:
                raise CellError("月份应在1至12之间")
            if pattern.groups >= 3 and found.group(3) and found.lastindex >= 3:
                day = int(found.group(3))
                try:
                    date(year, month, day)
                except ValueError as bad:
                    raise CellError("不是有效日期") from bad
            return f"{year:04d}-{month:02d}"
    found = _QUARTER.match(value)
    if found and frequency == "quarterly":
        quarter = found.group(2)
        quarter = _QUARTER_DIGITS.get(quarter) or int(quarter)
        return f"{int(found.group(1)):04d}-{quarter * 3:02d}"
    found = _YEAR.match(value)
    if found and frequency == "yearly":
        return f"{int(found.group(1)):04d}-12"
    if found:
        raise CellError("只有年份：月度指标应填写到月，例如 2026-10")
    raise CellError("应为年-月，例如 2026-10")


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_DATETIME = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?[ T]*"
                       r"(\d{1,2})[:：时](\d{2})(?:[:：分](\d{2}))?秒?$")


def day(raw: object) -> date | None:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    _refuse_serial(raw, "%Y-%m-%d")
    value = normal(raw)
    if value is None:
        return None
    value = value.replace(" 00:00:00", "").replace(" 00:00", "")
    for pattern in _DATE_PATTERNS:
        found = pattern.match(value)
        if found:
            try:
                return date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
            except ValueError as bad:
                raise CellError("不是有效日期") from bad
    raise CellError("应为日期，例如 2026-10-15")


def moment(raw: object) -> datetime | None:
    """A date and time (``2026-07-25 12:00``); a date alone is its midnight."""
    if isinstance(raw, datetime):
        return raw.replace(microsecond=0, tzinfo=None)
    if isinstance(raw, date):
        return datetime.combine(raw, time())
    _refuse_serial(raw, "%Y-%m-%d")
    value = normal(raw)
    if value is None:
        return None
    found = _DATETIME.match(value)
    if found:
        parts = [int(g) if g else 0 for g in found.groups()]
        try:
            return datetime(*parts)
        except ValueError as bad:
            raise CellError("不是有效的日期时间") from bad
    try:
        only = day(value)
    except CellError as bad:
        raise CellError("应为日期时间，例如 2026-07-25 12:00") from bad
    return datetime.combine(only, time()) if only else None


def coded(mapping: dict[str, str], what: str, *, allowed: str | None = None
          ) -> Callable[[object], str | None]:
    """A reader of a word (``mapping``: word → code) or of the code itself; refuses anything
    else, naming the words allowed."""
    codes = set(mapping.values())
    allowed = allowed or "、".join(mapping)

    def read(raw: object) -> str | None:
        value = normal(raw)
        if value is None:
            return None
        if value in mapping:
            return mapping[value]
        if value.lower() in codes:
            return value.lower()
        raise CellError(f"{what}应为：{allowed}")

    return read


def split_list(raw: object) -> list[str]:
    """A list in one cell: ``省大数据局、省发展改革委`` (、，,;；| or line breaks)."""
    value = normal(raw)
    if value is None:
        return []
    return [part.strip() for part in re.split(r"[、,，;；|\n]+", value) if part.strip()]
