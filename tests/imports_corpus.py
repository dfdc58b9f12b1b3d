"""Files for the import tests: good ones in every accepted form, and a corpus of bad ones,
each with the words its refusal must contain. Made here, in code, so that every case says
what it is (and no binary fixture hides what it holds)."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from openpyxl import Workbook

HEADER = ["指标编码", "地区", "期间", "数值"]
GOOD_ROWS = [
    ["DG_ZLB_DAU", "330106", "2026-09", "12.1"],
    ["DG_ZLB_DAU", "330106", "2026-10", "12.5"],
    ["DG_ONE_NET", "西湖区", "2026-10", "99.2"],
    ["DE_SMART_FACTORIES", "杭州市西湖区", "2026-10", "24"],
    ["DE_TOTAL", "杭州市", "2025", "1.23"],
    ["PA_CORE_EVENTS", "330000", "2026-10", "85.5"],
]


def csv_bytes(rows: list[list], *, header: list[str] = HEADER, encoding: str = "utf-8",
              delimiter: str = ",") -> bytes:
    lines = [delimiter.join(header), *(delimiter.join(str(c) for c in row) for row in rows)]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(rows: list[list], *, header: list | None = None, merge: str | None = None,
               title: str | None = None, formats: dict[str, str] | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "数据"
    if title:
        sheet.append([title])
    sheet.append(header or HEADER)
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    for ref, number_format in (formats or {}).items():
        sheet[ref].number_format = number_format
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_bytes(names: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in names.items():
            z.writestr(name, data)
    return out.getvalue()


@dataclass(frozen=True)
class Bad:
    name: str
    data: bytes
    words: tuple[str, ...]  #: what the refusal says (all of them, in the message or reasons)
    kind: str = "indicator-values"
    max_bytes: int | None = None


def row(*cells) -> list:
    return list(cells)


OK = ["DG_ZLB_DAU", "330106", "2026-10", "12.5"]


def bad_files() -> list[Bad]:
    targets_header = ["指标编码", "地区", "年度", "目标值", "完成时限（月）", "表述"]
    return [
        Bad("utf16", csv_bytes([OK], encoding="utf-16"), ("UTF-16",)),
        Bad("neither-utf8-nor-gb18030", csv_bytes([OK]) + b"\xff\xfe\xff\x80\r\n",
            ("无法识别文件编码",)),
        Bad("unknown-headers", csv_bytes([OK], header=["name", "code", "month", "amount"]),
            ("表头无法识别",)),
        Bad("mojibake-header", csv_bytes([OK], header=[
            "æŒ‡æ ‡ç¼–ç ", "åœ°åŒº", "æœŸé—´", "æ•°å€¼"]), ("表头无法识别", "乱码")),
        Bad("missing-column", csv_bytes([OK[:3]], header=HEADER[:3]), ("缺少必填列“数值”",)),
        Bad("extra-column", csv_bytes([[*OK, "x"]], header=[*HEADER, "备注2"]),
            ("备注2", "不是模板的列名")),
        Bad("repeated-column", csv_bytes([[*OK, "3"]], header=[*HEADER, "数值"]), ("重复",)),
        Bad("title-row", xlsx_bytes([OK], title="2026年10月指标数据"), ("第1行不是表头",)),
        Bad("empty-file", b"", ("文件是空的",)),
        Bad("header-only", csv_bytes([]), ("没有数据行",)),
        Bad("blank-row-between", csv_bytes([OK, ["", "", "", ""],
                                           ["DG_ZLB_DAU", "330106", "2026-09", "1"]]),
            ("空行",)),
        Bad("unknown-adcode", csv_bytes([row("DG_ZLB_DAU", "999999", "2026-10", "1")]),
            ("没有这个行政区划代码",)),
        Bad("unknown-region-name", csv_bytes([row("DG_ZLB_DAU", "火星区", "2026-10", "1")]),
            ("没有这个地区",)),
        Bad("unknown-indicator", csv_bytes([row("NO_SUCH", "330106", "2026-10", "1")]),
            ("没有这个指标编码",)),
        Bad("duplicate-keys", csv_bytes([OK, ["DG_ZLB_DAU", "西湖区", "2026/10", "13"]]),
            ("与第2行重复",)),
        Bad("text-in-number", csv_bytes([row("DG_ZLB_DAU", "330106", "2026-10", "约12")]),
            ("应为数字",)),
        Bad("percentage-over-100", csv_bytes([row("DG_ONE_NET", "330106", "2026-10", "120")]),
            ("0至100",)),
        Bad("negative", csv_bytes([row("DG_ZLB_DAU", "330106", "2026-10", "-3")]),
            ("不能为负数",)),
        Bad("fraction-of-whole-things",
            csv_bytes([row("DE_SMART_FACTORIES", "330106", "2026-10", "3.5")]),
            ("应为整数",)),
        Bad("excel-serial-date-in-csv", csv_bytes([row("DG_ZLB_DAU", "330106", "46296", "1")]),
            ("日期序列号", "2026-10")),
        Bad("future-period", csv_bytes([row("DG_ZLB_DAU", "330106", "2099-01", "1")]),
            ("期间应在",)),
        Bad("month-13", csv_bytes([row("DG_ZLB_DAU", "330106", "2026-13", "1")]),
            ("月份应在1至12之间",)),
        Bad("year-for-monthly", csv_bytes([row("DG_ZLB_DAU", "330106", "2026", "1")]),
            ("只有年份",)),
        Bad("june-for-yearly", csv_bytes([row("DE_TOTAL", "330100", "2025-06", "1")]),
            ("年度指标只填12月",)),
        Bad("province-only-at-county", csv_bytes([row("DS_XAPPS", "330106", "2026-10", "1")]),
            ("仅省级统计", "不适用于西湖区")),
        Bad("wrong-unit", csv_bytes([[*OK, "人"]], header=[*HEADER, "单位"]), ("单位应为“万人”",)),
        Bad("name-disagrees", csv_bytes([[*OK, "掌上执法率"]], header=[*HEADER, "指标名称"]),
            ("与指标编码不一致",)),
        Bad("cells-beyond-header", csv_bytes([[*OK, "多出来的"]]), ("多出数据",)),
        Bad("empty-required-cell", csv_bytes([row("DG_ZLB_DAU", "", "2026-10", "1")]),
            ("必填",)),
        Bad("unclosed-quote", csv_bytes([row("DG_ZLB_DAU", "330106", "2026-10", '"12')]),
            ("CSV 格式有误",)),
        Bad("pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", ("PDF",)),
        Bad("png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ("二进制",)),
        Bad("old-xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ("97-2003",)),
        Bad("zip-not-xlsx", zip_bytes({"readme.txt": b"hello"}), ("压缩包",)),
        Bad("docx", zip_bytes({"word/document.xml": b"<w/>", "[Content_Types].xml": b"<x/>"}),
            ("Word",)),
        Bad("damaged-xlsx", xlsx_bytes([OK])[:300], ("损坏",)),
        Bad("merged-cells", xlsx_bytes([OK, ["DG_ZLB_DAU", "330106", "2026-09", "11"]],
                                       merge="A2:A3"), ("合并单元格", "A2:A3")),
        Bad("formula", xlsx_bytes([["DG_ZLB_DAU", "330106", "2026-10", "=6*2"]]), ("公式",)),
        Bad("error-value", xlsx_bytes([["DG_ZLB_DAU", "330106", "2026-10", "#N/A"]]),
            ("错误值",)),
        Bad("serial-number-period-in-xlsx", xlsx_bytes([["DG_ZLB_DAU", "330106", 46296, 1]]),
            ("日期序列号",)),
        Bad("too-big", csv_bytes([OK] * 50), ("超过上限",), max_bytes=1024),
        Bad("target-due-month-13", csv_bytes([row("DG_ZLB_DAU", "330106", "2026", "12", "13",
                                                  "以上")], header=targets_header),
            ("1至12",), kind="indicator-targets"),
        Bad("target-unknown-wording", csv_bytes([row("DG_ZLB_DAU", "330106", "2026", "12", "",
                                                     "大约")], header=targets_header),
            ("表述应为",), kind="indicator-targets"),
        Bad("target-year-1999", csv_bytes([row("DG_ZLB_DAU", "330106", "1999", "12", "", "")],
                                          header=targets_header),
            ("年度应在",), kind="indicator-targets"),
    ]
