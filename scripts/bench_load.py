"""Latency and throughput of one Dash callback under N concurrent clients (loopback HTTP, a
kept-alive connection per client), for the benchmark."""

from __future__ import annotations

import http.client
import json
import statistics
import threading
import time
from urllib.parse import urlsplit


def _client(base: str, body: bytes, headers: dict, count: int, times: list[float],
            sizes: list[int], errors: list[str], start: threading.Barrier) -> None:
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    start.wait()
    for _ in range(count):
        began = time.perf_counter()
        try:
            connection.request("POST", "/_dash-update-component", body=body, headers=headers)
            response = connection.getresponse()
            answer = response.read()
        except OSError as error:
            errors.append(str(error))
            connection.close()
            connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
            continue
        times.append(time.perf_counter() - began)
        if response.status != 200:
            errors.append(f"HTTP {response.status}")
        sizes.append(len(answer))
    connection.close()


def run(base: str, payload: dict, headers: dict, *, clients: int, per_client: int,
        before_each_round=None, rounds: int = 1) -> dict:
    """``rounds`` rounds of ``clients`` clients sending ``per_client`` calls each;
    ``before_each_round()`` runs before each (e.g. to make the server's cache cold)."""
    body = json.dumps(payload).encode()
    headers = {"Content-Type": "application/json", "Accept-Encoding": "gzip, br", **headers}
    times: list[float] = []
    sizes: list[int] = []
    errors: list[str] = []
    busy = 0.0
    for _ in range(rounds):
        if before_each_round is not None:
            before_each_round()
        start = threading.Barrier(clients + 1)
        threads = [threading.Thread(target=_client, args=(base, body, headers, per_client, times,
                                                          sizes, errors, start))
                   for _ in range(clients)]
        for thread in threads:
            thread.start()
        start.wait()
        began = time.perf_counter()
        for thread in threads:
            thread.join()
        busy += time.perf_counter() - began
    ordered = sorted(times)

    def quantile(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")

    return {"n": len(times), "p50": quantile(0.50), "p95": quantile(0.95), "p99": quantile(0.99),
            "rps": len(times) / busy if busy else float("nan"), "errors": len(errors),
            "bytes": statistics.median(sizes) if sizes else 0}
