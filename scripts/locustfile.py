"""Simulated desk users for the load test (scripts/loadtest.py runs this with locust).

Each user signs in as a demo account, then browses, filters and drills down as the browser
does it: every page is one call of Dash's pages router (``/_dash-update-component``), the
request a click on a link or a filter makes; now and then the page shell itself is loaded.
A request counts as failed if it is not 200 (or 204) or its answer holds the error page.
"""

from __future__ import annotations

import json
import random
import re

from locust import HttpUser, between, task

ROUTER = {"output": ".._pages_content.children..._pages_store.data..",
          "outputs": [{"id": "_pages_content", "property": "children"},
                      {"id": "_pages_store", "property": "data"}],
          "inputs": [{"id": "_pages_location", "property": "pathname"},
                     {"id": "_pages_location", "property": "search"}],
          "state": [], "changedPropIds": ["_pages_location.pathname"]}
CITIES = ["330100", "330200", "330300", "330400", "330500", "330600", "330700", "330800",
          "330900", "331000", "331100"]
COUNTIES = ["330102", "330105", "330106", "330108", "330203", "330302", "330402", "330502",
            "330602", "330702", "330802", "330902", "331002", "331102"]
BROWSE = ["/", "/problems", "/tasks", "/risk", "/rankings", "/appeals", "/apps", "/briefings"]
FILTERS = ["/problems?stage=rectifying", "/problems?light=red", "/problems?region=330100",
           "/tasks?status=overdue", "/tasks?region=330200", "/tasks?due=30",
           "/risk?event=1", "/risk?region=330300", "/rankings?of=county&region=330100",
           "/appeals?weeks=26", "/apps?level=city"]
ACCOUNTS = ["leader"]  # the whole province: every address below is one it may see
PASSWORD = "Demo-2026"
ERROR_WORDS = ("无法显示该页面", "服务器内部错误", "数据源暂不可用")


class DeskUser(HttpUser):
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.client.headers["Origin"] = self.host
        page = self.client.get("/login", name="/login").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        answer = self.client.post("/login", name="/login (POST)", allow_redirects=False, data={
            "csrf_token": token, "username": random.choice(ACCOUNTS), "password": PASSWORD})
        if answer.status_code != 302:
            raise RuntimeError(f"sign-in refused: {answer.status_code}")

    def open(self, address: str, name: str, *, retry: bool = True) -> None:
        path, _, query = address.partition("?")
        body = json.loads(json.dumps(ROUTER))
        body["inputs"][0]["value"] = path
        body["inputs"][1]["value"] = f"?{query}" if query else ""
        with self.client.post("/_dash-update-component", json=body, name=name,
                              catch_response=True) as answer:
            if answer.status_code == 0 and retry and stale_connection(answer.error):
                answer.success()
                self.counted_retry("POST")
                self.open(address, name, retry=False)
                return
            if answer.status_code not in (200, 204):
                answer.failure(f"HTTP {answer.status_code} {answer.error or ''}"[:300])
            elif any(w in answer.text for w in ERROR_WORDS) or any(
                    json.dumps(w)[1:-1] in answer.text for w in ERROR_WORDS):
                answer.failure("the page answered with an error message")
            else:
                answer.success()

    @task(4)
    def browse(self) -> None:
        self.open(random.choice(BROWSE), "browse")

    @task(3)
    def filter(self) -> None:
        self.open(random.choice(FILTERS), "filter")

    @task(3)
    def drill(self) -> None:
        self.open(f"/region/{random.choice(CITIES)}", "drill: city")
        self.open(f"/region/{random.choice(COUNTIES)}", "drill: county")

    @task(1)
    def shell(self, *, retry: bool = True) -> None:
        with self.client.get("/", name="page shell", catch_response=True) as answer:
            if answer.status_code == 0 and retry and stale_connection(answer.error):
                answer.success()
                self.counted_retry("GET")
                self.shell(retry=False)
                return
            if answer.status_code != 200:
                answer.failure(f"HTTP {answer.status_code} {answer.error or ''}"[:300])

    def counted_retry(self, method: str) -> None:
        self.environment.events.request.fire(
            request_type=method, name="keep-alive retry", response_time=0, response_length=0,
            exception=None, context={})


def stale_connection(error: object) -> bool:
    """The server closed a kept-alive connection (gunicorn's keepalive is 2 s) just as it was
    used again, before any answer: a browser sends the request again on a new connection, so
    does this user, and the retry is counted apart ("keep-alive retry")."""
    words = str(error).lower()
    return isinstance(error, OSError) and ("reset by peer" in words
                                           or "without response" in words)
