"""Imports of the incentive layer — appeals by category and by channel (民呼我为), the
applications ledger and its adoptions (一本账), the board's weights (赛马榜) — on SQLite and
PostgreSQL: accepted and again unchanged, refused with the reason (the store unchanged),
withdrawn, and shown by the pages' own queries at once."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from data import appeals_queries as aq
from data import apps_queries as apq
from data import ranking_queries as rkq
from data.appeals_schema import AppealChannelWeek, AppealWeek
from data.apps_schema import App
from data.imports.batches import WithdrawRefused, withdraw
from data.imports.run import run_import
from data.ranking_schema import RankingWeight
from data.scope import EVERYTHING, Scope
from data.seeding import seed_all
from data.store import engine, write_transaction
from tests.data.conftest import BACKENDS, migrated_app
from tests.data.test_imports import snapshot
from tests.data.test_imports_topics import write

APPEAL_HEADER = ["地区", "周", "诉求类别", "受理数", "办结数", "按时答复数", "评价数", "满意数"]
APPEALS = [
    ["西湖区", "2026-11-18", "欠薪讨薪", "40", "36", "30", "20", "18"],  # a Wednesday
    ["330106", "2026-11-16", "LAND", "12", "12", "12", "6", "5"],
    ["余杭区", "2026-11-09", "住房保障和物业", "7", "5", "5", "0", "0"],
]
CHANNEL_HEADER = ["地区", "周", "渠道", "受理数"]
APP_HEADER = ["应用编码", "应用名称", "所属系统", "牵头单位", "层级", "所属地区", "上线日期",
              "用户数", "活跃率", "实活率", "满意率"]
APP = ["XH01", "西湖智治", "基层治理系统", "省大数据发展管理局", "设区市特色", "杭州市",
       "2025-03-01", "120000", "42.5%", "20", "96"]
ADOPTION_HEADER = ["应用编码", "地区", "上线日期"]
WEIGHT_HEADER = ["指标编码", "权重"]


def do(tmp_path, kind: str, header: list[str], rows: list[list], *, scope: Scope = EVERYTHING):
    path = write(tmp_path, f"{kind}.csv", header, rows)
    return run_import(path, kind=kind, channel="cli", actor="测试员", filename=path.name,
                      scope=scope)


def refused(outcome, column: str, words: str) -> bool:
    return not outcome.accepted and any(
        i.column == column and words in i.reason for i in outcome.issues)


def test_appeals_by_category_are_counted_by_their_week_and_shown(store, tmp_path):
    first = do(tmp_path, "appeals", APPEAL_HEADER, APPEALS)
    assert first.accepted and first.inserted == 3, first.issues
    assert do(tmp_path, "appeals", APPEAL_HEADER, APPEALS).unchanged == 3
    with engine().connect() as conn:
        weeks = set(conn.execute(select(AppealWeek.week_start)).scalars())
        sources = set(conn.execute(select(AppealWeek.source)).scalars())
    assert weeks == {date(2026, 11, 16), date(2026, 11, 9)}  # any day: its week's Monday
    assert sources == {"import"}
    counts = aq.weekly(scope=EVERYTHING, region="330100", category=None,
                       start=date(2026, 11, 9), end=date(2026, 11, 16), by_county=True)
    by_county = counts.groupby("unit")["received"].sum().to_dict()
    assert by_county == {"330106": 52, "330110": 7}

    changed = [list(APPEALS[0])]
    changed[0][3] = "41"
    second = do(tmp_path, "appeals", APPEAL_HEADER, changed)
    assert (second.updated, second.unchanged) == (1, 0)
    withdraw(second.batch_id, actor="测试员", scope=EVERYTHING)
    with engine().connect() as conn:
        assert conn.execute(select(func.sum(AppealWeek.received))).scalar_one() == 59


@pytest.mark.parametrize(("change", "column", "words"), [
    ({0: "杭州市"}, "地区", "请填县级地区"),
    ({2: "闲聊"}, "诉求类别", "没有这个诉求类别"),
    ({1: "2099-01-05"}, "周", "晚于今天"),
    ({4: "50"}, "办结数", "不能大于受理数"),
    ({7: "25"}, "满意数", "不能大于评价数"),
    ({3: "-1"}, "受理数", "不能为负数"),
    ({3: "1.5"}, "受理数", "应为整数"),
])
def test_a_bad_appeal_row_is_refused_and_nothing_changes(store, tmp_path, change, column,
                                                         words):
    row = list(APPEALS[0])
    for position, value in change.items():
        row[position] = value
    before = snapshot()
    outcome = do(tmp_path, "appeals", APPEAL_HEADER, [row])
    assert refused(outcome, column, words), outcome.issues
    assert snapshot() == before


def test_appeals_by_channel(store, tmp_path):
    rows = [["西湖区", "2026-11-16", "12345政务服务热线", "30"],
            ["西湖区", "2026-11-16", "ZLB", "22"]]
    outcome = do(tmp_path, "appeal-channels", CHANNEL_HEADER, rows)
    assert outcome.accepted and outcome.inserted == 2, outcome.issues
    shown = aq.channel_weekly(scope=EVERYTHING, region="330100", start=date(2026, 11, 16),
                              end=date(2026, 11, 16))
    assert int(shown["received"].sum()) == 52
    assert refused(do(tmp_path, "appeal-channels", CHANNEL_HEADER,
                      [["西湖区", "2026-11-16", "飞鸽传书", "3"]]), "渠道", "没有这个渠道")
    duplicate = do(tmp_path, "appeal-channels", CHANNEL_HEADER,
                   [["西湖区", "2026-11-16", "ZLB", "1"], ["西湖区", "2026-11-17", "浙里办", "2"]])
    assert not duplicate.accepted and "重复" in duplicate.message


def test_an_application_and_its_adoptions_in_the_ledger(store, tmp_path):
    app = do(tmp_path, "apps", APP_HEADER, [APP])
    assert app.accepted and app.inserted == 1, app.issues
    assert do(tmp_path, "apps", APP_HEADER, [APP]).unchanged == 1
    adoptions = do(tmp_path, "app-adoptions", ADOPTION_HEADER, [
        ["XH01", "西湖区", "2025-03-15"], ["XH01", "余杭区", "2025-09-01"],
        ["XH01", "宁波市", "2026-01-10"]])
    assert adoptions.accepted and adoptions.inserted == 3, adoptions.issues
    ledger = apq.ledger(scope=EVERYTHING).set_index("code")
    assert ledger.loc["XH01", "counties"] == 2
    assert ledger.loc["XH01", "real_active_rate"] == 20.0
    assert ledger.loc["XH01", "home_name"] == "杭州市"
    # The application's batch cannot go while adoptions of a later batch refer to it.
    with pytest.raises(WithdrawRefused, match="推广记录"):
        withdraw(app.batch_id, actor="测试员", scope=EVERYTHING)
    withdraw(adoptions.batch_id, actor="测试员", scope=EVERYTHING)
    withdraw(app.batch_id, actor="测试员", scope=EVERYTHING)
    with engine().connect() as conn:
        assert conn.execute(select(func.count()).select_from(App)).scalar_one() == 0


@pytest.mark.parametrize(("kind", "row", "column", "words"), [
    ("apps", {9: "50"}, "实活率", "实活率不能大于活跃率"),
    ("apps", {4: "省级"}, "所属地区", "应为浙江省"),
    ("apps", {5: "浙江省"}, "所属地区", "应为设区市"),
    ("apps", {4: "县级"}, "层级", "层级应为"),
    ("apps", {8: "120"}, "活跃率", "0至100"),
    ("apps", {6: "2099-01-01"}, "上线日期", "不晚于今天"),
    ("app-adoptions", {0: "NOPE"}, "应用编码", "没有这个应用"),
    ("app-adoptions", {2: "2020-01-01"}, "上线日期", "早于该应用的上线日期"),
    ("app-adoptions", {1: "浙江省"}, "地区", "应为市或县"),
])
def test_a_bad_application_or_adoption_is_refused(store, tmp_path, kind, row, column, words):
    assert do(tmp_path, "apps", APP_HEADER, [APP]).accepted
    header, base = ((APP_HEADER, list(APP)) if kind == "apps" else
                    (ADOPTION_HEADER, ["XH01", "西湖区", "2025-03-15"]))
    if kind == "apps":
        base[0] = "XH02"
    for position, value in row.items():
        base[position] = value
    before = snapshot()
    outcome = do(tmp_path, kind, header, [base])
    assert refused(outcome, column, words), outcome.issues
    assert snapshot() == before


def test_board_weights_are_imported_by_a_province_wide_account_only(store, tmp_path):
    codes = list(rkq.weight_map(scope=EVERYTHING))[:2]
    outcome = do(tmp_path, "ranking-weights", WEIGHT_HEADER, [[codes[0], "7"],
                                                              [codes[1], "0"]])
    assert outcome.accepted, outcome.issues
    weights = rkq.weights(scope=EVERYTHING).set_index("code")
    assert weights.loc[codes[0], "weight"] == 7.0 and weights.loc[codes[1], "weight"] == 0.0
    assert weights.loc[codes[0], "updated_by"] == "测试员"

    city = Scope(regions=("330100",))
    assert refused(do(tmp_path, "ranking-weights", WEIGHT_HEADER, [[codes[0], "3"]],
                      scope=city), "权重", "无权限")
    assert refused(do(tmp_path, "ranking-weights", WEIGHT_HEADER, [[codes[0], "300"]]),
                   "权重", "0 到 100")
    every = [[code, "0"] for code in rkq.weight_map(scope=EVERYTHING)]
    before = snapshot()
    all_zero = do(tmp_path, "ranking-weights", WEIGHT_HEADER, every)
    assert not all_zero.accepted and "都为 0" in all_zero.message
    assert snapshot() == before
    withdraw(outcome.batch_id, actor="测试员", scope=EVERYTHING)
    with engine().connect() as conn:
        restored = conn.execute(select(RankingWeight.weight, RankingWeight.updated_by).where(
            RankingWeight.indicator_code == codes[0])).one()
    assert restored.updated_by == "参考数据"


@pytest.mark.parametrize("backend", BACKENDS)
def test_real_appeals_replace_only_the_appeals_demo(backend, request, tmp_path):
    app = migrated_app(backend, request, tmp_path)
    with app.app_context():
        with write_transaction() as conn:
            seed_all(conn)
        outcome = do(tmp_path, "appeals", APPEAL_HEADER, APPEALS)
        assert outcome.accepted and outcome.demo_cleared > 40_000
        with engine().connect() as conn:
            appeal_sources = set(conn.execute(select(AppealWeek.source).distinct()).scalars())
            channel_rows = conn.execute(select(func.count()).select_from(AppealChannelWeek)
                                        ).scalar_one()
            app_sources = set(conn.execute(select(App.source).distinct()).scalars())
        assert appeal_sources == {"import"} and channel_rows == 0 and app_sources == {"demo"}
        assert not aq.is_demo(scope=EVERYTHING)
        with write_transaction() as conn:
            said = seed_all(conn)
        assert any("民呼我为已有导入的真实数据" in s for s in said)
        engine().dispose()
