"""Meeting mode without a browser: the deck in the order of a monthly meeting, a slide per
address, and every slide drawn."""

from __future__ import annotations

import pytest

from data.scope import EVERYTHING
from panels import registry
from panels.addresses import BadAddress, meeting_href
from panels.context import make_context
from panels.meeting import ROWS_PER_SLIDE, deck_keys, slide_number, slides
from tests.layout_tools import classes, find, text_of


def models_of(adcode: str = "330000") -> dict:
    with registry.built_once():
        return registry.build_all(make_context(scope=EVERYTHING, adcode=adcode),
                                  surface=registry.MEETING)


def test_the_deck_follows_a_monthly_meeting(request_context):
    models = models_of()
    deck = slides(models)
    keys = list(dict.fromkeys(s.key for s in deck))
    assert keys[:6] == ["overview", "indicators", "red_lights", "tasks", "problems", "risk"]
    assert keys == [k for k in deck_keys() if k in models]
    systems = [s for s in deck if s.key == "indicators"]
    assert [s.group for s in systems] == [g.code for g in models["indicators"].groups]
    assert all(s.title.endswith("指标亮灯") for s in systems)
    red = [s for s in deck if s.key == "red_lights"]
    rows = len(models["red_lights"].rows)
    assert len(red) == max(1, -(-rows // ROWS_PER_SLIDE))
    assert red[0].rows == (0, ROWS_PER_SLIDE)


def test_a_panel_with_nothing_to_show_has_no_slide(request_context):
    models = {k: m for k, m in models_of().items() if k != "risk"}
    assert "risk" not in {s.key for s in slides(models)}


@pytest.mark.parametrize("raw", ["0", "99", "abc", "2.5", ["1", "2"]])
def test_a_slide_that_does_not_exist_is_refused_in_words(raw):
    with pytest.raises(BadAddress, match="本次会议共 14 页"):
        slide_number(raw, 14)
    assert slide_number(None, 14) == 1 and slide_number("14", 14) == 14


def test_each_slide_has_its_own_address():
    assert meeting_href("330000") == "/meeting"
    assert meeting_href("330000", slide=3) == "/meeting?slide=3"
    assert meeting_href("330100", slide=2, settings={"period": "2026-09"}) == \
        "/meeting/330100?period=2026-09&slide=2"


def test_every_slide_is_drawn_with_its_title_and_the_pages(request_context):
    from pages.meeting import layout

    deck = slides(models_of("330100"))
    for number, slide in enumerate(deck, start=1):
        page = layout(adcode="330100", slide=str(number))
        assert "meeting-canvas" in classes(page.children), number
        assert slide.title in text_of(page), (number, slide.title)
        steps = find(page, lambda c: "ms-step" in classes(c).split())
        assert len(steps) == len(deck)
        assert [s for s in steps if "is-current" in classes(s)][0].href == \
            meeting_href("330100", slide=number)
    wrong = layout(adcode="330100", slide=str(len(deck) + 1))
    assert "message-page" in classes(wrong) and "本次会议共" in text_of(wrong)


def test_the_risk_slide_shows_each_level_as_its_five_colour_chip(request_context):
    """The counties at high risk, each with its level as the desk shows it: a chip in the
    level's colour (the one function the desk and the screen use), its word on it."""
    from components.badges import level_chip
    from components.surfaces.meeting import render

    models = models_of()
    risk = models["risk"]
    assert risk.rows, "the demo's event has counties at red or orange"
    slide = next(s for s in slides(models) if s.key == "risk")
    drawn = render(slide, risk)
    table = find(drawn, lambda c: type(c).__name__ == "Table")[0]
    table_chips = find(table, lambda c: "level-chip" in classes(c).split())
    listed = risk.rows[:len(table_chips)]
    assert len(table_chips) == min(8, len(risk.rows))
    for chip, row in zip(table_chips, listed, strict=True):
        expected = level_chip(row["level_word"], row["colour"])
        assert chip.style == expected.style and text_of(chip) == row["level_word"]
    assert {c.style["backgroundColor"] for c in table_chips} <= {s.colour for s in risk.stats}
