"""The seven problem lists in the store, on SQLite and PostgreSQL: the light rule, the stage
machine (legal and illegal moves, and the history they leave), the rates, the region
roll-up, the common-problem ranking, scope, and the demo data."""

from __future__ import annotations

import contextlib
from datetime import date, datetime, timedelta

import pandas as pd
import pytest
from sqlalchemy import func, select

from data import clock
from data import problems_queries as pq
from data import problems_rules as rules
from data.problems_demo import REFERENCE_DATE, demo_problems, seed_problems
from data.problems_queries import MoveRefused, ProblemFilter
from data.problems_schema import Problem, ProblemMove
from data.scope import EVERYTHING, Scope
from data.store import data_version, engine, write_transaction

TODAY = date(2026, 11, 22)
NOW = datetime(2026, 11, 22, 10, 30)
XIHU, BINJIANG, HAISHU, DINGHAI = "330106", "330108", "330203", "330902"


def add_problem(code: str, *, region: str = XIHU, list_code: str = "ECOLOGY",
                category: str = "工业废水超标排放", stage: str = "found",
                found_on: date = date(2026, 9, 1), deadline: date = date(2026, 12, 31),
                closed_on: date | None = None, department: str = "ECO_ENV") -> int:
    dates = {c: None for c in rules.STAGE_DATE_COLUMNS.values() if c != "found_on"}
    for s in rules.STAGES[1:rules.stage_index(stage) + 1]:
        dates[rules.STAGE_DATE_COLUMNS[s]] = found_on + timedelta(days=rules.stage_index(s))
    if closed_on is not None:
        dates["closed_on"] = closed_on
    with write_transaction() as conn:
        return conn.execute(Problem.__table__.insert().values(
            code=code, list_code=list_code, title=f"测试问题 {code}", description=None,
            region_adcode=region, department_code=department, category=category,
            severity="general", stage=stage, found_on=found_on, deadline=deadline,
            source="test", **dates)).inserted_primary_key[0]


@pytest.fixture
def store(fresh):
    with write_transaction() as conn:
        pq.load_problem_lists(conn)
    return fresh


def moves_of(problem_id: int) -> int:
    with engine().connect() as conn:
        return conn.execute(select(func.count()).select_from(ProblemMove)
                            .where(ProblemMove.problem_id == problem_id)).scalar_one()


def stage_of(problem_id: int) -> str:
    with engine().connect() as conn:
        return conn.execute(select(Problem.stage).where(Problem.id == problem_id)).scalar_one()


# --- the light rule ---------------------------------------------------------------------------

def test_lights_follow_the_rule(store):
    ids = {
        "overdue": add_problem("T-1", stage="rectifying", deadline=TODAY - timedelta(days=1)),
        "due_today": add_problem("T-2", stage="rectifying", deadline=TODAY),
        "near_due": add_problem("T-3", stage="assigned", deadline=TODAY + timedelta(days=7)),
        "on_track": add_problem("T-4", stage="found", deadline=TODAY + timedelta(days=8)),
        "closed_on_time": add_problem("T-5", stage="closed", deadline=date(2026, 10, 31),
                                      closed_on=date(2026, 10, 31)),
        "closed_late": add_problem("T-6", stage="closed", deadline=date(2026, 10, 31),
                                   closed_on=date(2026, 11, 2)),
        "closed_late_long_ago": add_problem("T-7", stage="closed", found_on=date(2025, 1, 1),
                                            deadline=date(2025, 3, 1),
                                            closed_on=date(2025, 6, 1)),
    }
    frame = pq.all_problems(scope=EVERYTHING, today=TODAY).set_index("id")
    got = {name: (frame.at[i, "light"], frame.at[i, "light_reason"]) for name, i in ids.items()}
    assert got == {
        "overdue": ("red", "overdue"),
        "due_today": ("yellow", "near_due"),
        "near_due": ("yellow", "near_due"),
        "on_track": ("green", "on_track"),
        "closed_on_time": ("green", "closed_on_time"),
        "closed_late": ("yellow", "closed_late"),
        "closed_late_long_ago": ("yellow", "closed_late"),
    }
    assert frame.at[ids["overdue"], "days_left"] == -1
    # "Today" is an argument: a week later the near-due problem is overdue.
    later = pq.all_problems(scope=EVERYTHING, today=TODAY + timedelta(days=8)).set_index("id")
    assert later.at[ids["near_due"], "light"] == "red"
    assert later.at[ids["closed_on_time"], "light"] == "green"


