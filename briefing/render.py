"""A briefing printed: its models laid out as HTML (a Jinja template) and turned into an A4 PDF
by WeasyPrint, with the Chinese font embedded, page numbers, a running header with the viewer's
name (the watermark) and a footer with the data's freshness and the choices it was made with.

Why WeasyPrint: it is made for paged documents (CSS Paged Media: running headers and footers,
page counters, table headers repeated on every page a table runs over, rows kept whole,
bookmarks), it embeds a subset of the font it is given, and it lays out a 20-page briefing in
well under a second. The maps are drawn by plotly's own static export (:mod:`briefing.figures`)
from the very figures the desk shows.
"""

from __future__ import annotations

import base64
import functools
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from briefing import environment, figures
from briefing.document import SECTIONS, Briefing, Progress
from config.labels import LIGHTS, TASK_STATUSES, light_style
from data.tasks_rules import LATE, UNANSWERED_LATE
from panels.compare import DOWN, UP, count_change, rank_changes, stat_changes, value_change
from panels.model import PanelModel, Stat

TEMPLATES = Path(__file__).resolve().parent / "templates"
NUMERALS = "一二三四五六七八九十"
MAP_HEIGHT = 620
TREND_HEIGHT = 360
RISK_MAP_HEIGHT = 560
#: Directives a briefing lists: those not answered in time.
LATE_ANSWERS = (UNANSWERED_LATE, LATE)  # 超期未办, 超期办结 (data.tasks_rules codes)


@functools.cache
def _templates() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                       trim_blocks=True, lstrip_blocks=True)


def font_face() -> str:
    font = environment.font_file()
    if font is None:
        raise environment.NotReady("缺少中文字体 Noto Sans SC：请运行 make run。")
    return (f"@font-face {{ font-family: '{environment.FONT_FAMILY}'; "
            f"src: url('{font.as_uri()}'); }}")


FIGURE_SCHEME = "figure:"


