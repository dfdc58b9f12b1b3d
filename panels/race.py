"""The horse-race board as a panel (赛马榜 · 红黄黑榜): the compared regions by composite
score, with the change of rank and the list each is on. Drawn by every surface; the page
``/rankings`` shows it in full."""

from __future__ import annotations

from components import ranking_charts as figures
from config.labels import CHILD_NOUN, RANKING_LISTS
from data import ranking_queries as rq
from data import ranking_rules as rules
from panels.addresses import rankings_href, region_href
from panels.context import PanelContext
from panels.model import Column, Link, PanelModel, Stat
from panels.registry import ALL_SURFACES, panel


def list_text(code: str | None, names: dict[str, str]) -> str:
    """``★ 红榜`` (a symbol beside the word: never colour alone), ``—`` for none."""
    if code not in names:
        return "—"
    return f"{RANKING_LISTS[code].symbol} {names[code]}" if code in RANKING_LISTS else names[code]


def board_rows(board, lists: list[dict], *, period: str) -> list[dict]:
    """The board's rows as plain values (every surface, the export and the page)."""
    names = {rule["code"]: rule["name"] for rule in lists}
    rows = []
    for row in board.itertuples(index=False):
        ranked = row.rank is not None and str(row.rank) != "<NA>"
        rows.append({
            "adcode": row.adcode, "name": row.name,
            "rank": int(row.rank) if ranked else None,
            "score": None if not ranked else round(float(row.score), rules.SCORE_DECIMALS),
            "score_text": f"{row.score:.{rules.SCORE_DECIMALS}f}" if ranked else "—",
            "change": row.change_words, "items": int(row.items),
            "red_lights": int(row.red_lights),
            "list_code": row.list_code, "list_name": names.get(row.list_code, ""),
            "list_reason": row.list_reason,
            "list_text": list_text(row.list_code, names),
            "href": region_href(row.adcode, period=period),
        })
    return rows


@panel("race", "赛马榜", order=35, surfaces=ALL_SURFACES)
def race(ctx: PanelContext) -> PanelModel | None:
    """The compared regions (the region's children; a county among its city's counties) by
    composite score; ``None`` where nothing is compared (a county seen alone)."""
    parent = ctx.compared_parent
    tree = ctx.tree()
    level = tree.loc[parent, "level"]
    if level == "county":
        return None
    ranked_level = "city" if level == "province" else "county"
    ctx.share_statuses()
    board = rq.board(scope=ctx.scope, region=parent, level=ranked_level, period=ctx.period)
    if board.empty or board["score"].isna().all():
        return None
    lists = rq.lists(scope=ctx.scope)
    rows = board_rows(board, lists, period=ctx.period)
    words = f"{tree.loc[parent, 'name']}{CHILD_NOUN[level]}"
    counts = board["list_code"].value_counts()
    return PanelModel(
        key="race", title="赛马榜 · 红黄黑榜", region=words, period=ctx.period_words,
        as_of=ctx.period_words,
        figures={"race": figures.score_bars(board, lists, title=f"{words}综合得分 · "
                                                              f"{ctx.period_words}")},
        stats=[Stat(code=rule["code"], label=rule["name"], value=int(counts.get(rule["code"], 0)),
                    text=str(int(counts.get(rule["code"], 0))), unit="个",
                    colour=RANKING_LISTS[rule["code"]].colour if rule["code"] in RANKING_LISTS
                    else None, note=rules.list_rule_words(rule))
               for rule in sorted(lists, key=lambda r: list(RANKING_LISTS).index(r["code"])
                                  if r["code"] in RANKING_LISTS else 9)],
        rows=rows,
        columns=[Column("rank", "名次", "number"), Column("name", "地区", "link"),
                 Column("score_text", "综合得分", "number"), Column("change", "较上月", "number"),
                 Column("list_text", "榜单")],
        rule=f"{rules.FORMULA}{rules.TIE_RULE}",
        link=Link("打开赛马榜 ›", rankings_href(region=parent, of=ranked_level,
                                            period=ctx.period)),
        empty="暂无可排名的地区",
        extra={"level": ranked_level, "parent": parent},
    )