def test_rates_of_a_set_of_problems(store):
    add_problem("R-1", stage="rectifying", deadline=TODAY - timedelta(days=5))  # overdue
    add_problem("R-2", stage="found", deadline=TODAY + timedelta(days=30))  # not yet due
    add_problem("R-3", stage="closed", found_on=date(2026, 9, 1), deadline=date(2026, 10, 31),
                closed_on=date(2026, 10, 1))  # on time, 30 days
    add_problem("R-4", stage="closed", found_on=date(2026, 9, 1), deadline=date(2026, 9, 30),
                closed_on=date(2026, 10, 21))  # late, 50 days
    rates = rules.closure_rates(pq.problems(scope=EVERYTHING, filters=ProblemFilter(),
                                            today=TODAY))
    assert rates["total"] == 4 and rates["closed"] == 2 and rates["open"] == 2
    assert rates["rectification_rate"] == pytest.approx(50.0)
    # Due: the two closed and the overdue one; on time: one of three.
    assert rates["due"] == 3
    assert rates["on_time_rate"] == pytest.approx(100 / 3)
    assert rates["average_days_to_close"] == pytest.approx(40.0)
    assert (rates["red"], rates["yellow"], rates["green"]) == (1, 1, 2)


# --- the stage machine --------------------------------------------------------------------

def test_a_problem_moves_through_the_closed_loop(store):
    pid = add_problem("M-1")
    fresh_one = pq.problem(scope=EVERYTHING, problem_id=pid, today=TODAY)
    assert fresh_one["assigned_on"] is None and fresh_one["closed_on"] is None  # never NaT
    seen = []
    for step, target in enumerate(rules.STAGES[1:], start=1):
        before = data_version()
        note = "现场核查，整改到位" if target == "closed" else ""
        said = pq.move_problem(scope=EVERYTHING, problem_id=pid, to_stage=target,
                               mover="王伟", note=note,
                               today=TODAY + timedelta(days=step), now=NOW,
                               expected_stage=rules.STAGES[step - 1])
        assert rules.STAGE_NAMES[target] in said
        assert data_version() == before + 1
        # Read on the day of the move (a stage reached later is not yet reached today).
        found = pq.problem(scope=EVERYTHING, problem_id=pid, today=TODAY + timedelta(days=step))
        seen.append(found["stage"])
        assert found[rules.STAGE_DATE_COLUMNS[target]] == TODAY + timedelta(days=step)
    assert seen == list(rules.STAGES[1:])
    history = pq.problem_history(scope=EVERYTHING, problem_id=pid)
    assert list(zip(history["from_stage"], history["to_stage"], strict=True)) == list(
        zip(rules.STAGES[:-1], rules.STAGES[1:], strict=True))
    assert set(history["moved_by"]) == {"王伟"}
    assert history["note"].iloc[-1] == "现场核查，整改到位"
    assert history["note"].iloc[0] is None or pd.isna(history["note"].iloc[0])


@pytest.mark.parametrize(("stage", "target", "mover", "note", "message"), [
    ("assigned", "found", "李娜", "", "不能退回"),
    ("found", "rectifying", "李娜", "", "不能跳过阶段"),
    ("assigned", "closed", "李娜", "同意销号", "不能跳过阶段"),
    ("awaiting", "closed", "李娜", "  ", "销号须填写验收意见"),
    ("found", "assigned", "  ", "", "请填写办理人姓名"),
    ("rectifying", "rectifying", "李娜", "", "已处于“整改中”"),
    ("closed", "closed", "李娜", "再次销号", "已销号"),
    ("found", "somewhere", "李娜", "", "未知的阶段"),
])
def test_illegal_moves_are_refused_and_change_nothing(store, stage, target, mover, note,
                                                      message):
    closed_on = date(2026, 10, 1) if stage == "closed" else None
    pid = add_problem("I-1", stage=stage, closed_on=closed_on)
    before = data_version()
    with pytest.raises(MoveRefused, match=message):
        pq.move_problem(scope=EVERYTHING, problem_id=pid, to_stage=target, mover=mover,
                        note=note, today=TODAY, now=NOW)
    assert stage_of(pid) == stage
    assert moves_of(pid) == 0
    assert data_version() == before


