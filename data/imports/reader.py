"""Reading an uploaded file as a table, streamed: the header row and then one row at a time.

Accepted: .xlsx (the first worksheet, or the one named 数据), and CSV in UTF-8 (with or
without a byte-order mark) or GB18030/GBK, as Chinese Windows Excel saves it, separated by
commas, tabs or semicolons. The kind of file is told by its bytes, not by its name.

A file that cannot be read as a table at all is refused whole with :class:`FileRefused`
(a Chinese sentence): not a spreadsheet, an old .xls, UTF-16 text, an encoding that is
neither UTF-8 nor GB18030, merged cells, no header, no data.

Cells come out as they are written: text (CSV), or the Excel value (text, number, date,
boolean). Two Excel habits are turned into what the user sees: a number formatted as a
percentage (0.85 shown as 85%) becomes the text ``85%``, and a formula is reported as such
(the caller refuses it: a formula's value is whatever Excel last computed, or nothing).
"""

from __future__ import annotations

import codecs
import csv
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

CHUNK = 1 << 20
#: How a formula cell reaches the validators (the text after it is the formula).
FORMULA_PREFIX = "\x00formula:"
ERROR_PREFIX = "\x00error:"


class FileRefused(ValueError):
    """The file cannot be read as a table; the message says why, in Chinese."""


@dataclass(frozen=True)
class Row:
    number: int  #: the row's number as a spreadsheet shows it (the header is row 1)
    cells: tuple


def is_blank(cells: tuple) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def sniff(path: Path) -> str:
    """``xlsx``, ``csv``; or refuse what is neither."""
    with open(path, "rb") as f:
        head = f.read(8192)
    if not head:
        raise FileRefused("文件是空的。")
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as z:
                names = set(z.namelist())
        except zipfile.BadZipFile as bad:
            raise FileRefused("文件已损坏，无法作为 Excel 文件打开。") from bad
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "word/document.xml" in names:
            raise FileRefused("这是 Word 文档，不是表格。请使用下载的模板（.xlsx 或 .csv）。")
        raise FileRefused("这是压缩包，不是表格。请上传 .xlsx 或 .csv 文件。")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRefused("这是旧版 Excel 97-2003（.xls）或其他 Office 文件，"
                          "请在 Excel 中“另存为” Excel 工作簿（.xlsx）后上传。")
    if head.startswith(b"%PDF"):
        raise FileRefused("这是 PDF 文件，不是表格。请上传 .xlsx 或 .csv 文件。")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileRefused("文件是 UTF-16（Unicode 文本）编码，请在 Excel 中另存为"
                          "“CSV UTF-8（逗号分隔）”或“CSV（逗号分隔）”后上传。")
    if b"\x00" in head or head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        raise FileRefused("这不是表格文件（内容是二进制数据）。请上传 .xlsx 或 .csv 文件。")
    return "csv"