def figure_fetcher(pending: dict[str, Future]):
    """A WeasyPrint URL fetcher that hands over the figures as Chromium finishes them:
    ``figure:<name>`` waits for the figure drawn in the background while the document is parsed
    and styled; anything else only from files and data (the font). A figure that fails stops
    the document (no map is ever silently missing). WeasyPrint is imported here, not with the
    module, so that the app starts (and says what is missing) on a machine without Pango."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class FigureFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith(FIGURE_SCHEME):
                data = pending[url.removeprefix(FIGURE_SCHEME)].result()
                return URLFetcherResponse(url, body=data, headers={"Content-Type": "image/png"})
            return super().fetch(url, headers)

    return FigureFetcher(allowed_protocols={"file", "data", "figure"}, fail_on_errors=True)


def _light(code: str) -> dict:
    """The fill, ink and symbol of a light (the desk's badge colours)."""
    style = light_style(code)
    return {"colour": style.colour, "ink": style.ink, "symbol": style.symbol}


def _days_left(days: int) -> str:
    return f"逾期 {-days} 天" if days < 0 else "今天" if days == 0 else f"{days} 天"


def _stat(model: PanelModel | None, code: str) -> Stat | None:
    return None if model is None else next((s for s in model.stats if s.code == code), None)


def _stat_text(stat: Stat | None) -> str:
    if stat is None:
        return "—"
    return f"{stat.text}{stat.unit}" if stat.unit not in ("%",) else f"{stat.text}%"


def _with_unit(row: dict) -> str:
    """An indicator row's value with its unit (``99.1%``, ``4.07 万亿元``)."""
    if row["value"] is None:
        return "—"
    unit = row["unit"]
    return f"{row['value_text']}{unit}" if unit in ("", "%") else f"{row['value_text']} {unit}"


class Layout:
    """The view of one briefing the template draws (plain dicts and strings)."""

    def __init__(self, briefing: Briefing, progress: Progress) -> None:
        self.b = briefing
        self.tell = progress
        self.count = 0
        #: Figures to draw, by name: (figure, height in CSS pixels).
        self.figures: dict[str, tuple] = {}

    def figure(self, name: str, figure, height: int) -> str:
        """The address of a figure in the document (drawn later, while WeasyPrint lays out)."""
        self.figures[name] = (figure, height)
        return FIGURE_SCHEME + name

    def number(self) -> str:
        """The next section's number: 一, 二 … 十, 十一 …"""
        self.count += 1
        tens, units = divmod(self.count, 10)
        return ("" if tens == 0 else "十" if tens == 1 else NUMERALS[tens - 1] + "十") + (
            NUMERALS[units - 1] if units else "" if tens else "")

    # --- the frame -----------------------------------------------------------------------------

    def frame(self) -> dict:
        b, ctx, window = self.b, self.b.ctx, self.b.window
        path = [ctx.tree().loc[a, "name"] for a in ctx.ancestors()] + [ctx.region_name]
        made = f"{b.made_at:%Y-%m-%d %H:%M}"
        fresh = f"数据更新于 {b.freshness:%Y-%m-%d %H:%M}" if b.freshness else "数据更新时间未知"
        chosen = "、".join(SECTIONS[s] for s in b.request.sections)
        compared = [f"上期（{c.time_window.label}）" for c in [b.comparison.previous] if c]
        compared += [f"去年同期（{c.time_window.label}）" for c in [b.comparison.year_before] if c]
        return {
            "title": b.title, "window_label": window.label, "window_kind": window.report_name,
            "window_dates": window.dates_text, "period_words": ctx.period_words,
            "as_of": f"{ctx.today:%Y-%m-%d}"
            + ("" if window.is_over(ctx.today) else "（时段未结束）"),
            "region_path": " › ".join(path), "made_text": made,
            "made_iso": b.made_at.astimezone().isoformat(timespec="seconds"),
            "viewer": f"{b.viewer.name} · {b.viewer.unit}", "demo": b.demo,
            "compared": "；".join(compared) or "无可比数据",
            "footer": (f"{fresh} · {ctx.region_name} · {window.key} · 指标 {ctx.indicator} · "
                       f"章节：{chosen}" + (" · 演示数据" if b.demo else "")),
            "contents": [SECTIONS[s] for s in b.request.sections],
            "font_face": font_face(),
            "css": (TEMPLATES / "briefing.css").read_text(encoding="utf-8"),
        }

    # --- sections ---------------------------------------------------------------------------------

    def headline(self) -> dict | None:
        model = self.b.models.get("overview")
        if model is None:
            return None
        previous = self.b.previous.get("overview")
        year = self.b.year_before.get("overview")
        before, year_changes = stat_changes(model.stats, previous and previous.stats), \
            stat_changes(model.stats, year and year.stats)
        rows = []
        for stat in model.stats:
            if stat.code == "risk_high" and not self.b.risk:
                continue  # the latest event is not within the window
            rows.append({"label": stat.label, "now": _stat_text(stat),
                         "previous": _stat_text(_stat(previous, stat.code)),
                         "previous_change": before[stat.code],
                         "year_before": _stat_text(_stat(year, stat.code)),
                         "year_change": year_changes[stat.code], "note": stat.note})
        return {"number": self.number(), "rows": rows, "sub": f"{model.region} · {model.period}"}

    def indicators(self) -> dict | None:
        model = self.b.models.get("indicators")
        if model is None:
            return None
        previous = {r["code"]: r for r in (self.b.previous.get("indicators") or
                                           PanelModel("", "", "", "")).rows}
        year = {r["code"]: r for r in (self.b.year_before.get("indicators") or
                                       PanelModel("", "", "", "")).rows}
        groups = []
        for group in model.groups:
            rows = [r for r in model.rows if r["group"] == group.code]
            counted = [r for r in rows if r["applicable"]]
            groups.append({
                "name": group.name,
                "counts": " ".join(f"{LIGHTS[s.code].symbol}{s.label}{s.text}"
                                   for s in group.stats if s.value),
                "rows": [{"name": r["name"], "as_of": r["as_of_text"],
                          "value": _with_unit(r),
                          "target": r["target_text"] + ("（推算）" if r["derived"] else ""),
                          "completion": r["completion_text"],
                          "previous_change": value_change(r, previous.get(r["code"])),
                          "year_change": value_change(r, year.get(r["code"])),
                          "light_word": r["light_word"], **_light(r["light"])}
                         for r in counted],
                "not_applicable": "、".join(r["name"] for r in rows if not r["applicable"]),
            })
        ctx = self.b.comparison
        sub = f"{model.region} · {model.period}"
        if ctx.previous:
            sub += f" · 环比对照 {ctx.previous.period_words}"
        if ctx.year_before:
            sub += f" · 同比对照 {ctx.year_before.period_words}"
        return {"number": self.number(), "groups": groups, "sub": sub,
                "note": "环比、同比：比率类指标为百分点之差，其余为增减百分比。" + model.rule}

    def red_lights(self) -> dict | None:
        model = self.b.models.get("red_lights")
        if model is None:
            return None
        return {"number": self.number(), "region": self.b.ctx.region_name,
                "sub": f"{model.region} · {model.period}", "empty": model.empty,
                "rows": [{"name": r["name"], "light_word": r["light_word"], **_light(r["light"]),
                          "value": r["value_text"], "progress": r["progress_text"],
                          "department": r["department"], "regions": r["red_region_names"]}
                         for r in model.rows]}

    def region_map(self) -> dict | None:
        model, ranking = self.b.models.get("map"), self.b.models.get("ranking")
        if model is None:
            return None
        image = self.figure("map", model.figures["map"], MAP_HEIGHT)
        rows = []
        if ranking is not None:
            previous = self.b.previous.get("ranking")
            changes = rank_changes(ranking.rows, previous.rows if previous else None)
            for r in ranking.rows:
                change = changes[r["adcode"]]
                rows.append({"rank": r["rank"] or "—", "name": r["name"],
                             "value": r["value_text"], "completion": r["completion_text"],
                             "light_word": r["light_word"], **_light(r["light"]),
                             "current": r["is_current"], "change": change,
                             "change_class": "up" if change.startswith(UP) else
                             "down" if change.startswith(DOWN) else ""})
        previous_ctx = self.b.comparison.previous
        note = (f"较上期：与{previous_ctx.period_words}的名次相比，▲为上升、▼为下降。"
                if previous_ctx else "无上期数据，不比较名次。")
        return {"number": self.number(), "image": image, "rows": rows,
                "sub": f"{model.region} · {model.title}（{model.extra['unit']}） · {model.period}",
                "caption": model.extra["figure_title"],
                "ranking_title": ranking.title if ranking else "", "note": note}

    def trend(self) -> dict | None:
        model = self.b.models.get("trend")
        if model is None:
            return None
        return {"number": self.number(), "sub": f"{model.region} · {model.period}",
                "image": self.figure("trend", model.figures["trend"], TREND_HEIGHT),
                "caption": model.extra["figure_title"]}

    def risk(self) -> dict:
        events = []
        for index, model in enumerate(self.b.risk):
            events.append({
                "title": f"{model.extra['event_name']} · {model.region}",
                "sub": f"{model.period}（本期内风险最高的时刻）",
                "image": self.figure(f"risk-{index}", model.figures["map"], RISK_MAP_HEIGHT),
                "levels": model.stats, "rows": model.rows})
        return {"number": self.number(), "events": events,
                "empty": f"{self.b.window.label}内没有自然灾害过程，不附“五色图”。"}

    def tasks(self) -> dict | None:
        model = self.b.models.get("tasks")
        if model is None:
            return None
        previous, year = self.b.previous.get("tasks"), self.b.year_before.get("tasks")
        counts = []
        for stat in model.stats:
            was, then = _stat(previous, stat.code), _stat(year, stat.code)
            counts.append({"label": stat.label, **_light(stat.light or "none"),
                           "now": stat.text, "previous": was.text if was else "—",
                           "previous_change": count_change(stat.value, was and was.value),
                           "year_before": then.text if then else "—",
                           "year_change": count_change(stat.value, then and then.value)})
        rows = [{"code": r["code"], "name": r["name"], "light_word": r["light_word"]
                 + ("（有逾期风险）" if r["at_risk"] and r["status"] != "overdue" else ""),
                 **_light(TASK_STATUSES[r["status"]].light if r["status"] in TASK_STATUSES
                          else "none"),
                 "progress": r["progress_text"], "due": r["due_text"],
                 "days_left": _days_left(int(r["days_left"])), "lead": r["lead"]}
                for r in model.rows]
        return {"number": self.number(), "counts": counts, "rows": rows,
                "sub": f"{model.region} · {model.period}", "empty": model.empty}

    def problems(self) -> dict | None:
        lists, red = self.b.models.get("problems"), self.b.models.get("red_problems")
        if lists is None and red is None:
            return None
        rates = ""
        if lists is not None:
            stats = {s.code: s for s in lists.stats}
            rates = (f"合计 {stats['total'].text} 个，未销号 {stats['open'].text} 个；"
                     f"整改率 {stats['rectification_rate'].text}，"
                     f"按期销号率 {stats['on_time_rate'].text}。")
        red_stats = {s.code: s for s in red.stats} if red else {}
        previous = self.b.previous.get("red_problems")
        change = count_change(red_stats["red"].value if red else None,
                              _stat(previous, "red").value if _stat(previous, "red") else None)
        red_sub = ""
        if red is not None:
            new, closed = red_stats["found_in_window"], red_stats["closed_in_window"]
            red_sub = (f"{red.period} · 较上期 {change} · {new.label} {new.text} 个，"
                       f"{closed.label} {closed.text} 个")
        return {"number": self.number(),
                "sub": f"{(lists or red).region} · {(lists or red).period}",
                "lists": lists.rows if lists else [], "rates": rates,
                "red_count": red_stats["red"].text if red else "0", "red_sub": red_sub,
                "rows": red.rows if red else [], "empty": red.empty if red else ""}

    def directives(self) -> dict | None:
        model = self.b.models.get("directives")
        if model is None:
            return None
        rows = [{**r, "light_word": r["light_word"], **_light(r["light"])}
                for r in model.rows if r["answered"] in LATE_ANSWERS]
        late = sum(1 for r in rows if r["answered"] == UNANSWERED_LATE)
        return {"number": self.number(), "rows": rows,
                "sub": (f"{model.region} · {model.period} · 共 {len(model.rows)} 件，"
                        f"未按时办理 {len(rows)} 件（其中超期未办 {late} 件）"),
                "empty": "没有未按时办理的批示或督办单。"}

    def panel_table(self, key: str) -> dict | None:
        """A panel drawn as its counts and its table (the board, the hot appeals)."""
        model = self.b.models.get(key)
        if model is None:
            return None
        return {"number": self.number(), "title": model.title,
                "sub": f"{model.region} · {model.period}",
                "stats": [f"{s.label} {s.text}{s.unit}" for s in model.stats],
                "headers": [c.header for c in model.columns],
                "numeric": [c.kind == "number" for c in model.columns],
                "rows": [[("—" if r.get(c.field) in (None, "") else r.get(c.field))
                          for c in model.columns] for r in model.rows],
                "note": model.note, "empty": model.empty}

    def appendix(self) -> dict:
        rules: list[tuple[str, str]] = [
            ("时段", f"本简报为{self.b.window.report_name}（{self.b.window.label}，"
                   f"{self.b.window.dates_text}）。月度指标取时段内最后一个有数据的月份"
                   f"（{self.b.ctx.period_words}）；任务、问题、批示按时段最后一天"
                   f"（未结束的时段按今天，{self.b.ctx.today:%Y-%m-%d}）的状态统计。"
                   "环比对照上一时段结束时的状态，同比对照去年同一时点。")]
        seen = set()
        names = {"indicators": "指标亮灯", "map": "地图与排名", "tasks": "任务状态",
                 "problems": "问题亮灯与整改率", "red_problems": "逾期未销号问题",
                 "directives": "批示督办办理情况", "trend": "序时目标",
                 "red_lights": "红灯、黄灯指标", "race": "赛马榜计分与名次",
                 "appeals": "民呼我为趋势预警"}
        for key, model in self.b.models.items():
            if model.rule and model.rule not in seen and key in names:
                seen.add(model.rule)
                rules.append((names[key], model.rule))
        for model in self.b.risk[:1]:
            rules.append(("风险“五色图”", model.rule))
        demo = "当前为演示数据，不是真实统计数据。" if self.b.demo else ""
        rules.append(("数据来源", "本简报的数字与驾驶舱页面、大屏对同一地区、同一时段显示的数字"
                                "相同，由同一套面板模型计算。" + demo))
        return {"number": self.number(), "rules": rules}

    def page(self) -> dict:
        has = self.b.has
        view = self.frame()
        view["summary_number"] = self.number() if has("summary") else ""
        view["summary"] = self.b.summary if has("summary") else None
        view["headline"] = self.headline() if has("overview") else None
        view["indicators"] = self.indicators() if has("indicators") else None
        view["red_lights"] = self.red_lights() if has("red_lights") else None
        view["map"] = self.region_map() if has("map") else None
        view["trend"] = self.trend() if has("trend") else None
        view["risk"] = self.risk() if has("risk") else None
        view["tasks"] = self.tasks() if has("tasks") else None
        view["problems"] = self.problems() if has("problems") else None
        view["directives"] = self.directives() if has("directives") else None
        view["panels"] = [t for t in (self.panel_table(k) for k in ("race", "appeals")
                                      if has(k)) if t is not None]
        view["appendix"] = self.appendix() if has("appendix") else None
        return view


def layout(briefing: Briefing, progress: Progress | None = None) -> tuple[str, dict]:
    """The briefing as one HTML document whose figures are ``figure:<name>`` addresses, and
    those figures (plotly figure, height) by name."""
    view = Layout(briefing, progress or (lambda share, words: None))
    page = view.page()
    return _templates().get_template("briefing.html").render(**page), view.figures


@dataclass(frozen=True)
class Printed:
    data: bytes
    pages: int


def pdf(briefing: Briefing, progress: Progress | None = None) -> Printed:
    """The briefing as a PDF (bytes and number of pages). Chromium draws the figures in a
    thread of their own while WeasyPrint parses and styles the document."""
    tell = progress or (lambda share, words: None)
    environment.require()
    document, wanted = layout(briefing, tell)
    tell(50, "绘制地图，排版 PDF")
    import weasyprint
    from weasyprint.urls import FatalURLFetchingError

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="briefing-figures") as pool:
        pending = {name: pool.submit(figures.png, figure, height=height)
                   for name, (figure, height) in wanted.items()}
        try:
            laid_out = weasyprint.HTML(string=document, base_url=str(TEMPLATES),
                                       url_fetcher=figure_fetcher(pending)).render()
        except FatalURLFetchingError as error:
            cause = error.__cause__
            if isinstance(cause, figures.FigureError | environment.NotReady):
                raise cause from error
            raise
        finally:
            for future in pending.values():
                future.cancel()
    tell(90, "写入 PDF")
    return Printed(laid_out.write_pdf(), len(laid_out.pages))


def html(briefing: Briefing) -> str:
    """The briefing as one self-contained HTML document (figures inline), for looking at."""
    document, wanted = layout(briefing)
    for name, (figure, height) in wanted.items():
        data = base64.b64encode(figures.png(figure, height=height)).decode("ascii")
        document = document.replace(f'"{FIGURE_SCHEME}{name}"',
                                    f'"data:image/png;base64,{data}"')
    return document
