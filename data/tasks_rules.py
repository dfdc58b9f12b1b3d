"""Rules of the major tasks, written once and used by the task pages, the cockpit panel,
the exports and (later) the large screen and the PDF.

Status (状态) of a task, or of one region in its execution chain, is derived — never stored —
from its start and due dates, its progress (0–100 %) and the reference date ``today``:

    done         已完成  progress ≥ 100
    overdue      逾期    today is after the due date and progress < 100
    not_started  未启动  today is before the start date, or nothing is reported yet (progress 0)
                         while the time elapsed is still within the lag threshold
    lagging      滞后    progress trails the time elapsed by more than LAG_THRESHOLD (15) points,
                         where time elapsed = (today − start) / (due − start) × 100
    in_progress  推进中  otherwise

Statuses are English codes; their Chinese names, colours and symbols are
:data:`config.labels.TASK_STATUSES`.

"At risk" (风险) means lagging, or in progress and due within DUE_SOON_DAYS (30) days with a
progress that trails the time elapsed. Overdue and at-risk tasks are listed first everywhere.

Execution chain roll-up: a region's progress is the mean of its direct sub-regions' progress
where the task is assigned to regions beneath it (each sub-region counts equally), otherwise
its latest report's progress (0 without a report). The task's own progress is that of its
root region (usually the province).

"Today" is never read from the clock here: the rules and the query functions take ``today``
as an argument (tests inject it); :func:`data.clock.today` is the one place that says what it
is.
"""

from __future__ import annotations

from datetime import date

LAG_THRESHOLD = 15.0
DUE_SOON_DAYS = 30

NOT_STARTED, IN_PROGRESS, DONE, LAGGING, OVERDUE = (
    "not_started", "in_progress", "done", "lagging", "overdue")
#: Statuses in the order they are listed (the worst first).
STATUSES = (OVERDUE, LAGGING, IN_PROGRESS, NOT_STARTED, DONE)

#: Task groups (任务事项组) at province level (plan of 2021, §二(二)3), as codes; their names
#: are config.labels.TASK_GROUPS. Groups may be added.
TASK_GROUPS = ("key_instructions", "eight_eight", "common_prosperity", "epidemic", "emergency",
               "problem_lists", "supervision", "forefront", "major_projects")
#: The 19 main domains (主要领域) of core-business event groups.
DOMAINS = ("党的建设", "人大工作", "政协工作", "纪检监察", "宣传思想", "统战工作", "经济调节",
           "市场监管", "社会治理", "公共服务", "乡村振兴", "科技创新", "法治浙江", "文化浙江",
           "平安浙江", "美丽浙江", "群团工作", "机关运行", "市县工作")

DIRECTIVE_KINDS = {"instruction": "批示", "supervision": "督办单"}


def time_elapsed(*, start: date, due: date, today: date) -> float:
    """The share of the task's time that has passed, in % (0 before start, 100 after due)."""
    if today <= start:
        return 0.0
    if today >= due:
        return 100.0
    return (today - start).days / max((due - start).days, 1) * 100.0


def task_status(*, start: date, due: date, progress: float, today: date,
                threshold: float = LAG_THRESHOLD) -> str:
    """The status of a task (or of one region of its chain); see the module docstring."""
    if progress >= 100.0:
        return DONE
    if today > due:
        return OVERDUE
    if today < start:
        return NOT_STARTED
    gap = time_elapsed(start=start, due=due, today=today) - progress
    if gap > threshold:
        return LAGGING
    if progress <= 0.0:
        return NOT_STARTED
    return IN_PROGRESS


def at_risk(*, status: str, start: date, due: date, progress: float, today: date) -> bool:
    """Lagging, or in progress, due within DUE_SOON_DAYS and behind the time elapsed."""
    if status == LAGGING:
        return True
    if status != IN_PROGRESS:
        return False
    behind = time_elapsed(start=start, due=due, today=today) > progress
    return behind and 0 <= (due - today).days <= DUE_SOON_DAYS


def status_rank(status: str) -> int:
    """Sort key: the worst status first."""
    return STATUSES.index(status) if status in STATUSES else len(STATUSES)


def roll_up(children: list[float]) -> float:
    """A region's progress from its direct sub-regions' progress (each counts equally)."""
    return sum(children) / len(children) if children else 0.0


ON_TIME, LATE, PENDING, UNANSWERED_LATE = "on_time", "late", "pending", "overdue"


def answered_in_time(*, deadline: date, replied_on: date | None, today: date) -> str:
    """Whether a directive was answered by its deadline: ``on_time`` (按时办结), ``late``
    (超期办结), ``pending`` (办理中), ``overdue`` (超期未办)."""
    if replied_on is not None:
        return ON_TIME if replied_on <= deadline else LATE
    return PENDING if today <= deadline else UNANSWERED_LATE


def status_rule_text() -> str:
    """The status rule in words, for tooltips, the page and the PDF."""
    return (f"状态规则：进度达100%为已完成；超过截止日期未完成为逾期；进度落后于时间进度"
            f"（已过时间 ÷ 计划周期）超过{LAG_THRESHOLD:g}个百分点为滞后；尚未开始或尚无进展"
            f"为未启动；其余为推进中。地区进度为其下各地区进度的平均值。")


