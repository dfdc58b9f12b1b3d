"""The Chinese font: the machine's own first, the served Noto Sans SC slices only where the
machine has none (this test machine has none; a second Chromium is given one through
fontconfig, as an office machine with a Chinese font installed). Where none is present, a page
of the app's own text fetches the app's three slices (assets/00-fonts.css) and no other."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, Playwright, expect

from briefing.environment import font_file, fontconfig_file

pytestmark = pytest.mark.browser

PAGES = ("/tasks", "/")
SLICES = "/assets/fonts/"
APP_SLICE = "cockpit-sc-app-400.woff2"


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


def test_without_a_chinese_font_the_apps_own_slices_draw_the_page(page: Page, base_url: str):
    fetched = visit(page, base_url)
    names = {url.rsplit("/", 1)[-1] for url in fetched}
    assert names == {APP_SLICE, "cockpit-sc-app-latin-400.woff2"} or names == {
        APP_SLICE, "cockpit-sc-app-latin-400.woff2", "cockpit-sc-app-symbols-400.woff2"}, names
    assert served_font_in_use(page)
    # Nothing preloaded: the slices are fetched when text needs them.
    assert page.locator("link[rel=preload]").count() == 0
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
    # Only characters the installed font lacks (a symbol or two) reach the served slices: never
    # the big slice of the app's Chinese text.
    assert any(url.endswith(APP_SLICE) for url in plain)
    assert not any(url.endswith(APP_SLICE) for url in installed), installed
    assert len(set(installed)) <= 1, sorted(set(installed))