def test_a_move_on_a_stale_page_is_refused(store):
    pid = add_problem("S-1", stage="assigned")
    pq.move_problem(scope=EVERYTHING, problem_id=pid, to_stage="rectifying", mover="甲",
                    note="", today=TODAY, now=NOW, expected_stage="assigned")
    with pytest.raises(MoveRefused, match="已被他人变更为“整改中”"):
        pq.move_problem(scope=EVERYTHING, problem_id=pid, to_stage="rectifying", mover="乙",
                        note="", today=TODAY, now=NOW, expected_stage="assigned")
    assert moves_of(pid) == 1


def test_of_two_moves_at_the_same_moment_one_wins(store):
    """Both movers read the problem before either writes (held at a barrier after the read):
    one move is stored, the other is refused with a message; one history row, no stage skipped
    or undone — on SQLite (no row locks) as on PostgreSQL."""
    import threading

    from sqlalchemy import event

    pid = add_problem("RACE-1", stage="assigned")
    barrier = threading.Barrier(2, timeout=3)
    racers = set()

    def hold_after_read(_conn, _cursor, statement, *_args):
        if threading.get_ident() in racers and statement.lstrip().upper().startswith("SELECT") \
                and "problems.stage" in statement:
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait()  # PostgreSQL's row lock keeps the second one from getting here

    outcomes: list[str] = []

    def mover(target: str, name: str) -> None:
        racers.add(threading.get_ident())
        with store.app_context():
            try:
                pq.move_problem(scope=EVERYTHING, problem_id=pid, to_stage=target, mover=name,
                                note="整改", today=TODAY, now=NOW, expected_stage="assigned")
                outcomes.append("moved")
            except MoveRefused as refused:
                outcomes.append(str(refused))

    event.listen(engine(), "after_cursor_execute", hold_after_read)
    try:
        threads = [threading.Thread(target=mover, args=("rectifying", n)) for n in "甲乙"]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
    finally:
        event.remove(engine(), "after_cursor_execute", hold_after_read)
    assert sorted(outcomes)[0] == "moved" and outcomes.count("moved") == 1, outcomes
    assert any("他人" in o for o in outcomes)
    assert moves_of(pid) == 1
    assert stage_of(pid) == "rectifying"


def test_scope_hides_problems_and_refuses_their_moves(store):
    hangzhou = add_problem("SC-1", region=XIHU)
    ningbo = add_problem("SC-2", region=HAISHU)
    city_user = Scope(regions=("330100",))
    visible = pq.all_problems(scope=city_user, today=TODAY)
    assert list(visible["id"]) == [hangzhou]
    assert pq.problem(scope=city_user, problem_id=ningbo, today=TODAY) is None
    with pytest.raises(MoveRefused, match="无权办理"):
        pq.move_problem(scope=city_user, problem_id=ningbo, to_stage="assigned", mover="甲",
                        note="", today=TODAY, now=NOW)
    assert stage_of(ningbo) == "found"
    department_user = Scope(departments=("AUDIT",))
    assert pq.all_problems(scope=department_user, today=TODAY).empty


# --- filters, region roll-up, common problems ---------------------------------------------------