def chain_progress(leaves: dict[str, float], *, parents: dict[str, str | None], root: str,
                   root_progress: float = 0.0) -> dict[str, float]:
    """Progress of every region of an execution chain, from the progress of its leaves.

    ``leaves`` maps the assigned regions (beneath ``root``) to their latest progress;
    ``parents`` maps every adcode to its parent's. A region with assigned regions beneath it
    gets the mean of its direct sub-regions' progress (:func:`roll_up`); the root without any
    gets ``root_progress`` (its own latest report).
    """
    children: dict[str, set[str]] = {}
    for leaf in leaves:
        node = leaf
        while node != root:
            parent = parents.get(node)
            if parent is None:
                break  # not beneath the root: not part of this chain
            children.setdefault(parent, set()).add(node)
            node = parent
    result: dict[str, float] = {}

    def visit(node: str) -> float:
        if node in children:
            value = roll_up([visit(child) for child in sorted(children[node])])
        else:
            value = float(leaves.get(node, root_progress if node == root else 0.0))
        result[node] = value
        return value

    visit(root)
    return result


MAX_BODY = 2000


def parse_date(value: date | str | None) -> date | None:
    """A date from a date picker's ISO string (or a date); ``None`` when not a date."""
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def validate_directive(*, task_exists: bool, kind: str, author_name: str | None,
                       author_role: str | None, body: str | None, receiver: str | None,
                       known_receivers: set[str], deadline: date | str | None, today: date,
                       corrects_known: bool = True) -> list[str]:
    """Every reason to refuse an instruction or supervision order, in Chinese (empty: fine).

    Refused: an unknown task or kind; an empty author name, role or text (blank counts as
    empty); a text over MAX_BODY characters; a receiving unit that is not a known department
    or region; a missing deadline or one before ``today``; a correction of an unknown entry.
    HTML or script in the text is not refused: it is stored as typed and shown as plain text.
    """
    problems = []
    if not task_exists:
        problems.append("任务不存在。")
    if kind not in DIRECTIVE_KINDS:
        problems.append("请选择类型（批示或督办单）。")
    if not (author_name or "").strip():
        problems.append("请填写签发人姓名。")
    elif len(author_name.strip()) > 40:
        problems.append("签发人姓名不能超过40个字。")
    if not (author_role or "").strip():
        problems.append("请填写签发人职务。")
    elif len(author_role.strip()) > 60:
        problems.append("签发人职务不能超过60个字。")
    if not (body or "").strip():
        problems.append("请填写批示或督办内容。")
    elif len(body.strip()) > MAX_BODY:
        problems.append(f"内容不能超过{MAX_BODY}个字。")
    if not receiver:
        problems.append("请选择接收单位。")
    elif receiver not in known_receivers:
        problems.append("接收单位不存在，请从列表中选择部门或地区。")
    when = parse_date(deadline)
    if deadline in (None, ""):
        problems.append("请选择办理期限。")
    elif when is None:
        problems.append("办理期限不是有效日期。")
    elif when < today:
        problems.append(f"办理期限不能早于今天（{today:%Y-%m-%d}）。")
    if not corrects_known:
        problems.append("所更正的批示不存在。")
    return problems


def progress_against_report(*, progress: float, report: float | None, reported_on: date | None,
                            chained: bool, report_region: str | None = None,
                            task_region: str | None = None) -> tuple[bool, str]:
    """Whether a task's progress agrees with its lead unit's latest report, and the sentence
    that says so or why not (the task's progress comes from the execution chain when the
    task is broken down to regions, otherwise from that report)."""
    if report is None or reported_on is None:
        why = ("任务进度为执行链上各地区进度的平均值。" if chained else "任务进度按 0 计。")
        return False, f"牵头单位尚无进展报告；{why}"
    said = f"牵头单位 {reported_on:%Y-%m-%d} 报告的进度为 {report:g}%"
    if abs(progress - report) < 0.05:
        return True, f"{said}，与任务进度一致。"
    if report_region and task_region and report_region != task_region:
        return False, (f"{said}（{report_region}）；任务进度 {progress:.1f}% 是"
                       f"{task_region}的进度，故二者不同。")
    if chained:
        return False, (f"{said}；任务进度 {progress:.1f}% 取执行链上各地区进度的平均值"
                       "（各地区以其最近一次报告为准），不取牵头单位自报的数字，故二者不同。")
    return False, f"{said}；任务进度为 {progress:.1f}%。"


def chain_rule_text() -> str:
    return ("执行链：省 → 设区市 → 县（市、区）。分解到的地区以其最近一次进展报告为进度；"
            "上级地区的进度为其下各地区进度的平均值（各地区权重相同），状态按同一规则判定。")


def validate_reply(*, directive_known: bool, replied_by: str | None,
                   body: str | None) -> list[str]:
    """Every reason to refuse a reply to a directive, in Chinese (empty: fine)."""
    problems = []
    if not directive_known:
        problems.append("请选择要回复的批示或督办单。")
    if not (replied_by or "").strip():
        problems.append("请填写回复单位。")
    elif len(replied_by.strip()) > 80:
        problems.append("回复单位不能超过80个字。")
    if not (body or "").strip():
        problems.append("请填写回复内容。")
    elif len(body.strip()) > MAX_BODY:
        problems.append(f"回复内容不能超过{MAX_BODY}个字。")
    return problems
