"""The hot-appeals panel (民呼我为 · 热度榜): the categories of the region's appeals in the last
four weeks, most first, with the trend warnings of the latest week. Drawn by every surface;
``/appeals`` shows the whole picture."""

from __future__ import annotations

from datetime import timedelta

from components import format as fmt
from data import appeals_queries as aq
from data import appeals_rules as rules
from panels.addresses import appeals_href
from panels.context import PanelContext
from panels.model import Column, Link, PanelModel, Stat
from panels.registry import ALL_SURFACES, panel

WEEKS = 4
SHOWN = 5


@panel("appeals", "民呼我为", order=65, surfaces=ALL_SURFACES)
def hot_appeals(ctx: PanelContext) -> PanelModel | None:
    """``None`` where no appeal is loaded (or none up to the context's day)."""
    found = aq.week_range(scope=ctx.scope)
    if found is None:
        return None
    monday = ctx.today - timedelta(days=ctx.today.weekday())
    end = min(found[1], monday)
    if end < found[0]:
        return None
    start = end - timedelta(weeks=WEEKS - 1)
    before = (start - timedelta(weeks=WEEKS), start - timedelta(weeks=1))
    names = aq.categories(scope=ctx.scope).set_index("code")["name"].to_dict()
    counts = aq.weekly(scope=ctx.scope, region=ctx.adcode, category=None, start=start, end=end)
    previous = aq.weekly(scope=ctx.scope, region=ctx.adcode, category=None, start=before[0],
                         end=before[1])
    hot = aq.hot_list(counts, previous, names)
    warnings = aq.warnings(scope=ctx.scope, region=ctx.adcode, week=end)
    totals = {c: int(counts[c].sum()) for c in aq.COUNTS} if len(counts) else dict.fromkeys(
        aq.COUNTS, 0)
    rates = rules.rates(totals)
    rows = [{"rank": i, "name": r.name, "received": f"{r.received:,}",
             "change": rules.change_words(r.change),
             "href": appeals_href(ctx.adcode, category=r.category_code, weeks=WEEKS)}
            for i, r in enumerate(hot.head(SHOWN).itertuples(index=False), start=1)]
    stats = [Stat(code="received", label="受理", value=totals["received"],
                  text=f"{totals['received']:,}", unit="件"),
             Stat(code="satisfaction", label="满意率", value=rates["satisfaction"],
                  text="—" if rates["satisfaction"] is None else f"{rates['satisfaction']:.1f}",
                  unit="%"),
             Stat(code="warnings", label="趋势预警", value=len(warnings),
                  text=str(len(warnings)), unit="项", light="red" if len(warnings) else None,
                  note="；".join(f"{w.unit_name}{w.category_name}" for w in
                                warnings.itertuples(index=False)))]
    return PanelModel(
        key="appeals", title="民呼我为 · 热度榜", region=ctx.region_name,
        period=f"{start:%Y-%m-%d} 至 {end + timedelta(days=6):%Y-%m-%d}",
        as_of=fmt.long_day(min(end + timedelta(days=6), ctx.today)),
        stats=stats, rows=rows,
        columns=[Column("rank", "名次", "number"), Column("name", "类别", "link"),
                 Column("received", "件数", "number"), Column("change", "较前4周", "number")],
        rule=rules.RULE_TEXT,
        note=("本周预警：" + "、".join(f"{w.unit_name}{w.category_name}" for w in
                                    warnings.head(3).itertuples(index=False))
              if len(warnings) else ""),
        link=Link("打开民呼我为 ›", appeals_href(ctx.adcode)),
        empty="暂无诉求数据",
    )