def test_filters_select_a_region_subtree_a_list_a_light_and_a_period(store):
    add_problem("F-1", region=XIHU, found_on=date(2026, 3, 5))
    add_problem("F-2", region=BINJIANG, list_code="SAFETY", category="消防安全隐患",
                department="EMERGENCY", found_on=date(2026, 8, 5))
    add_problem("F-3", region=HAISHU, stage="rectifying", deadline=TODAY - timedelta(days=3))

    def codes(**kw) -> set[str]:
        found = pq.problems(scope=EVERYTHING, filters=ProblemFilter(**kw), today=TODAY)
        return set(found["code"])

    assert codes() == {"F-1", "F-2", "F-3"}
    assert codes(region="330100") == {"F-1", "F-2"}
    assert codes(region=BINJIANG) == {"F-2"}
    assert codes(list_code="SAFETY") == {"F-2"}
    assert codes(department="ECO_ENV", region="330100") == {"F-1"}
    assert codes(light="red") == {"F-3"}
    assert codes(stage="rectifying") == {"F-3"}
    assert codes(found_from="2026-04", found_to="2026-08") == {"F-2"}
    assert codes(category="工业废水超标排放", found_to="2026-03") == {"F-1"}


def test_region_breakdown_counts_by_light_and_per_10k(store):
    add_problem("B-1", region=XIHU, stage="rectifying", deadline=TODAY - timedelta(days=2))
    add_problem("B-2", region=BINJIANG)
    add_problem("B-3", region=BINJIANG, stage="closed", deadline=date(2026, 10, 1),
                closed_on=date(2026, 9, 20))
    add_problem("B-4", region=HAISHU)
    cities = pq.region_breakdown(scope=EVERYTHING, filters=ProblemFilter(), today=TODAY)
    assert len(cities) == 11
    hz = cities.set_index("adcode").loc["330100"]
    assert (hz["total"], hz["open"], hz["closed"], hz["red"], hz["green"]) == (3, 2, 1, 1, 2)
    assert hz["open_per_10k"] == pytest.approx(2 / hz["population"] * 10000)
    counties = pq.region_breakdown(scope=EVERYTHING, filters=ProblemFilter(region="330100"),
                                   today=TODAY).set_index("adcode")
    assert counties.loc[BINJIANG, "total"] == 2 and counties.loc[XIHU, "red"] == 1
    assert not counties["is_current"].any()
    # A county is shown among the counties of its city, marked as the current one.
    own = pq.region_breakdown(scope=EVERYTHING, filters=ProblemFilter(region=XIHU),
                              today=TODAY).set_index("adcode")
    assert len(own) == len(counties) and bool(own.loc[XIHU, "is_current"])


def test_common_problems_are_ranked_by_the_number_of_regions(store):
    for i, region in enumerate((XIHU, BINJIANG, HAISHU)):  # one category in 3 counties
        add_problem(f"C-{i}", region=region, category="固体废物违规处置")
    for i in range(5):  # another, five times, in one county
        add_problem(f"D-{i}", region=DINGHAI, category="大气污染防治不力")
    add_problem("E-1", region=DINGHAI, category="固体废物违规处置")
    ranking = pq.common_problems(scope=EVERYTHING, filters=ProblemFilter(), today=TODAY)
    assert list(ranking["category"]) == ["固体废物违规处置", "大气污染防治不力"]
    top = ranking.iloc[0]
    assert (top["open_regions"], top["regions"], top["cities"], top["problems"]) == (4, 4, 3, 4)
    assert top["region_share"] == pytest.approx(4 / 90 * 100)
    # "At once": a category whose problems are closed in most places ranks below one that
    # is open in more places now.
    for i, region in enumerate(("330102", "330105", "330109", "330110", "330111")):
        add_problem(f"G-{i}", region=region, category="河湖“四乱”问题", department="WATER",
                    stage="closed", closed_on=date(2026, 9, 30))
    ranking = pq.common_problems(scope=EVERYTHING, filters=ProblemFilter(), today=TODAY)
    assert list(ranking["category"])[:3] == ["固体废物违规处置", "大气污染防治不力",
                                             "河湖“四乱”问题"]
    assert ranking.iloc[2]["regions"] == 5 and ranking.iloc[2]["open_regions"] == 0
    in_hangzhou = pq.common_problems(scope=EVERYTHING, filters=ProblemFilter(region="330100"),
                                     today=TODAY)
    assert in_hangzhou.iloc[0]["regions"] == 2
    assert in_hangzhou.iloc[0]["region_share"] == pytest.approx(2 / 13 * 100)