def _valid_in(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with open(path, "rb") as f:
            while chunk := f.read(CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def csv_encoding(path: Path) -> str:
    """UTF-8 (BOM or not), else GB18030 (a superset of GBK and GB2312)."""
    with open(path, "rb") as f:
        if f.read(3) == codecs.BOM_UTF8:
            return "utf-8-sig"
    if _valid_in(path, "utf-8"):
        return "utf-8"
    if _valid_in(path, "gb18030"):
        return "gb18030"
    raise FileRefused("无法识别文件编码：CSV 文件应为 UTF-8 或 GB18030/GBK（Excel 另存为"
                      "“CSV（逗号分隔）”即是）。")


class Table:
    """A readable table: ``header`` (row 1's cells) and :meth:`rows` (the rest, streamed)."""

    format: str
    encoding: str | None = None
    header: tuple
    header_number: int = 1

    def rows(self) -> Iterator[Row]:
        raise NotImplementedError

    def close(self) -> None:
        pass


class CsvTable(Table):
    format = "csv"

    def __init__(self, path: Path) -> None:
        self.encoding = csv_encoding(path)
        self._file = open(path, encoding=self.encoding, newline="")  # noqa: SIM115
        first = self._file.readline()
        delimiter = max((",", "\t", ";"), key=first.count)
        if not first.count(delimiter):
            delimiter = ","
        self._file.seek(0)
        self._reader = csv.reader(self._file, delimiter=delimiter, strict=True)
        self._numbers = _numbered(self._reader)
        try:
            self.header_number, header = next(self._numbers)
        except StopIteration as empty:
            raise FileRefused("文件中没有表头和数据。") from empty
        except csv.Error as bad:
            raise FileRefused(f"CSV 格式有误：{bad}") from bad
        self.header = tuple(header)

    def rows(self) -> Iterator[Row]:
        try:
            for number, cells in self._numbers:
                yield Row(number, tuple(cells))
        except csv.Error as bad:
            raise FileRefused(f"CSV 格式有误（引号未闭合等）：{bad}") from bad

    def close(self) -> None:
        self._file.close()


def _numbered(reader) -> Iterator[tuple[int, list]]:
    """Records with their number, skipping blank lines before the header."""
    number = 0
    started = False
    for cells in reader:
        number += 1
        if not started and is_blank(tuple(cells)):
            continue
        started = True
        yield number, cells


class XlsxTable(Table):
    format = "xlsx"

    def __init__(self, path: Path) -> None:
        from openpyxl import load_workbook

        # A file object, not the path: openpyxl judges a path by its extension, and an
        # upload's name is not its content.
        self._file = open(path, "rb")  # noqa: SIM115 - closed in close()
        try:
            self._book = load_workbook(self._file, read_only=True, data_only=False)
        except Exception as bad:  # openpyxl raises many kinds for a damaged file
            self._file.close()
            raise FileRefused("无法打开该 Excel 文件（文件可能已损坏或受密码保护）。") from bad
        names = self._book.sheetnames
        name = "数据" if "数据" in names else names[0]
        self._sheet = self._book[name]
        self.sheet_name = name
        merged = merged_ranges(path, self._sheet_path(path, name))
        if merged:
            self.close()
            shown = "、".join(merged[:5]) + ("等" if len(merged) > 5 else "")
            raise FileRefused(f"工作表“{name}”有合并单元格（{shown}）：请取消合并，"
                              f"并在每一行填写完整的值后再上传。")
        self._iter = self._sheet.iter_rows()
        self.header = ()
        for number, row in enumerate(self._iter, start=1):
            cells = tuple(_cell_value(c) for c in row)
            if not is_blank(cells):
                self.header_number, self.header = number, cells
                break
        if not self.header:
            self.close()
            raise FileRefused(f"工作表“{name}”是空的：没有表头和数据。")

    def _sheet_path(self, path: Path, name: str) -> str | None:
        """The part of the .xlsx package holding the worksheet named ``name``."""
        with zipfile.ZipFile(path) as z:
            workbook = z.read("xl/workbook.xml").decode("utf-8", "replace")
            rels = z.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
        sheet = re.search(r'<sheet\b[^>]*\bname="' + re.escape(_xml_escape(name))
                          + r'"[^>]*\br:id="([^"]+)"', workbook)
        if not sheet:
            return None
        target = re.search(r'<Relationship\b[^>]*\bId="' + re.escape(sheet.group(1))
                           + r'"[^>]*\bTarget="([^"]+)"', rels) or re.search(
            r'<Relationship\b[^>]*\bTarget="([^"]+)"[^>]*\bId="' + re.escape(sheet.group(1))
            + '"', rels)
        if not target:
            return None
        found = target.group(1).lstrip("/")
        return found if found.startswith("xl/") else f"xl/{found}"

    def rows(self) -> Iterator[Row]:
        first = self.header_number + 1
        for number, row in enumerate(self._iter, start=first):
            yield Row(number, tuple(_cell_value(c) for c in row))

    def close(self) -> None:
        self._book.close()
        self._file.close()


def _xml_escape(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def merged_ranges(path: Path, part: str | None) -> list[str]:
    """The merged ranges of a worksheet, read from its XML as a stream (they sit after the
    cell data, so a big sheet is read through once without being held)."""
    if part is None:
        return []
    pattern = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+\d+:[A-Z]+\d+)"')
    found: list[str] = []
    tail = b""
    with zipfile.ZipFile(path) as z, z.open(part) as stream:
        while chunk := stream.read(CHUNK):
            data = tail + chunk
            found.extend(m.decode() for m in pattern.findall(data))
            tail = data[-200:]
            # a match inside the overlap is found twice; keep each range once, in order
    return list(dict.fromkeys(found))


def _cell_value(cell) -> object:
    value = getattr(cell, "value", None)
    kind = getattr(cell, "data_type", None)
    if value is None:
        return None
    if kind == "f":
        return FORMULA_PREFIX + str(value)
    if kind == "e":
        return ERROR_PREFIX + str(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        number_format = getattr(cell, "number_format", "") or ""
        if "%" in number_format:
            return f"{float(value) * 100:.10g}%"
        return value
    if isinstance(value, datetime | date | time):
        return value
    return str(value)


def open_table(path: Path) -> Table:
    """Open ``path`` as a table (refusing what is not one)."""
    if sniff(path) == "xlsx":
        return XlsxTable(path)
    return CsvTable(path)
