"""The briefing PDF, opened as a reader would: pages, title, region names, the figures (equal
to the panel models of the same context, as the desk and the screen show them), every font
embedded, long tables that repeat their header. Three documents (a province, a city and a county
briefing, each for its own user and window) are produced once and shared by the tests."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import pytest
from pypdf import PdfReader

from briefing import environment, jobs
from briefing.document import BriefingRequest, Viewer, map_indicator
from data import accounts
from data.scope import EVERYTHING, Scope
from data.windows import Window
from panels import registry
from panels.compare import compare, rank_changes
from panels.context import PanelContext, make_context
from tests.conftest import require


@dataclass
class Produced:
    ctx: PanelContext
    made: jobs.Made
    pages: list[str]

    @property
    def text(self) -> str:
        return "".join(self.pages)

    @property
    def flat(self) -> str:
        """The whole text without any white space (a cell's text may wrap anywhere)."""
        return re.sub(r"\s+", "", self.text)


CASES = {
    "province": ("330000", "leader", "2026-10", "month"),
    "city": ("330100", "hangzhou", "2026-Q3", "quarter"),
    "county": ("330106", "xihu", "2026-W47", "week"),
}


@pytest.fixture(scope="session")
def produced(cockpit) -> dict[str, Produced]:
    require(environment.chromium() is not None, "Chromium is needed to draw the maps")
    found = {}
    with cockpit.server.app_context():
        for name, (adcode, username, key, kind) in CASES.items():
            account = accounts.find_user(username)
            window = Window.parse(key, kind=kind)
            made = jobs.make_pdf(BriefingRequest(adcode=adcode, window=window),
                                 scope=account.scope,
                                 viewer=Viewer(account.display_name, account.unit))
            reader = PdfReader(io.BytesIO(made.data))
            ctx = make_context(scope=account.scope, adcode=adcode, window=window,
                               indicator=map_indicator(account.scope, adcode))
            found[name] = Produced(ctx, made, [p.extract_text() for p in reader.pages])
    return found


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("case", list(CASES))
def test_a_briefing_has_its_cover_pages_and_region_names(request_context, produced, case):
    doc = produced[case]
    adcode, _user, key, kind = CASES[case]
    ctx = doc.ctx
    assert doc.made.pages == len(doc.pages) >= 7
    cover = flat(doc.pages[0])
    title = f"{ctx.region_name}数字化改革{Window.parse(key, kind=kind).report_name}"
    assert title in cover and flat(ctx.time_window.label) in cover and "演示数据" in cover
    assert doc.made.file_name == f"{title}-{key}.pdf"
    # Every page after the cover names the briefing, the viewer and its page number.
    for number, page in enumerate(doc.pages[1:], start=2):
        assert title in flat(page) and f"第{number}页/共{len(doc.pages)}页" in flat(page)
    names = [r["name"] for r in registry.build(ctx, "ranking").rows]
    assert len(names) >= (1 if case == "county" else 5)  # Xihu's user sees Xihu alone
    assert all(name in doc.text for name in names)


def test_the_watermark_names_the_viewer_on_every_page(produced):
    account_names = {"province": "省领导", "city": "杭州", "county": "西湖"}
    for case, doc in produced.items():
        for page in doc.pages[1:]:
            assert account_names[case] in page, case


@pytest.mark.parametrize("case", list(CASES))
def test_the_indicator_figures_are_the_panel_models(request_context, produced, case):
    doc = produced[case]
    model = registry.build(doc.ctx, "indicators")
    counted = [r for r in model.rows if r["applicable"]]
    assert counted
    for row in counted:
        value = row["value_text"] + row["unit"] if row["value"] is not None else "—"
        as_of = f"（{row['as_of_text']}）" if row["as_of_text"] else ""
        expected = flat(row["name"] + as_of + value + row["target_text"])
        found = re.search(re.escape(expected) + r"(?:（推算）)?" + re.escape(
            row["completion_text"]) + r".{0,40}?" + re.escape(row["light_word"]), doc.flat)
        assert found, (case, row["name"], expected)
    # The lights counted per system are the model's.
    for group in model.groups:
        for stat in group.stats:
            if stat.value:
                assert f"{stat.label}{stat.text}" in doc.flat


@pytest.mark.parametrize("case", list(CASES))
def test_the_headline_figures_and_the_ranking_are_the_panel_models(request_context, produced, case):
    doc = produced[case]
    overview = registry.build(doc.ctx, "overview")
    for stat in overview.stats:
        if stat.code == "risk_high":
            continue
        assert flat(stat.label) + flat(stat.text) in doc.flat, stat
    ranking = registry.build(doc.ctx, "ranking")
    previous = compare(doc.ctx).previous
    changes = rank_changes(ranking.rows, registry.build(previous, "ranking").rows)
    for row in ranking.rows:
        if row["rank"] is None:
            continue
        expected = flat(f"{row['rank']}{row['name']}{row['value_text']}"
                        f"{row['completion_text']}")
        assert re.search(re.escape(expected) + r".{0,8}?" + re.escape(row["light_word"])
                         + r"[^\d]{0,3}" + re.escape(changes[row["adcode"]]), doc.flat), row


def test_the_tasks_problems_and_directives_are_the_panel_models(request_context, produced):
    doc = produced["province"]
    from briefing.document import build_model

    model = build_model(doc.ctx, "tasks")
    overdue = [r for r in model.rows if r["status"] == "overdue"]
    assert overdue
    for row in model.rows:
        assert flat(f"{row['code']}{row['name']}") in doc.flat
    red = registry.build(doc.ctx, "red_problems")
    assert f"逾期未销号问题（{len(red.rows)}个）" in doc.flat
    for row in red.rows[:20]:
        assert flat(row["name"] + row["list"]) in doc.flat
    directives = build_model(doc.ctx, "directives")
    late = [r for r in directives.rows if r["answered"] == "overdue"]  # 超期未办
    assert f"超期未办{len(late)}件" in doc.flat


def test_the_summary_says_what_is_red_overdue_and_past_its_deadline(request_context, produced):
    doc = produced["province"]
    indicators = registry.build(doc.ctx, "indicators")
    red = [r["name"] for r in indicators.rows if r["light"] == "red"]
    summary = flat(doc.pages[1])
    lights = {s.code: s.text for s in indicators.stats}
    assert f"红灯{lights['red']}项" in summary
    assert all(flat(name) in summary for name in red[:3])
    assert "逾期" in summary and "逾期未销号" in summary


def test_every_font_is_embedded(produced):
    for case, doc in produced.items():
        reader = PdfReader(io.BytesIO(doc.made.data))
        seen = set()
        for page in reader.pages:
            fonts = page["/Resources"].get("/Font", {})
            for font in fonts.values():
                font = font.get_object()
                descendants = font.get("/DescendantFonts")
                described = descendants[0].get_object() if descendants else font
                descriptor = described["/FontDescriptor"].get_object()
                assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), (
                    case, font["/BaseFont"])
                seen.add(str(font["/BaseFont"]))
        assert any("Noto-Sans-SC" in name for name in seen), seen


