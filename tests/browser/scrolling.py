"""A reader going down a page: a chart further than a screen below is drawn only when the reader
comes near it (assets/02-plotly-draws.js)."""

from __future__ import annotations

from playwright.sync_api import Page

#: Scrolls one screen at a time to the bottom (waiting for what each screen brings), then back.
SCROLL_THROUGH = """async () => {
  const pause = () => new Promise(done => setTimeout(done, 150));
  for (let y = 0; y < document.documentElement.scrollHeight; y += window.innerHeight) {
    window.scrollTo(0, y);
    await pause();
  }
  window.scrollTo(0, document.documentElement.scrollHeight);
  await pause();
  window.scrollTo(0, 0);
}"""


def scroll_through(page: Page) -> None:
    """Every part of the page has come near the screen once (so every chart is drawn)."""
    page.evaluate(SCROLL_THROUGH)
