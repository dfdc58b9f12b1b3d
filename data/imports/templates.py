"""Downloadable templates of every kind: .xlsx with a Chinese header row, a sheet that
explains each column (说明), the allowed values (选项) and drop-down lists where a column has
them; and CSV (UTF-8 with a byte-order mark, which Excel opens in Chinese correctly).
"""

from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from data.imports.kinds import Kind
from data.imports.kinds_indicators import TARGET_SOURCE_WORDS, WORDINGS
from data.imports.lookups import Lookups
from data.imports.registry import KINDS
from data.store import read_connection

#: Rows of the data sheet that get the drop-down lists.
VALIDATED_ROWS = 20000
HEADER_FILL = PatternFill("solid", fgColor="1B5AA0")
REQUIRED_FILL = PatternFill("solid", fgColor="0B3A73")


def choices(name: str, lookups: Lookups) -> list[tuple[str, str]]:
    """(value to type, what it means) for a column's drop-down and the 选项 sheet."""
    from config.labels import TASK_GROUPS
    from data.imports.kinds_incentives import APP_LEVEL_WORDS, APP_LEVELS
    from data.imports.kinds_problems import SEVERITY_WORDS, STAGE_WORDS
    from data.imports.kinds_risk import EVENT_KINDS, NOTICE_KINDS
    from data.tasks_rules import DOMAINS

    if name == "indicators":
        return [(code, row["name"]) for code, row in sorted(
            lookups.indicators.items(), key=lambda item: item[1]["sort_order"])]
    if name == "regions":
        index = lookups.regions
        return [(index.region_names[a] if len(index.names[index.region_names[a]]) == 1 else a,
                 f"{a} {index.region_names[a]}") for a in sorted(index.levels)]
    listed = {
        "wordings": [(word, code) for word, code in WORDINGS.items() if len(word) == 2],
        "target_sources": [(word, code) for word, code in TARGET_SOURCE_WORDS.items()
                           if word in ("方案", "年度文件", "推算", "导入")],
        "task_groups": [(name, code) for code, name in TASK_GROUPS.items()],
        "domains": [(domain, "主要领域") for domain in DOMAINS],
        "severities": [(word, code) for word, code in SEVERITY_WORDS.items()],
        "stages": [(word, code) for word, code in STAGE_WORDS.items()
                   if word in ("交办", "整改中", "待验收", "已销号")],
        "event_kinds": [(word, code) for word, code in EVENT_KINDS.items()],
        "app_levels": [(word, APP_LEVELS[word]) for word in APP_LEVEL_WORDS],
        "notice_kinds": [(word, code) for word, code in NOTICE_KINDS.items()
                         if word in ("风险告知函", "工作督办单")],
    }
    if name in listed:
        return listed[name]
    named = {"systems": lookups.systems, "departments": lookups.departments,
             "problem_lists": lookups.problem_lists, "hazards": lookups.hazards,
             "appeal_categories": lookups.appeal_categories,
             "appeal_channels": lookups.appeal_channels}
    if name in named:
        return [(label, code) for code, label in named[name].by_code.items()]
    if name == "risk_levels":
        return [(label, code) for code, label in lookups.risk_levels.by_code.items()]
    if name == "events":
        return [(event, f"{info['started_at']:%Y-%m-%d} 至 {info['ended_at']:%Y-%m-%d}")
                for event, info in lookups.events.items()]
    raise KeyError(name)


def xlsx_template(kind: str) -> bytes:
    spec = KINDS[kind]
    with read_connection() as conn:
        # The topic's demo rows cannot be referred to by real data: not offered either.
        lookups = Lookups(conn, today=date.today(), exclude_demo=spec.topic)
        lists = {c.choices: choices(c.choices, lookups) for c in spec.columns if c.choices}
        lists = {name: values for name, values in lists.items() if values}
    book = Workbook()
    data = book.active
    data.title = "数据"
    _data_sheet(data, spec)
    notes = book.create_sheet("说明")
    _notes_sheet(notes, spec)
    if lists:
        options = book.create_sheet("选项")
        _options_sheet(book, data, options, spec, lists)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _data_sheet(sheet, spec: Kind) -> None:
    for position, column in enumerate(spec.columns, start=1):
        cell = sheet.cell(row=1, column=position, value=column.name)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = REQUIRED_FILL if column.required else HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
        letter = get_column_letter(position)
        sheet.column_dimensions[letter].width = max(12, min(36, len(column.name) * 2 + 6))
        # Text columns stay text: Excel must not turn 2026-10 into a date or 330106 into a
        # number with a thousands separator.
        for row in range(2, 202):
            sheet.cell(row=row, column=position).number_format = "@"
    sheet.freeze_panes = "A2"


def _notes_sheet(sheet, spec: Kind) -> None:
    sheet.append([f"{spec.name}导入模板"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([spec.description])
    sheet.append(["在“数据”表第2行起逐行填写，每行一条；第1行的列名不要改动（也可用英文列码）。"
                  "深色表头为必填列。不要合并单元格、不要用公式、中间不要留空行。"])
    sheet.append(["可以保存为 .xlsx 上传，也可以另存为“CSV UTF-8（逗号分隔）”或“CSV（逗号分隔）”"
                  "（GB18030/GBK）上传。整个文件校验通过才会导入；有任何一行不合格，整份文件"
                  "不导入，并列出每个问题所在的行、列和原因。同一文件重复导入不会产生重复数据。"])
    sheet.append([])
    sheet.append(["列名", "英文列码", "是否必填", "填写说明", "示例", "也接受的列名"])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
    for column in spec.columns:
        sheet.append([column.name, column.code, "必填" if column.required else "选填",
                      column.help, column.example, "、".join(column.aliases)])
    for letter, width in zip("ABCDEF", (18, 18, 10, 70, 24, 30), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _options_sheet(book, data, sheet, spec: Kind, lists: dict[str, list[tuple[str, str]]]
                   ) -> None:
    position = 1
    for column_position, column in enumerate(spec.columns, start=1):
        if column.choices not in lists:
            continue
        values = lists[column.choices]
        letter = get_column_letter(position)
        sheet.cell(row=1, column=position, value=f"{column.name}（可填）").font = Font(bold=True)
        sheet.cell(row=1, column=position + 1, value="含义").font = Font(bold=True)
        for row, (value, meaning) in enumerate(values, start=2):
            sheet.cell(row=row, column=position, value=value)
            sheet.cell(row=row, column=position + 1, value=meaning)
        sheet.column_dimensions[letter].width = 24
        sheet.column_dimensions[get_column_letter(position + 1)].width = 40
        target = get_column_letter(column_position)
        validation = DataValidation(
            type="list", formula1=f"'选项'!${letter}$2:${letter}${len(values) + 1}",
            allow_blank=True, showErrorMessage=False)
        validation.promptTitle = column.name
        validation.prompt = column.help[:250]
        validation.showInputMessage = True
        data.add_data_validation(validation)
        validation.add(f"{target}2:{target}{VALIDATED_ROWS}")
        position += 3


def csv_template(kind: str) -> bytes:
    """The header row, UTF-8 with a byte-order mark."""
    spec = KINDS[kind]
    return ("\ufeff" + ",".join(c.name for c in spec.columns) + "\r\n").encode("utf-8")
