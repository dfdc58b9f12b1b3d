"""The kinds of data that can be imported: their columns (Chinese name, English code, what
goes in it), how a row is checked, and where it is written. The kinds themselves are declared
by topic (``kinds_indicators``, ``kinds_tasks``, ``kinds_problems``, ``kinds_risk``) and
listed in :data:`data.imports.registry.KINDS`.

Each kind names its table, the key columns that identify a row (a second row with the same
key in one file is refused; a row whose key is in the store updates it) and the value
columns compared to decide whether a row is new, changed or unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table

from data.imports import cells
from data.imports.cells import CellError, Issue
from data.imports.lookups import Lookups

#: The first month and year a figure may be for (the plan's baseline year, with room for
#: history); the last is the current month (no figure of a month not yet begun).
FIRST_PERIOD = "2015-01"
LAST_TARGET_YEARS_AHEAD = 10


@dataclass(frozen=True)
class Column:
    code: str  #: the English header, also accepted in a file
    name: str  #: the Chinese header of the template
    required: bool
    help: str  #: what goes in it, for the template's 说明 sheet
    example: str = ""
    #: Other Chinese headers accepted for the column (what offices commonly write).
    aliases: tuple[str, ...] = ()
    #: A list of allowed values for the template's drop-down (see :func:`choices`).
    choices: str | None = None
    #: The JSON type of the column in the push API (``string``, ``number``, ``integer``).
    json_type: str = "string"


@dataclass(frozen=True)
class Kind:
    code: str  #: as in ``flask import --kind <code>`` and ``POST /api/v1/<code>``
    name: str
    topic: str  #: indicators, tasks, problems or risk (whose demo data it replaces)
    description: str
    columns: tuple[Column, ...]
    table: Table
    keys: tuple[str, ...]
    values: tuple[str, ...]
    check: Callable[[RowCheck, Lookups], dict | None]
    #: Columns written on every inserted or updated row besides keys and values, with
    #: their value (a callable gets the import's context).
    stamp: dict = field(default_factory=dict)
    #: The lookups the check needs (read before the rows are streamed).
    needs: tuple[str, ...] = ("regions",)
    #: A quick check for the common, clean row (given the lookups, a function of the raw
    #: cells returning the record, or ``None`` to fall back to :attr:`check`, which says
    #: why). Both must accept exactly the same rows; a big file goes through it.
    fast: Callable[[Lookups], Callable[[dict], dict | None]] | None = None
    #: Staged columns that are not the table's (a task's units and regions, say).
    staging_extra: tuple[tuple[str, Any], ...] = ()
    #: A merge of its own (see :mod:`data.imports.merges`); by default the bulk one of
    #: :func:`data.imports.writer.merge`.
    merge: Callable[..., dict[str, int]] | None = None
    #: Why a batch of this kind cannot be withdrawn now (rows it added are referenced).
    withdraw_check: Callable[[Any, int], str | None] | None = None
    #: What to undo first when a batch is withdrawn (children without a batch of their own).
    before_delete: Callable[[Any, int], None] | None = None
    #: The tables whose rows carry the batch, children first (default: :attr:`table`).
    written_tables: tuple[str, ...] = ()
    #: Table column → the file column it comes from, where the names differ.
    header_codes: dict[str, str] = field(default_factory=dict)

    def file_column(self, column: str) -> str:
        """The file's column a table column comes from (``region_adcode`` → ``adcode``)."""
        code = self.header_codes.get(column) or {"region_adcode": "adcode"}.get(column, column)
        return code if code in _columns(self) else self.columns[0].code

    @property
    def tables(self) -> tuple[str, ...]:
        return self.written_tables or (self.table.name,)

    @property
    def required(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.required)

    def column(self, code: str) -> Column:
        return _columns(self)[code]


def _columns(kind: Kind) -> dict[str, Column]:
    found = _COLUMN_INDEX.get(kind.code)
    if found is None:
        found = _COLUMN_INDEX[kind.code] = {c.code: c for c in kind.columns}
    return found


_COLUMN_INDEX: dict[str, dict[str, Column]] = {}


class RowCheck:
    """One row being checked: read each cell, collect every reason it fails."""

    def __init__(self, number: int, raw: dict[str, object], kind: Kind) -> None:
        self.number = number
        self.raw = raw
        self.kind = kind
        self.issues: list[Issue] = []

    def get(self, code: str, reader: Callable[[object], object], *,
            required: bool | None = None):
        raw = self.raw.get(code)
        column = self.kind.column(code)
        try:
            value = reader(raw)
        except CellError as bad:
            self.fail(code, str(bad))
            return None
        if value is None and (column.required if required is None else required):
            self.fail(code, "必填，不能为空")
        return value

    def fail(self, code: str | None, reason: str) -> None:
        column = self.kind.column(code).name if code else None
        self.issues.append(Issue(self.number, column, cells.shown(self.raw.get(code))
                                 if code else None, reason))


REGION = Column("adcode", "地区", True,
                "行政区划代码（6位，例如 330106）或地区名称（西湖区、杭州市西湖区）；"
                "名称有重名时须填代码", "330106",
                aliases=("行政区划代码", "地区代码", "区划代码", "地区名称", "区域"),
                choices="regions")
