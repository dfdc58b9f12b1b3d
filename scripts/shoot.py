"""Screenshots of pages in headless Chromium (Debian's), for looking at what users see.

    python scripts/shoot.py http://127.0.0.1:8050/ out.png [--width 1600] [--height 1000]
"""

from __future__ import annotations

import argparse
import sys
import time

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("out")
    parser.add_argument("--width", type=int, default=1600)
    parser.add_argument("--height", type=int, default=1000)
    parser.add_argument("--full", action="store_true", help="the whole page, not the viewport")
    args = parser.parse_args()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": args.width, "height": args.height})
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("request", lambda r: errors.append("outside request: " + r.url)
                if not r.url.startswith(("http://127.0.0.1", "http://localhost", "data:"))
                else None)
        start = time.perf_counter()
        page.goto(args.url)
        page.wait_for_selector(".region-page, .message-page, .risk-page", timeout=30000)
        page.wait_for_timeout(1200)
        print(f"ready in {time.perf_counter() - start:.2f} s")
        page.screenshot(path=args.out, full_page=args.full)
        for e in errors:
            print("ERROR:", e)
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
