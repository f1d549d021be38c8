"""The load-testing lab (loadtests/): its scenarios run cleanly against the app,
its reports parse, and distributed mode starts and stops without leftovers.

Locust itself only ever runs in subprocesses: importing it here would let
gevent patch the standard library under every other test in the session.
Nothing here asserts on speed; the numbers belong to the machine.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from reference_app import LAST_STAGE

ROOT = Path(__file__).resolve().parents[1]

from loadtests import report  # noqa: E402
from loadtests.lab import EXPERIMENTS  # noqa: E402
from loadtests.run import (  # noqa: E402
    Load,
    finish,
    locust_command,
    measure,
    seconds,
    start,
    user_classes,
)
from loadtests.server import LoadTestError, Target, check_settings, served  # noqa: E402

BIN = Path(sys.executable).parent
pytestmark = pytest.mark.skipif(not (BIN / "locust").exists() or not (BIN / "gunicorn").exists(),
                                reason="locust and gunicorn come with the dev extra: make setup")
USER_CLASSES = ["Reader", "Follower", "Writer", "LoginStorm"]
# A small world, and the cheapest Argon2id, so logins do not dominate a 5 s run.
SMALL = dict(seed_users=20, seed_articles=60,
             env=("STAGECRAFT_ARGON2_TIME_COST=1", "STAGECRAFT_ARGON2_MEMORY_KIB=8"))


def test_the_locustfiles_import_and_list_their_user_classes():
    files = ",".join(str(ROOT / "loadtests" / name)
                     for name in ("locustfile.py", "login_storm.py", "shapes.py"))
    listed = subprocess.run([BIN / "locust", "-f", files, "--list"], capture_output=True,
                            text=True, timeout=60, cwd=ROOT)
    assert listed.returncode == 0, listed.stderr
    assert set(USER_CLASSES) <= set(listed.stdout.split())


@pytest.fixture(scope="module")
def scenario_runs(tmp_path_factory):
    """Each user class for about 5 s against one gunicorn-served app, all at once
    (one after another would take four times as long): {class: (exit code, stats)}."""
    if LAST_STAGE < 4:
        pytest.skip("the logged-in scenarios need stage 4")
    out = tmp_path_factory.mktemp("scenarios")
    load = Load(users=2, duration="5s", think=0.2)
    with served(Target(LAST_STAGE, **SMALL), out) as (url, _):
        processes = {name: start(locust_command(url, [name], load, out / name),
                                 out / f"{name}.log", {**os.environ, "LOAD_THINK_SECONDS": "0.2"})
                     for name in USER_CLASSES}
        deadline = time.monotonic() + 60
        codes = {name: finish(process, deadline)[0] for name, process in processes.items()}
    return {name: (codes[name], report.read_stats(out / f"{name}_stats.csv"),
                   report.failures(out / f"{name}_stats.csv"), (out / f"{name}.log").read_text())
            for name in USER_CLASSES}


@pytest.mark.parametrize("user_class", USER_CLASSES)
def test_each_user_class_runs_headless_without_a_failure(scenario_runs, user_class):
    code, endpoints, failures, log = scenario_runs[user_class]
    assert endpoints[-1].requests > 0, log
    assert endpoints[-1].failures == 0, failures
    assert code == 0, log


def test_requests_are_named_by_endpoint_not_by_url(scenario_runs):
    endpoints = scenario_runs["Reader"][1]
    names = {e.name for e in endpoints}
    assert "/api/articles/[slug]" in names
    assert not any("generated-article" in name for name in names)


def test_distributed_mode_starts_and_stops_cleanly(tmp_path, monkeypatch):
    # Every process the run starts inherits this marker, so any that outlived
    # the run can be found afterwards, wherever it was reparented.
    marker = uuid.uuid4().hex
    monkeypatch.setenv("STAGECRAFT_TEST_RUN", marker)
    run = measure("distributed", Target(LAST_STAGE, **SMALL), ["Reader"],
                  Load(users=4, duration="4s", think=0.2), tmp_path, workers=2)
    assert list(run.generator_cpu) == ["master", "worker 1", "worker 2"]
    assert run.endpoints[-1].requests > 0
    assert run.endpoints[-1].failures == 0
    assert leftovers(marker) == []


def leftovers(marker: str) -> list[str]:
    import psutil

    found = []
    for process in psutil.process_iter(["cmdline"]):
        try:
            if process.environ().get("STAGECRAFT_TEST_RUN") == marker:
                found.append(" ".join(process.info["cmdline"] or []))
        except psutil.Error:
            continue  # gone already, or someone else's
    return found


STATS = """\
Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,\
Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,\
50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%
GET,/api/articles,120,0,7,8.1,2.0,40.5,2101.0,12.0,0.0,7,8,9,10,14,21,30,38,40,40,40
POST,/api/users/login,0,0,0,0.0,0,0,0.0,0.0,0.0,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A
,Aggregated,120,3,7,8.1,2.0,40.5,2101.0,12.0,0.3,7,8,9,10,14,21,30,38,40,40,40
"""


def test_the_summary_parser_reads_a_locust_stats_csv(tmp_path):
    path = tmp_path / "run_stats.csv"
    path.write_text(STATS)
    articles, login, total = report.read_stats(path)
    assert (articles.label, articles.requests, articles.per_second) == ("GET /api/articles",
                                                                       120, 12.0)
    assert (articles.p50, articles.p95, articles.p99) == (7, 21, 38)
    assert login.p50 is None  # N/A: no requests behind that percentile
    assert (total.label, total.failures) == ("All requests", 3)
    table = report.summary_table([articles, login, total])
    assert "GET /api/articles" in table and "All requests" in table


def test_the_parser_refuses_a_csv_that_locust_did_not_write(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("Name,Count\nx,1\n")
    with pytest.raises(ValueError, match="not a Locust stats file"):
        report.read_stats(path)


def test_a_comparison_says_how_many_times_faster(tmp_path):
    path = tmp_path / "run_stats.csv"
    path.write_text(STATS)
    slow = report.read_stats(path)
    fast = [report.Endpoint(e.method, e.name, e.requests, 0, e.per_second,
                            e.p50 and e.p50 / 2, e.p95, e.p99) for e in slow]
    table = report.compare_markdown({"before": slow, "after": fast})
    assert "| `GET /api/articles` | 7 | 4 | 2.0x |" in table


def test_a_stage_without_logins_refuses_the_logged_in_scenarios():
    with pytest.raises(LoadTestError, match="Writer needs POST /api/articles, POST /api/users"):
        user_classes("Writer", 2)
    assert user_classes("all", 2) == ["Reader"]
    with pytest.raises(LoadTestError, match="does not exist"):
        user_classes("Reader", LAST_STAGE + 1)


def test_a_mistyped_setting_is_refused_rather_than_ignored():
    with pytest.raises(LoadTestError, match="STAGECRAFT_ARGON2_TIMECOST is not a setting"):
        check_settings(("STAGECRAFT_ARGON2_TIMECOST=1",))


def test_durations_read_like_locusts():
    assert [seconds(d) for d in ("20s", "2m", "1m30s", "45")] == [20, 120, 90, 45]
    with pytest.raises(LoadTestError):
        seconds("soon")


def test_the_lab_page_names_every_experiment_and_includes_its_results():
    page = (ROOT / "loadtests" / "lab.md").read_text()
    for experiment in EXPERIMENTS:
        assert f"make lab EXP={experiment.number}" in page
        assert f'--8<-- "{experiment.results.relative_to(ROOT)}"' in page


def test_experiment_2_adds_exactly_the_indexes_that_stage_6_creates():
    caching = pytest.importorskip("reference_app.caching.store")

    def statements(sql: str) -> set[str]:
        lines = [line.split("--")[0] for line in sql.splitlines()]
        return {" ".join(s.split()) for s in " ".join(lines).split(";") if s.strip()}

    assert statements((ROOT / "loadtests" / "indexes.sql").read_text()) == statements(
        caching.INDEXES)


def test_a_results_file_says_what_ran_where_the_cpu_went_and_shows_the_plot(tmp_path):
    from loadtests.compare import Variant, results_markdown
    from loadtests.run import Run

    path = tmp_path / "run_stats.csv"
    path.write_text(STATS)
    runs = {name: Run(name, report.read_stats(path), {"Locust": 0.3}, 0.9, 0.4, [])
            for name in ("before", "after")}
    variants = [Variant(name, Target(LAST_STAGE), "Reader") for name in runs]
    text = results_markdown(variants, runs, Load(), "TABLE",
                            ROOT / "loadtests" / "results" / "exp9.png", "make lab EXP=9")
    assert text.startswith("<!-- Written by `make lab EXP=9`.")
    assert f"| before | stage {LAST_STAGE}" in text
    assert "| after | 90% | 30% | 40% |" in text
    assert "Other processes were busy during: before, after" in text
    assert "![Latency and throughput per run](results/exp9.png)" in text
