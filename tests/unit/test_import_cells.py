"""Reading cells, headers and regions as offices write them (no store needed)."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest

from data.imports import cells
from data.imports.cells import CellError
from data.imports.kinds_indicators import INDICATOR_VALUES
from data.imports.lookups import RegionIndex
from data.imports.reader import FileRefused, open_table, sniff
from data.imports.run import Refused, map_header
from tests.imports_corpus import csv_bytes, xlsx_bytes


@pytest.mark.parametrize(("raw", "expected"), [
    ("2026-10", "2026-10"), ("2026/10", "2026-10"), ("2026年10月", "2026-10"),
    ("２０２６年１０月", "2026-10"), ("202610", "2026-10"), ("2026-10-01", "2026-10"),
    ("2026/10/31", "2026-10"), (datetime(2026, 10, 1), "2026-10"), (date(2026, 3, 5), "2026-03"),
    (" 2026-1 ", "2026-01"), (None, None), ("", None),
])
def test_months_in_the_forms_people_type(raw, expected):
    assert cells.period(raw) == expected


def test_quarters_and_years_where_the_statistic_is_so():
    assert cells.period("2026Q3", frequency="quarterly") == "2026-09"
    assert cells.period("2026年第一季度", frequency="quarterly") == "2026-03"
    assert cells.period("2025", frequency="yearly") == "2025-12"
    assert cells.period("2025年", frequency="yearly") == "2025-12"
    with pytest.raises(CellError, match="只有年份"):
        cells.period("2025")


@pytest.mark.parametrize("raw", [46296, "46296", 46296.0])
def test_an_excel_serial_date_is_refused_with_the_date_it_means(raw):
    with pytest.raises(CellError, match="日期序列号.*2026-10-01"):
        cells.period(raw)


@pytest.mark.parametrize("raw", ["2026-13", "2026-00", "26-10", "上月", "2026-02-30"])
def test_bad_months(raw):
    with pytest.raises(CellError):
        cells.period(raw)


@pytest.mark.parametrize(("raw", "expected"), [
    ("12.5", 12.5), ("1,234.5", 1234.5), ("１２", 12.0), (" 7 ", 7.0), (3, 3.0), (2.5, 2.5),
    ("-3", -3.0), (".5", 0.5), ("1e3", 1000.0), (None, None), ("", None),
])
def test_numbers(raw, expected):
    assert cells.number(raw) == expected


@pytest.mark.parametrize("raw", ["约12", "N/A", "12万", "--", "1,23", "nan", "inf", True,
                                 datetime(2026, 1, 1)])
def test_not_numbers(raw):
    with pytest.raises(CellError):
        cells.number(raw)


def test_a_percentage_sign_only_where_the_unit_is_percent():
    assert cells.number("97.3%", percent_ok=True) == 97.3
    with pytest.raises(CellError, match="不能带百分号"):
        cells.number("97.3%")


def test_formulas_and_error_values_are_refused_in_any_column():
    from data.imports.reader import ERROR_PREFIX, FORMULA_PREFIX

    with pytest.raises(CellError, match="公式"):
        cells.text(FORMULA_PREFIX + "=A1*2", limit=10)
    with pytest.raises(CellError, match="错误值 #DIV/0!"):
        cells.number(ERROR_PREFIX + "#DIV/0!")


def test_dates_and_times():
    assert cells.day("2026-7-25") == date(2026, 7, 25)
    assert cells.day("2026年7月25日") == date(2026, 7, 25)
    assert cells.moment("2026-07-25 12:00") == datetime(2026, 7, 25, 12, 0)
    assert cells.moment("2021/7/25 06:30:15") == datetime(2021, 7, 25, 6, 30, 15)
    assert cells.moment("2021-07-25") == datetime(2021, 7, 25)
    with pytest.raises(CellError):
        cells.day("2026-02-30")
    assert cells.split_list("省大数据局、省发展改革委;省司法厅") == [
        "省大数据局", "省发展改革委", "省司法厅"]


def regions_with_twins() -> pd.DataFrame:
    """Two 鼓楼区 (as in Fuzhou and Nanjing) under two cities, and a county of one name."""
    return pd.DataFrame([
        {"adcode": "100000", "name": "某省", "level": "province", "parent_adcode": None},
        {"adcode": "100100", "name": "甲市", "level": "city", "parent_adcode": "100000"},
        {"adcode": "100200", "name": "乙市", "level": "city", "parent_adcode": "100000"},
        {"adcode": "100102", "name": "鼓楼区", "level": "county", "parent_adcode": "100100"},
        {"adcode": "100202", "name": "鼓楼区", "level": "county", "parent_adcode": "100200"},
        {"adcode": "100203", "name": "西湖区", "level": "county", "parent_adcode": "100200"},
    ])


def test_a_region_by_adcode_full_short_or_city_prefixed_name():
    index = RegionIndex(regions_with_twins())
    assert index.find("100203") == index.find("西湖区") == index.find("西湖") == "100203"
    assert index.find("乙市西湖区") == index.find("乙市 西湖区") == "100203"
    assert index.find(100203) == index.find(100203.0) == index.find("100203.0") == "100203"
    assert index.find("甲市鼓楼区") == "100102"


def test_an_ambiguous_region_name_is_refused_with_the_candidates():
    index = RegionIndex(regions_with_twins())
    with pytest.raises(CellError, match="歧义.*100102.*100202"):
        index.find("鼓楼区")
    with pytest.raises(CellError, match="歧义"):
        index.find("鼓楼")
    with pytest.raises(CellError, match="没有这个地区"):
        index.find("丙市")
    with pytest.raises(CellError, match="行政区划代码"):
        index.find("999999")


def test_headers_by_chinese_name_alias_or_code(tmp_path):
    mapping = map_header(INDICATOR_VALUES, ("indicator_code", "行政区划代码", "月份", "数值"))
    assert sorted(mapping.values()) == ["adcode", "indicator_code", "period", "value"]
    with pytest.raises(Refused, match="缺少必填列“期间”"):
        map_header(INDICATOR_VALUES, ("指标编码", "地区", "数值"))


def test_files_are_told_by_their_bytes_not_their_names(tmp_path):
    xlsx = tmp_path / "really-a-workbook.csv"
    xlsx.write_bytes(xlsx_bytes([["DG_ZLB_DAU", "330106", "2026-10", 1]]))
    assert sniff(xlsx) == "xlsx"
    table = open_table(xlsx)
    assert table.header[0] == "指标编码" and next(table.rows()).number == 2
    table.close()
    gbk = tmp_path / "gbk.xlsx"
    gbk.write_bytes(csv_bytes([["DG_ZLB_DAU", "西湖区", "2026-10", "1"]], encoding="gbk"))
    table = open_table(gbk)
    assert table.format == "csv" and table.encoding == "gb18030"
    assert next(table.rows()).cells[1] == "西湖区"
    table.close()
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(FileRefused, match="空"):
        open_table(empty)