def test_the_panel_counts_by_list_and_light(store):
    add_problem("P-1", region=XIHU, stage="rectifying", deadline=TODAY - timedelta(days=2))
    add_problem("P-2", region=HAISHU, list_code="SAFETY", category="消防安全隐患",
                department="EMERGENCY")
    counts = pq.list_light_counts(scope=EVERYTHING, adcode="330100", today=TODAY)
    assert list(counts["list_name"]) == ["巡视", "审计", "督查", "生态环保", "安全生产和自然灾害",
                                         "网络舆情", "群众信访"]
    eco = counts.set_index("list_code").loc["ECOLOGY"]
    assert (eco["total"], eco["red"]) == (1, 1)
    assert counts["total"].sum() == 1


# --- demo data ---------------------------------------------------------------------------

def test_seeding_problems_is_idempotent(store):
    with write_transaction() as conn:
        first = seed_problems(conn)
    with write_transaction() as conn:
        second = seed_problems(conn)
    assert first.startswith("已写入演示问题") and "未改动" in second


def test_the_demo_is_plausible(seeded):
    today = clock.today(scope=EVERYTHING)
    assert today == REFERENCE_DATE == date(2026, 11, 22)
    frame = pq.all_problems(scope=EVERYTHING, today=today)
    assert 2500 <= len(frame) <= 5000
    assert frame["region_adcode"].nunique() == 90
    assert frame["list_code"].nunique() == 7
    assert frame["found_on"].min() >= date(2024, 1, 1)
    assert frame["found_on"].max() < today
    rates = rules.closure_rates(frame)
    assert rates["red"] >= 30 and rates["open"] >= 100
    assert 60 <= rates["on_time_rate"] <= 90
    # Typhoon season: coastal counties find most of their safety problems in July–September.
    safety = frame[frame["list_code"] == "SAFETY"]
    coastal = safety["city_adcode"].isin(["330200", "330300", "330900", "331000"])
    summer = safety["found_on"].map(lambda d: d.month in (7, 8, 9))
    assert summer[coastal].mean() > 0.4 > summer[~coastal].mean()


def test_demo_histories_follow_the_stage_machine():
    problems, moves = demo_problems()
    by_problem = moves.groupby("problem_code")
    for row in problems.sample(300, random_state=1).itertuples(index=False):
        history = by_problem.get_group(row.code)
        steps = list(history["to_stage"])
        assert steps == list(rules.STAGES[:rules.stage_index(row.stage) + 1])
        assert list(history["from_stage"].iloc[1:]) == steps[:-1]
        assert history["moved_at"].is_monotonic_increasing
        for stage, at in zip(steps, history["moved_at"], strict=True):
            assert getattr(row, rules.STAGE_DATE_COLUMNS[stage]) == at.date()
        if row.stage == "closed":
            assert history["note"].iloc[-1]


@pytest.mark.parametrize("scope", [EVERYTHING, Scope(regions=("330100",)),
                                   Scope(regions=(XIHU,)), Scope(departments=("EMERGENCY",))],
                         ids=repr)
def test_a_regions_problems_read_alone_are_those_of_the_whole_read(seeded, scope):
    """The cockpit's problems panel reads only the region's subtree (a city reads its own
    problems): the same problems, stages and lights as filtering every problem the viewer
    may see by the region — for the province, a city, a county and a region beside the
    scope's."""
    today = clock.today(scope=EVERYTHING)
    for adcode in ("330000", "330100", XIHU, HAISHU):
        whole = pq.apply_filter(pq.all_problems(scope=scope, today=today),
                                ProblemFilter(region=adcode))
        alone = pq.region_problems(scope=scope, adcode=adcode, today=today)
        pd.testing.assert_frame_equal(alone, whole)
        if adcode == "330100" and scope.regions is None:
            assert 0 < len(alone) < len(pq.all_problems(scope=scope, today=today))