def test_a_long_table_repeats_its_header_on_the_next_page(produced):
    doc = produced["province"]
    header = "问题清单地区责任单位整改时限逾期阶段"
    pages = [i for i, page in enumerate(doc.pages) if header in flat(page)]
    assert len(pages) >= 2, pages
    assert pages == list(range(pages[0], pages[0] + len(pages)))  # consecutive pages


def test_a_briefing_shows_only_what_its_user_may_see(request_context, produced):
    county = produced["county"]
    # Xihu's user sees only Xihu: no other region is named or compared.
    assert county.ctx.scope == Scope(regions=("330106",), departments=None)
    assert "宁波市" not in county.text and "上城区" not in county.text
    with pytest.raises(Exception, match="无权限|未找到"):
        make_context(scope=county.ctx.scope, adcode="330100")


def test_the_map_shows_an_indicator_counted_by_the_regions_it_compares(request_context,
                                                                       produced):
    for case, doc in produced.items():
        ranking = registry.build(doc.ctx, "ranking")
        assert any(r["rank"] for r in ranking.rows), case  # not a grey map of 不适用


def test_a_window_without_an_event_says_so_and_one_with_an_event_shows_its_map(cockpit):
    require(environment.chromium() is not None, "Chromium is needed to draw the maps")
    with cockpit.server.app_context():
        made = jobs.make_pdf(BriefingRequest(adcode="330200", window=Window.parse("2021-07"),
                                             sections=("summary", "risk")),
                             scope=EVERYTHING, viewer=Viewer("测试", "测试单位"))
    text = flat("".join(p.extract_text() for p in PdfReader(io.BytesIO(made.data)).pages))
    assert "烟花" in text and "本期自然灾害过程" in text and "风险县" in text
    reader = PdfReader(io.BytesIO(made.data))
    assert any("/XObject" in page["/Resources"] for page in reader.pages)  # the map


def test_the_board_and_the_hot_appeals_are_the_panel_models(request_context, produced):
    doc = produced["province"]
    from briefing.document import build_model

    board = build_model(doc.ctx, "race")
    assert "赛马榜·红黄黑榜" in doc.flat and len(board.rows) == 11
    for row in board.rows:
        assert flat(f"{row['rank']}{row['name']}{row['score_text']}{row['change']}") in doc.flat
    hot = build_model(doc.ctx, "appeals")
    assert "民呼我为·热度榜" in doc.flat
    for row in hot.rows:
        assert flat(f"{row['rank']}{row['name']}{row['received']}") in doc.flat
