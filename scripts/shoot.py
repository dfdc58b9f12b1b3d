"""Screenshots of pages in headless Chromium (Debian's), for looking at what users see.

    python scripts/shoot.py http://127.0.0.1:8050/ out.png [--width 1600] [--height 1000]
        [--user leader] [--password Demo-2026]

Pages need a session: the script signs in at /login first (as the demo ``leader`` unless
``--user`` says otherwise; ``--user ''`` shoots as nobody, i.e. the sign-in page).
"""

from __future__ import annotations

import argparse
import http.cookiejar
import re
import sys
import time
import urllib.parse
import urllib.request

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def session_state(base: str, username: str = "leader", password: str = "Demo-2026") -> dict:
    """A Playwright ``storage_state`` signed in as ``username`` (through the real form)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"{base}/login", timeout=10) as response:
        token = re.search(r'name="csrf_token" value="([^"]+)"', response.read().decode())
    data = urllib.parse.urlencode({"csrf_token": token.group(1), "username": username,
                                   "password": password}).encode()
    with opener.open(urllib.request.Request(f"{base}/login", data=data,
                                            headers={"Origin": base}), timeout=10):
        pass
    host = urllib.parse.urlsplit(base).hostname
    return {"cookies": [{"name": c.name, "value": c.value, "domain": host, "path": "/",
                         "expires": -1, "httpOnly": True, "secure": False, "sameSite": "Lax"}
                        for c in jar if c.name == "cockpit_session"], "origins": []}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("out")
    parser.add_argument("--width", type=int, default=1600)
    parser.add_argument("--height", type=int, default=1000)
    parser.add_argument("--full", action="store_true", help="the whole page, not the viewport")
    parser.add_argument("--user", default="leader", help="sign in as (empty: nobody)")
    parser.add_argument("--password", default="Demo-2026")
    args = parser.parse_args()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": args.width, "height": args.height})
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("request", lambda r: errors.append("outside request: " + r.url)
                if not r.url.startswith(("http://127.0.0.1", "http://localhost", "data:"))
                else None)
        if args.user:
            origin = "/".join(args.url.split("/")[:3])
            page.goto(f"{origin}/login")
            page.fill("#username", args.user)
            page.fill("#password", args.password)
            page.click("button[type=submit]")
            page.wait_for_url(lambda url: "/login" not in url)
        start = time.perf_counter()
        page.goto(args.url)
        root = "main [class*='-page']" if args.user else ".auth-card"  # any page's root
        page.wait_for_selector(root, timeout=30000)
        page.wait_for_timeout(1200)
        print(f"ready in {time.perf_counter() - start:.2f} s")
        page.screenshot(path=args.out, full_page=args.full)
        for e in errors:
            print("ERROR:", e)
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
