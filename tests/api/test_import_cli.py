"""``flask --app app import`` and the batch commands, as an administrator runs them (Click's
runner, in this process, on a store of the test's own)."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from data.imports import cli as import_cli
from data.migrate import upgrade_to_head
from data.reference import load_reference
from data.store import engine, write_transaction
from tests.conftest import make_store_app
from tests.imports_corpus import csv_bytes


def test_a_template_filled_in_excel_imports_and_a_bad_file_exits_non_zero(tmp_path):
    app = make_store_app(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    app.config["COCKPIT_SETTINGS"] = type("S", (), {"import_max_bytes": 50 * 1048576})()
    import_cli.register(app)
    with app.app_context():
        upgrade_to_head(engine())
        with write_transaction() as conn:
            load_reference(conn)
    runner = app.test_cli_runner()

    template = tmp_path / "模板.xlsx"
    done = runner.invoke(args=["import-template", "--kind", "indicator-values", str(template)])
    assert done.exit_code == 0, done.output
    book = load_workbook(io.BytesIO(template.read_bytes()))
    assert book.sheetnames == ["数据", "说明", "选项"]
    sheet = book["数据"]
    # Typed from row 2 on, as a person does (the template's text-formatted rows stay blank).
    for row, values in enumerate((["DG_ZLB_DAU", "西湖区", "2026-10", 12.5],
                                  ["DE_TOTAL", "杭州市", "2025", 1.2]), start=2):
        for column, value in enumerate(values, start=1):
            sheet.cell(row=row, column=column, value=value)
    book.save(template)

    done = runner.invoke(args=["import", "--kind", "indicator-values", str(template)])
    assert done.exit_code == 0, done.output
    assert "已导入第1批：共 2 行，新增 2" in done.output

    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([["DG_ZLB_DAU", "火星区", "2026-10", "x"]], encoding="gb18030"))
    refused = runner.invoke(args=["import", "--kind", "indicator-values", str(bad)])
    assert refused.exit_code == 1
    assert "未导入，数据库未作任何改动" in refused.output
    assert "第2行“地区”列（火星区）：没有这个地区" in refused.output
    assert "第2行“数值”列（x）：应为数字" in refused.output

    listed = runner.invoke(args=["batches"]).output
    assert "已导入" in listed and "已拒收" in listed and "bad.csv" in listed
    withdrawn = runner.invoke(args=["withdraw-batch", "1"])
    assert withdrawn.exit_code == 0 and "已撤销第1批" in withdrawn.output
    again = runner.invoke(args=["withdraw-batch", "1"])
    assert again.exit_code != 0 and "只有已导入的批次可以撤销" in again.output
    with app.app_context():
        engine().dispose()
