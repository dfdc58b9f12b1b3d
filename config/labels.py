"""User-visible Chinese text and the colours that carry meaning, in one place."""

from __future__ import annotations

from dataclasses import dataclass

PRODUCT_NAME = "数字化改革驾驶舱"
DEMO_BADGE = "演示数据"
DEMO_BADGE_TITLE = (
    "当前显示的全部或部分内容是按指标目标生成的演示数据，不是真实统计数据。"
    "各类内容导入真实数据后，该类演示数据即被清除；全部替换后此标记消失。"
)
#: The charts' fonts, as the pages' (--font in assets/10-cockpit.css): the machine's Chinese font
#: first, the served Noto Sans SC (assets/00-fonts.css) only where none is present.
FONT_FAMILY = ('"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans SC", '
               '"Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", '
               '"WenQuanYi Micro Hei", "Cockpit Noto Sans SC", sans-serif')

#: The words inside every dcc.Dropdown (Dash 4 shows English unless told otherwise).
DROPDOWN_LABELS = {"search": "搜索", "clear_search": "清除搜索", "clear_selection": "清除",
                   "no_options_found": "没有匹配的选项", "select_all": "全选",
                   "deselect_all": "全不选"}

LEVEL_NAMES = {"province": "省", "city": "市", "county": "县（市、区）"}
CHILD_NOUN = {"province": "各设区市", "city": "各县（市、区）", "county": "各县（市、区）"}


@dataclass(frozen=True)
class Light:
    word: str
    colour: str  # the fill used for this light everywhere (badges, bars, maps)
    ink: str  # text on that fill, with a contrast of at least 4.5:1
    symbol: str  # so that a light is never told by colour alone


LIGHTS = {
    "green": Light("正常", "#2e7d32", "#ffffff", "●"),
    "yellow": Light("滞后", "#f2c037", "#3d2e00", "▲"),
    "red": Light("严重滞后", "#c62828", "#ffffff", "■"),
    "none": Light("无目标", "#e3e6ea", "#374151", "○"),
    # The indicator is not counted at this region's level: no light, no rank.
    "na": Light("不适用", "#f1f3f5", "#4b5563", "—"),
}
NO_DATA = "无数据"
NOT_APPLICABLE = LIGHTS["na"].word
#: A region where the indicator does not apply, on every map (lighter than 无数据's grey).
NOT_APPLICABLE_COLOUR = "#eef0f3"
LEVEL_SCOPE = {"province": "仅省级统计", "city": "统计到设区市", "county": "统计到县（市、区）"}

#: The plan's wording of a target, placed after the figure (before it for 力争).
TARGET_WORDING = {"at_least": "以上", "about": "左右", "strive": "力争", "full": "全面",
                  "below": "以下"}
#: Where a target comes from; a derived one (推算) is marked on cards and in tooltips.
TARGET_SOURCES = {"plan": "方案", "document": "年度文件", "import": "导入", "derived": "推算",
                  "demo": "推算"}
DERIVED_MARK = "推算"
FREQUENCY_NAMES = {"monthly": "月度", "quarterly": "季度", "yearly": "年度"}
DIRECTION_NAMES = {"higher": "越高越好", "lower": "越低越好"}


#: The horse-race board's lists (红黄黑榜): colour, ink and symbol (a list is never told by
#: colour alone). 红榜 is an honour, 黑榜 a public criticism.
RANKING_LISTS = {
    "red": Light("红榜", "#c62828", "#ffffff", "★"),
    "yellow": Light("黄榜", "#f2c037", "#3d2e00", "▲"),
    "black": Light("黑榜", "#1f2328", "#ffffff", "■"),
}


def light_word(code: str, value: object = 0) -> str:
    """The word of an indicator's light; 无数据 where there is no value at all."""
    missing = value is None or (isinstance(value, float) and value != value)
    return NO_DATA if code == "none" and missing else LIGHTS[code].word


#: 已完成 (a task done): the cockpit's accent blue, a light of its own so that it differs from
#: 推进中 on maps too.
DONE = Light("已完成", "#1b5aa0", "#ffffff", "✔")


def light_style(code: str) -> Light:
    """Colour, ink and symbol of a light code (``green`` … ``none``, or ``done``)."""
    return DONE if code == "done" else LIGHTS.get(code, LIGHTS["none"])


@dataclass(frozen=True)
class Status:
    word: str
    light: str  # a key of LIGHTS, or "done"
    symbol: str


#: Task statuses (codes of data.tasks_rules), the worst first.
TASK_STATUSES = {
    "overdue": Status("逾期", "red", "■"),
    "lagging": Status("滞后", "yellow", "▲"),
    "in_progress": Status("推进中", "green", "●"),
    "not_started": Status("未启动", "none", "○"),
    "done": Status("已完成", "done", "✔"),
}


def task_status_word(code: str) -> str:
    return TASK_STATUSES[code].word if code in TASK_STATUSES else code


#: Task groups (任务事项组; codes of data.tasks_rules.TASK_GROUPS) and their names.
TASK_GROUPS = {
    "key_instructions": "重要精神", "eight_eight": "八八战略", "common_prosperity": "共同富裕",
    "epidemic": "疫情防控", "emergency": "应急处突", "problem_lists": "问题清单",
    "supervision": "监督整改", "forefront": "勇立潮头", "major_projects": "重大项目",
}

#: Whether a directive was answered in time (codes of data.tasks_rules.answered_in_time).
ANSWER_STATES = {
    "on_time": Status("按时办结", "green", "●"),
    "late": Status("超期办结", "yellow", "▲"),
    "pending": Status("办理中", "none", "○"),
    "overdue": Status("超期未办", "red", "■"),
}

#: Sequential colours for a choropleth of values (light to dark, readable for colour-blind
#: viewers; no region's value is told by hue alone, the tooltip and ranking give the figure).
VALUE_COLOURS = ["#e8f1fb", "#b9d4f0", "#7fb0e0", "#3f83c7", "#1b5aa0", "#0b3a73"]
#: The sequential scale of an indicator where lower is better (信访总量): purples, apart
#: from the blues of the others and from the lights' and risk levels' colours.
LOWER_BETTER_COLOURS = ["#f3f0f8", "#dcd6ea", "#bdb2d8", "#9a88c2", "#7559a6", "#4f2f80"]
NO_DATA_COLOUR = "#d5d8dc"

MONTH_FORMAT = "{year}年{month}月"


def period_label(period: str) -> str:
    return MONTH_FORMAT.format(year=int(period[:4]), month=int(period[5:7]))


ERRORS = {
    "unknown_region": "未找到行政区划代码为“{adcode}”的地区。",
    "unknown_indicator": "未找到编码为“{code}”的指标。",
    "bad_period": "期间“{period}”格式不正确，应为“年-月”，例如 2026-10。",
    "period_out_of_range": "期间“{period}”没有数据，可选范围为 {first} 至 {last}。",
    "no_data": "数据库中还没有指标数据。请在“数据导入”页面（/data）导入，"
               "或由管理员运行 flask --app app seed-demo 写入演示数据。",
    "store_down": "数据源暂不可用：暂时无法连接数据库，请稍后刷新页面。已有数据不受影响。",
    "not_found": "您访问的页面不存在。",
    "no_indicators": "您的账号可查看的范围内没有指标。",
}
BACK_HOME = "返回全省驾驶舱"
#: Shown while the app starts in the browser (before Dash has drawn anything).
LOADING = "正在加载…"
ERROR_TITLE = "无法显示该页面"
