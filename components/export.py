"""The one export format of every table (tasks, problems …), made on the server.

- **Excel** (.xlsx): line 1 states what was exported — the topic, the region, the filters in
  words, the date it stands at, the number of rows and, while demo data is loaded, 演示数据;
  line 2 the Chinese headers; then the rows. Header and first column frozen.
- **CSV** (UTF-8 with a byte-order mark, so Excel reads the Chinese): the headers on line 1, so
  any program reads it as a table; while demo data is loaded every row ends with a column
  ``数据说明`` = ``演示数据``.
- **File name**: ``<topic>_<region>_<YYYYMMDD>[_演示数据].<xlsx|csv>``.
- **Text is text**: a typed value that begins with ``=``, ``+``, ``-`` or ``@`` (or a tab or
  carriage return) would run as a formula in a spreadsheet; in CSV it is written after a ``'``
  (OWASP's advice), in Excel it is stored as a text cell, never as a formula.
- **Who exported it** (the watermark of a file, so that a copy can be traced): the viewer's
  name, unit and the time of export, in the Excel's line 1 and in its printed header and
  footer, and in a last CSV column ``导出标记`` on every row. Every download is written to the
  audit log (:meth:`Export.download`).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING

import pandas as pd

from config.labels import DEMO_BADGE

if TYPE_CHECKING:
    from data.accounts import Account

#: The column every CSV row gets while demo data is loaded.
DEMO_COLUMN = "数据说明"
DEMO_NOTE = f"{DEMO_BADGE}（非真实统计数据）"
#: The CSV column that says who exported the file, and when.
MARK_COLUMN = "导出标记"


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    #: Width of the Excel column, in characters.
    width: int = 12


@dataclass(frozen=True)
class Export:
    """What is exported: the rows, their columns and the words that say what they are."""

    topic: str  # 重大任务, 七张问题清单
    region: str  # 浙江省, 舟山市
    filters: str  # the filters in words (全部问题, 逾期 · 宁波市 …)
    as_of: date
    rows: pd.DataFrame  # one column per Column.field, values as shown (text, numbers, dates)
    columns: tuple[Column, ...]
    demo: bool
    unit: str = "条"  # 共 N 条
    #: Who exported it and when (张三 · 省大数据局 · 导出于 2026-12-01 09:30); set by download.
    marked_for: str = ""

    def table(self) -> pd.DataFrame:
        fields = [c.field for c in self.columns]
        out = self.rows[fields].copy().astype(object)
        out = out.where(out.notna(), "")
        return out.rename(columns={c.field: c.header for c in self.columns})

    def note(self) -> str:
        parts = [self.topic, self.region, self.filters, f"截至{self.as_of:%Y-%m-%d}",
                 f"共 {len(self.rows):,} {self.unit}"]
        if self.demo:
            parts.append(DEMO_NOTE)
        if self.marked_for:
            parts.append(self.marked_for)
        return " · ".join(p for p in parts if p)

    def filename(self, extension: str) -> str:
        demo = f"_{DEMO_BADGE}" if self.demo else ""
        return f"{self.topic}_{self.region}_{self.as_of:%Y%m%d}{demo}.{extension}"

    def csv_bytes(self) -> bytes:
        table = self.table().map(defused)
        if self.demo:
            table[DEMO_COLUMN] = DEMO_BADGE
        if self.marked_for:
            table[MARK_COLUMN] = self.marked_for
        return table.to_csv(index=False).encode("utf-8-sig")

    def xlsx_bytes(self) -> bytes:
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter

        sheet_name = self.topic[:31]
        buffer = io.BytesIO()
        with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
            self.table().to_excel(writer, index=False, sheet_name=sheet_name, startrow=1)
            sheet = writer.sheets[sheet_name]
            for row in sheet.iter_rows(min_row=2):
                for cell in row:  # openpyxl took every "=…" for a formula: text it is
                    if cell.data_type == "f":
                        cell.data_type = "s"
            sheet["A1"] = self.note()
            sheet["A1"].font = Font(bold=True, color="9C4A00" if self.demo else "000000")
            for i, column in enumerate(self.columns, start=1):
                sheet.column_dimensions[get_column_letter(i)].width = column.width
            sheet.freeze_panes = "B3"
            if self.marked_for:  # on every printed page
                sheet.oddHeader.right.text = self.marked_for
                sheet.oddFooter.left.text = self.marked_for
                sheet.oddFooter.right.text = "第 &P 页，共 &N 页"
        return buffer.getvalue()

    def download(self, extension: str, *, by: Account | None) -> dict:
        """The ``dcc.Download`` data of the file (``xlsx`` or ``csv``), marked with who
        exports it (``by``, the signed-in account) and when, and written to the audit log."""
        from dash import dcc

        from data import audit
        from data.accounts import now

        marked = replace(self, marked_for=export_mark(by, now())) if by is not None else self
        content = marked.csv_bytes() if extension == "csv" else marked.xlsx_bytes()
        name = self.filename(extension)
        audit.record("export", by=by, target=name, detail=self.note())
        return dcc.send_bytes(content, name)


#: What a spreadsheet takes for the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def defused(value: object) -> object:
    """A text that a spreadsheet would run as a formula, made inert with a leading ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def export_mark(account: Account, when: datetime) -> str:
    """The words that mark an exported file: who, of which unit, and when."""
    return f"{account.display_name} · {account.unit} · 导出于 {when:%Y-%m-%d %H:%M}"
