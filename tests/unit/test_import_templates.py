"""Templates served by the app: a Chinese header, the notes, the lists and drop-downs."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from data.imports.registry import KINDS


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_has_an_xlsx_and_a_csv_template(client, kind):
    spec = KINDS[kind]
    response = client.get(f"/data/template/{kind}.xlsx")
    assert response.status_code == 200
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.get_data()))
    sheet = book["数据"]
    assert [c.value for c in sheet[1]] == [c.name for c in spec.columns]
    assert sheet.max_row == 1 or all(c.value is None for c in sheet[2])  # no example to import
    notes = [row[0] for row in book["说明"].iter_rows(values_only=True)]
    assert all(c.name in notes for c in spec.columns)
    choosing = [c for c in spec.columns if c.choices]
    if choosing:
        assert "选项" in book.sheetnames
        # A drop-down for each column whose list is not empty (no real events yet: none).
        validations = sheet.data_validations.dataValidation
        assert 1 <= len(validations) <= len(choosing)
        assert all(v.formula1.startswith("'选项'!") for v in validations)
    csv = client.get(f"/data/template/{kind}.csv")
    assert csv.status_code == 200
    assert csv.get_data().decode("utf-8-sig").strip() == ",".join(c.name for c in spec.columns)


def test_the_indicator_list_of_the_template_names_every_indicator(client):
    book = load_workbook(io.BytesIO(client.get("/data/template/indicator-values.xlsx").get_data()))
    options = list(book["选项"].iter_rows(min_row=2, max_col=2, values_only=True))
    codes = {code for code, _ in options if code}
    assert {"DG_ZLB_DAU", "DL_PETITIONS", "DL_SOURCE_DIGITAL"} <= codes


def test_an_unknown_template_is_a_404_in_chinese(client):
    response = client.get("/data/template/nothing.xlsx")
    assert response.status_code == 404 and "没有这个模板" in response.get_data(as_text=True)
