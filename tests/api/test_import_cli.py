"""``flask --app app import`` and the template commands, as an administrator runs them."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from tests.browser.server import flask_command
from tests.imports_corpus import csv_bytes


def test_a_template_filled_in_excel_imports_and_a_bad_file_exits_non_zero(tmp_path):
    instance = tmp_path / "instance"
    instance.mkdir()
    flask_command(instance, "init-db")
    template = tmp_path / "模板.xlsx"
    flask_command(instance, "import-template", "--kind", "indicator-values", str(template))
    book = load_workbook(io.BytesIO(template.read_bytes()))
    assert book.sheetnames == ["数据", "说明", "选项"]
    sheet = book["数据"]
    # Typed from row 2 on, as a person does (the template's text-formatted rows stay blank).
    for row, values in enumerate((["DG_ZLB_DAU", "西湖区", "2026-10", 12.5],
                                  ["DE_TOTAL", "杭州市", "2025", 1.2]), start=2):
        for column, value in enumerate(values, start=1):
            sheet.cell(row=row, column=column, value=value)
    book.save(template)

    done = flask_command(instance, "import", "--kind", "indicator-values", str(template))
    assert "已导入第1批：共 2 行，新增 2" in done.stdout

    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([["DG_ZLB_DAU", "火星区", "2026-10", "x"]], encoding="gb18030"))
    refused = flask_command(instance, "import", "--kind", "indicator-values", str(bad),
                            check=False)
    assert refused.returncode == 1
    assert "未导入，数据库未作任何改动" in refused.stderr
    assert "第2行“地区”列（火星区）：没有这个地区" in refused.stderr
    assert "第2行“数值”列（x）：应为数字" in refused.stderr

    listed = flask_command(instance, "batches").stdout
    assert "已导入" in listed and "已拒收" in listed and "bad.csv" in listed
    withdrawn = flask_command(instance, "withdraw-batch", "1").stdout
    assert "已撤销第1批" in withdrawn
    again = flask_command(instance, "withdraw-batch", "1", check=False)
    assert again.returncode != 0 and "只有已导入的批次可以撤销" in again.stderr
