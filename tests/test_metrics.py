"""Lesson 7: metrics per route at /metrics, in one process and across gunicorn's workers.

Read through the front door only: the text of GET /metrics, parsed with
prometheus-client's own parser, and a real Prometheus's HTTP API.
"""

import json
import os
import signal
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import pytest
from conftest import http
from prometheus_client.parser import text_string_to_metric_families
from seams import crash, store_with
from webtest import TestApp

pytestmark = pytest.mark.stage(7)

REQUESTS = "stagecraft_http_requests_total"
DURATION = "stagecraft_http_request_duration_seconds"
IN_PROGRESS = "stagecraft_http_requests_in_progress"


def samples(text: str, name: str, **labels) -> list:
    """The samples called ``name`` whose labels include ``labels``."""
    return [sample for family in text_string_to_metric_families(text)
            for sample in family.samples
            if sample.name == name and labels.items() <= sample.labels.items()]


def total(text: str, name: str, **labels) -> float:
    return sum(sample.value for sample in samples(text, name, **labels))


# ---- In one process ------------------------------------------------------------
def test_metrics_count_requests_by_route_and_status(client):
    client.get("/api/tags")
    client.get("/api/tags")
    client.get("/api/articles/no-such-article", status=404)
    client.get("/api/articles/no-other-article", status=404)
    response = client.get("/metrics")
    assert response.headers["Content-Type"].startswith("text/plain")
    text = response.text
    assert total(text, REQUESTS, method="GET", route="/api/tags", status="200") == 2
    # Two slugs, one route: the label is the route's rule, never the path asked for.
    by_slug = samples(text, REQUESTS, status="404")
    assert [sample.value for sample in by_slug] == [2]
    assert by_slug[0].labels["route"].startswith("/api/articles/<")
    assert "no-such-article" not in text and "no-other-article" not in text


def test_a_crash_is_counted_as_a_500_of_its_route(app, client):
    store_with(app, list_tags=crash)
    client.get("/api/tags", status=500, expect_errors=True)
    text = client.get("/metrics").text
    assert total(text, REQUESTS, route="/api/tags", status="500") == 1
    assert total(text, DURATION + "_count", route="/api/tags") == 1


def test_labels_stay_few_whatever_the_client_sends(app, client):
    # A scanner's paths and made-up methods: each would be a new series if it were a label.
    raw = TestApp(app, lint=False)  # WebTest's checker refuses made-up methods itself
    for n in range(20):
        client.get(f"/wp-admin/probe-{n}.php", status=404)
        raw.request("/api/tags", method=f"PROBE{n}", expect_errors=True)
    text = client.get("/metrics").text
    assert "probe-" not in text.lower()
    unmatched = samples(text, REQUESTS, route="(unmatched)")
    assert {(s.labels["method"], s.labels["status"], s.value) for s in unmatched} == {
        ("GET", "404", 20), ("other", "405", 20)}


def test_latency_is_a_histogram_per_route(client):
    for _ in range(3):
        client.get("/api/tags")
    text = client.get("/metrics").text
    buckets = samples(text, DURATION + "_bucket", route="/api/tags")
    counts = [sample.value for sample in buckets]  # cumulative, in order of their bounds
    assert buckets[-1].labels["le"] == "+Inf" and counts[-1] == 3
    assert counts == sorted(counts)
    assert total(text, DURATION + "_count", route="/api/tags") == 3
    assert total(text, DURATION + "_sum", route="/api/tags") > 0


# ---- Under gunicorn, for real -----------------------------------------------------
def eventually(check, what: str, seconds: float = 30):
    """Wait until ``check()`` is true, polling; fail, saying ``what``, after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, f"not within {seconds:g} s: {what}"
        time.sleep(0.1)


def scraped(server) -> str:
    status, _, text = http("GET", server.url + "/metrics")
    assert status == 200, text
    return text


def worker_pids(server) -> list[int]:
    lines = [json.loads(line) for line in server.lines if line.startswith("{")]
    return [int(line["message"].rpartition(" ")[2]) for line in lines
            if line["message"].startswith("Booting worker with pid")]


def test_counts_outlive_the_workers_that_made_them(production):
    server = production(workers=2)
    for _ in range(30):
        http("GET", server.url + "/api/tags")
    # A request that never finishes: a body promised and never sent.
    stuck = socket.create_connection(("127.0.0.1", server.port))
    stuck.sendall(b"POST /api/users HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  b"Content-Length: 100\r\n\r\n{")
    try:
        # In progress: the stuck request, and the scrape that asks.
        eventually(lambda: total(scraped(server), IN_PROGRESS) == 2, "the stuck request shows")
        eventually(lambda: len(worker_pids(server)) == 2, "both workers have booted")
        for pid in worker_pids(server):
            os.kill(pid, signal.SIGKILL)  # both workers: the new ones counted none of it
        eventually(lambda: len(worker_pids(server)) == 4, "gunicorn replaces both workers")
        text = scraped(server)
    finally:
        stuck.close()
    # Two new workers, which served none of the 30: the counts live in the shared folder.
    assert total(text, REQUESTS, route="/api/tags", status="200") == 30
    # The dead worker's request in progress no longer counts: gunicorn.conf.py's
    # child_exit removed its file. Only the scrape itself is in progress.
    assert total(text, IN_PROGRESS) == 1


def query(prometheus, promql: str) -> float | None:
    """The value of an instant PromQL query through Prometheus's HTTP API; None if empty."""
    status, _, body = http("GET", prometheus.url + "/api/v1/query?" + urlencode({"query": promql}))
    assert status == 200 and body["status"] == "success", body
    result = body["data"]["result"]
    return float(result[0]["value"][1]) if result else None


def test_prometheus_reads_the_rate_and_the_p95(production, prometheus):
    app = production(workers=2)
    scraper = prometheus([f"127.0.0.1:{app.port}"])
    tags = 'route="/api/tags"'
    count = f"sum({REQUESTS}{{{tags}}})"
    # One request first, and a scrape of it, so that the traffic below is all a rise.
    http("GET", app.url + "/api/tags")
    eventually(lambda: query(scraper, count) == 1, "Prometheus scrapes the first request")
    with ThreadPoolExecutor(4) as pool:
        statuses = list(pool.map(lambda _: http("GET", app.url + "/api/tags")[0], range(100)))
    assert statuses == [200] * 100
    # Every request, whichever of the two workers answered it and whichever the scrape hit.
    eventually(lambda: query(scraper, count) == 101, "Prometheus sees all 101 requests")

    rate = query(scraper, f"sum(rate({REQUESTS}{{{tags}}}[1m]))")
    by_bucket = f"sum by (le) (rate({DURATION}_bucket{{{tags}}}[1m]))"
    p50 = query(scraper, f"histogram_quantile(0.5, {by_bucket})")
    p95 = query(scraper, f"histogram_quantile(0.95, {by_bucket})")
    assert rate > 0
    # The p95 lies at or below the smallest bucket bound that holds every request.
    buckets = samples(scraped(app), DURATION + "_bucket", route="/api/tags")
    bound = min(float(b.labels["le"]) for b in buckets if b.value == buckets[-1].value)
    assert 0 < p50 <= p95 <= bound
