"""The words of every table (AG Grid) in Chinese: one place for all grids of the app."""

from __future__ import annotations

#: AG Grid's own words (pagination, its tooltips and labels, loading), in Chinese.
GRID_WORDS = {
    "loadingOoo": "加载中…", "page": "第", "of": "/", "to": "至", "more": "更多",
    "firstPage": "首页", "previousPage": "上一页", "nextPage": "下一页", "lastPage": "末页",
    "pageSizeSelectorLabel": "每页行数：", "ariaPageSizeSelectorLabel": "每页行数",
    "pageLastRowUnknown": "?", "ariaRowSelect": "选择此行", "ariaSortableColumn": "可排序的列",
    "ariaColumn": "列", "ariaRow": "行", "ariaSearch": "搜索", "ariaChecked": "已选",
    "ariaUnchecked": "未选",
}


#: Every cell shows its whole text on hover (a cell cut with "…" hides the rest of it).
CELL_TOOLTIP = {"function": "params.valueFormatted != null ? params.valueFormatted : params.value"}


def column_defaults(**settings: object) -> dict:
    """A grid's ``defaultColDef``: ``settings`` and the whole text of a cell on hover."""
    return {"tooltipValueGetter": CELL_TOOLTIP, **settings}


def grid_locale(no_rows: str) -> dict[str, str]:
    """The ``localeText`` of a grid whose empty state reads ``no_rows``."""
    return {**GRID_WORDS, "noRowsToShow": no_rows}
