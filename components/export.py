"""The one export format of every table (tasks, problems …), made on the server.

- **Excel** (.xlsx): line 1 states what was exported — the topic, the region, the filters in
  words, the date it stands at, the number of rows and, while demo data is loaded, 演示数据;
  line 2 the Chinese headers; then the rows. Header and first column frozen.
- **CSV** (UTF-8 with a byte-order mark, so Excel reads the Chinese): the headers on line 1, so
  any program reads it as a table; while demo data is loaded every row ends with a column
  ``数据说明`` = ``演示数据``.
- **File name**: ``<topic>_<region>_<YYYYMMDD>[_演示数据].<xlsx|csv>``.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

import pandas as pd

from config.labels import DEMO_BADGE

#: The column every CSV row gets while demo data is loaded.
DEMO_COLUMN = "数据说明"
DEMO_NOTE = f"{DEMO_BADGE}（非真实统计数据）"


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
        return " · ".join(p for p in parts if p)

    def filename(self, extension: str) -> str:
        demo = f"_{DEMO_BADGE}" if self.demo else ""
        return f"{self.topic}_{self.region}_{self.as_of:%Y%m%d}{demo}.{extension}"

    def csv_bytes(self) -> bytes:
        table = self.table()
        if self.demo:
            table[DEMO_COLUMN] = DEMO_BADGE
        return table.to_csv(index=False).encode("utf-8-sig")

    def xlsx_bytes(self) -> bytes:
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter

        sheet_name = self.topic[:31]
        buffer = io.BytesIO()
        with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
            self.table().to_excel(writer, index=False, sheet_name=sheet_name, startrow=1)
            sheet = writer.sheets[sheet_name]
            sheet["A1"] = self.note()
            sheet["A1"].font = Font(bold=True, color="9C4A00" if self.demo else "000000")
            for i, column in enumerate(self.columns, start=1):
                sheet.column_dimensions[get_column_letter(i)].width = column.width
            sheet.freeze_panes = "B3"
        return buffer.getvalue()

    def download(self, extension: str) -> dict:
        """The ``dcc.Download`` data of the file (``xlsx`` or ``csv``)."""
        from dash import dcc

        content = self.csv_bytes() if extension == "csv" else self.xlsx_bytes()
        return dcc.send_bytes(content, self.filename(extension))
