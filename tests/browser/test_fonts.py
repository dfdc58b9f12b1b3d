"""The Chinese font: the machine's own first, the served Noto Sans SC slices only where the
machine has none (this test machine has none; a second Chromium is given one through
fontconfig, as an office machine with a Chinese font installed)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, Playwright, expect

from briefing.environment import font_file, fontconfig_file

pytestmark = pytest.mark.browser

PAGES = ("/tasks", "/")
SLICES = "/assets/fonts/"


def visit(page: Page, base_url: str) -> list[str]:
    """The font slices fetched while the pages are shown."""
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url) if SLICES in r.url else None)
    for path in PAGES:
        page.goto(base_url + path)
        expect(page.locator("header.app-header")).to_contain_text("数字化改革驾驶舱")
        page.wait_for_load_state("networkidle")
    return fetched


def served_font_in_use(page: Page) -> bool:
    return page.evaluate("""() => Array.from(document.fonts).some(face =>
        face.family.replace(/["']/g, '') === 'Cockpit Noto Sans SC' && face.status === 'loaded')""")


def test_without_a_chinese_font_the_served_slices_draw_the_page(page: Page, base_url: str):
    fetched = visit(page, base_url)
    assert any("noto-sans-sc-" in url for url in fetched)
    assert served_font_in_use(page)
    # Digits keep tabular figures (columns of numbers line up).
    assert page.locator(".kpi-number").first.evaluate(
        "e => getComputedStyle(e).fontVariantNumeric") == "tabular-nums"


def test_a_machine_with_a_chinese_font_fetches_almost_no_slice(
        playwright: Playwright, browser_type_launch_args: dict, browser_context_args: dict,
        base_url: str, tmp_path: Path):
    if font_file() is None:
        pytest.skip("Noto Sans SC (pylopdf-fonts-zh-cn) is not installed")
    environment = {**os.environ, "FONTCONFIG_FILE": str(fontconfig_file(tmp_path))}
    without = playwright.chromium.launch(**browser_type_launch_args)
    with_font = playwright.chromium.launch(**browser_type_launch_args, env=environment)
    try:
        plain = visit(without.new_context(**browser_context_args).new_page(), base_url)
        installed = visit(with_font.new_context(**browser_context_args).new_page(), base_url)
    finally:
        without.close()
        with_font.close()
    # Only characters the installed font lacks (a symbol or two) reach the served slices.
    assert len(set(plain)) >= 10
    assert len(set(installed)) * 5 <= len(set(plain)), sorted(set(installed))
