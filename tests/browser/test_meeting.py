"""Meeting mode in a real browser: the keyboard turns the slides, each slide is an address and
Back returns. (Every slide is drawn as a function in tests/unit/test_meeting.py.)"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

#: Every slide is built by the server from the panels: on a busy machine that takes a while.
LOAD = 45_000


def slide_of(page: Page) -> int:
    return int(page.locator(".screen-stage.is-meeting").get_attribute("data-slide"))


def at_slide(page: Page, number: int) -> None:
    expect(page.locator(".screen-stage.is-meeting")).to_have_attribute(
        "data-slide", str(number), timeout=LOAD)


def test_the_keys_turn_the_slides_and_back_returns(page: Page, artifacts_dir: Path):
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto("/meeting")
    at_slide(page, 1)
    count = page.locator(".ms-step").count()
    assert count >= 10
    expect(page.locator(".ms-title")).to_have_text("总览")
    titles = []
    for number in range(1, 4):
        if number > 1:
            page.keyboard.press("ArrowRight")
            at_slide(page, number)
            expect(page).to_have_url(re.compile(rf"/meeting\?slide={number}$"))
        expect(page.locator(".ms-step.is-current")).to_have_text(str(number))
        titles.append(page.locator(".ms-title").inner_text())
        page.wait_for_timeout(300)  # the figures drawn
        page.screenshot(path=artifacts_dir / f"meeting-{number:02d}.png")
    assert len(set(titles)) == 3, titles  # every slide is another one
    assert titles[1].endswith("指标亮灯") and titles[2].endswith("指标亮灯")
    page.go_back()
    at_slide(page, 2)
    expect(page).to_have_url(re.compile(r"/meeting\?slide=2$"))
    page.keyboard.press("Home")
    at_slide(page, 1)
    expect(page).to_have_url(re.compile(r"/meeting$"))
    page.keyboard.press("End")
    at_slide(page, count)
    page.screenshot(path=artifacts_dir / f"meeting-{count:02d}.png")
    page.keyboard.press("ArrowRight")  # past the last: stays
    page.wait_for_timeout(500)
    assert slide_of(page) == count
    page.keyboard.press("3")
    at_slide(page, 3)
    expect(page.locator(".ms-title")).to_have_text(titles[2])
    page.keyboard.press("ArrowLeft")
    at_slide(page, 2)
    page.go_back()
    at_slide(page, 3)
