"""The load-testing lab (loadtests/): its scenarios run cleanly against the app,
its reports parse, and distributed mode starts and stops without leftovers.

Locust itself only ever runs in subprocesses: importing it here would let
gevent patch the standard library under every other test in the session.
Nothing here asserts on speed; the numbers belong to the machine.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
import urllib.request
import uuid
from contextlib import closing
from pathlib import Path

import pytest

from reference_app import LAST_STAGE
from reference_app.seed import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parents[1]

from loadtests import report  # noqa: E402
from loadtests.lab import EXPERIMENTS  # noqa: E402
from loadtests.run import (  # noqa: E402
    Load,
    finish,
    locust_command,
    locust_env,
    measure,
    seconds,
    start,
    user_classes,
)
from loadtests.seeded import cast, distribution, online_order  # noqa: E402
from loadtests.server import (  # noqa: E402
    LoadTestError,
    Target,
    cast_file,
    check_settings,
    served,
)

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


def new_reader(url: str, username: str) -> str:
    """Sign up a reader who follows nobody, as the seeded users sign in (their
    domain and password): no other scenario logs in as them mid-run."""
    user = {"username": username, "email": f"{username}@stagecraft.dev",
            "password": DEMO_PASSWORD}
    request = urllib.request.Request(f"{url}/api/users", json.dumps({"user": user}).encode(),
                                     {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:  # loopback only
        assert response.status == 201
    return username


@pytest.fixture(scope="module")
def scenario_runs(tmp_path_factory):
    """Each user class for about 5 s against one gunicorn-served app, all at once
    (one after another would take four times as long): {class: (exit code, stats,
    failures, log)}, and the folder with the database. "Follower, lonely" is a
    Follower whose cast names a reader who follows nobody: its feed is empty, and
    the run must say so. "Follower, no cast" finds its data through the API alone."""
    if LAST_STAGE < 4:
        pytest.skip("the logged-in scenarios need stage 4")
    out = tmp_path_factory.mktemp("scenarios")
    lonely = out / "lonely-cast.json"
    runs = {name: ([name], cast_file(out)) for name in USER_CLASSES}
    runs["Follower, lonely"] = (["Follower"], lonely)
    runs["Follower, no cast"] = (["Follower"], None)  # as against another backend
    load = Load(users=2, duration="5s", think=0.2)
    with served(Target(LAST_STAGE, **SMALL), out) as (url, _):
        lonely.write_text(json.dumps({"followers": [new_reader(url, "lonely-reader")],
                                      "popular": [], "authors": []}))
        environ = {k: v for k, v in os.environ.items() if k != "LOAD_CAST"}
        environ["LOAD_THINK_SECONDS"] = "0.2"
        processes = {name: start(locust_command(url, classes, load, out / name),
                                 out / f"{name}.log",
                                 {**environ, **({"LOAD_CAST": str(cast)} if cast else {})})
                     for name, (classes, cast) in runs.items()}
        deadline = time.monotonic() + 60
        codes = {name: finish(process, deadline)[0] for name, process in processes.items()}
    results = {name: (codes[name], report.read_stats(out / f"{name}_stats.csv"),
                      report.failures(out / f"{name}_stats.csv"),
                      (out / f"{name}.log").read_text())
               for name in runs}
    return results, out


@pytest.mark.parametrize("user_class", USER_CLASSES)
def test_each_user_class_runs_headless_without_a_failure(scenario_runs, user_class):
    code, endpoints, failures, log = scenario_runs[0][user_class]
    assert endpoints[-1].requests > 0, log
    assert endpoints[-1].failures == 0, failures
    assert code == 0, log


def test_requests_are_named_by_endpoint_not_by_url(scenario_runs):
    endpoints = scenario_runs[0]["Reader"][1]
    names = {e.name for e in endpoints}
    assert "/api/articles/[slug]" in names
    assert not any("generated-article" in name for name in names)


def requests(run) -> dict[str, int]:
    return {e.label: e.requests for e in run[1][:-1]}


def test_followers_log_in_as_seeded_readers_and_read_a_feed_that_is_not_empty(scenario_runs):
    follower = scenario_runs[0]["Follower"]
    made = requests(follower)
    assert made.get("POST /api/users/login") == 2  # one per simulated user: the cast's
    assert "POST /api/users" not in made  # nobody had to register
    assert made.get("GET /api/articles/feed", 0) > 0
    assert follower[1][-1].failures == 0, follower[2]  # an empty feed would be one


def test_without_a_cast_a_follower_logs_in_as_an_author_it_found(scenario_runs):
    code, endpoints, failures, log = scenario_runs[0]["Follower, no cast"]
    made = requests(scenario_runs[0]["Follower, no cast"])
    assert made.get("POST /api/users/login") == 2 and made.get("GET /api/articles/feed", 0) > 0
    assert endpoints[-1].failures == 0, failures
    assert code == 0, log


def test_make_load_hands_locust_the_cast_that_served_wrote(tmp_path):
    assert locust_env(Load(), tmp_path)["LOAD_CAST"] == str(cast_file(tmp_path))


def test_a_follower_who_follows_nobody_fails_on_the_empty_feed(scenario_runs):
    runs, out = scenario_runs
    code, endpoints, failures, log = runs["Follower, lonely"]
    reader = json.loads((out / "lonely-cast.json").read_text())["followers"][0]
    feed = next(e for e in endpoints if e.label == "GET /api/articles/feed")
    assert feed.requests > 0 and feed.failures == feed.requests, log
    assert any(f"{reader} follows authors with articles, but the feed is empty" in f
               for f in failures), failures
    assert code == 1


def test_writers_comment_on_the_popular_articles_and_favourite_and_follow(scenario_runs):
    runs, out = scenario_runs
    assert {"POST /api/articles/[slug]/comments", "POST /api/articles/[slug]/favorite",
            "POST /api/profiles/[username]/follow"} <= set(requests(runs["Writer"]))
    popular = {slug for slug, _ in json.loads(cast_file(out).read_text())["popular"]}
    with closing(sqlite3.connect(out / "load.db")) as db:
        commented = db.execute(
            "select a.slug, w.username = u.username from comments c"
            " join users w on w.id = c.author_id join articles a on a.id = c.article_id"
            " join users u on u.id = a.author_id where w.username like 'loadtest-%'").fetchall()
    # On a popular article, or on the writer's own (which it may have deleted since).
    on_popular = [slug for slug, own in commented if not own]
    assert on_popular and set(on_popular) <= popular


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
    assert '--8<-- "loadtests/results/data.md"' in page and "make lab-data" in page


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


@pytest.fixture(scope="module")
def seeded_world(tmp_path_factory):
    from reference_app import Settings
    from reference_app.seed import seed

    folder = tmp_path_factory.mktemp("world")
    settings = Settings(database=str(folder / "world.db"), instance_path=str(folder / "i"),
                        argon2_time_cost=1, argon2_memory_kib=8, argon2_parallelism=1)
    seed(settings.database, settings, users=40, articles=300)
    return settings.database


def test_the_cast_names_readers_who_follow_authors_with_articles(seeded_world):
    chosen = cast(seeded_world)
    assert chosen == cast(seeded_world)  # the same database, the same people, in order
    followers = chosen["followers"]
    assert len(followers) == len(set(followers)) >= 10
    assert "ada" not in followers  # the demo data has her follow nobody
    with closing(sqlite3.connect(seeded_world)) as db:
        for name in followers:
            feed = db.execute(
                "select count(*) from users u join follows f on f.follower_id = u.id"
                " join articles a on a.author_id = f.followed_id"
                " where u.username = ? and u.password_hash is not null", [name]).fetchone()[0]
            assert feed > 0, name
        favourites = [db.execute("select count(*) from favorites f join articles a"
                                 " on a.id = f.article_id where a.slug = ?", [slug]).fetchone()[0]
                      for slug, _ in chosen["popular"]]
        fans = [db.execute("select count(*) from follows f join users u on u.id = f.followed_id"
                           " where u.username = ?", [name]).fetchone()[0]
                for name in chosen["authors"]]
    assert favourites == sorted(favourites, reverse=True) and favourites[0] > favourites[-1]
    assert fans == sorted(fans, reverse=True) and fans[0] > fans[-1]


def test_who_is_online_draws_the_active_readers_most_often_and_nobody_twice():
    ranked = [f"reader{n}" for n in range(1, 201)]
    order = online_order(ranked, 50)
    assert len(order) == len(set(order)) == 50 and set(order) <= set(ranked)
    top, bottom = set(ranked[:50]), set(ranked[150:])
    assert len(top & set(order)) > 2 * len(bottom & set(order))
    assert online_order(ranked[:4], 50) == online_order(ranked[:4], 50)  # at most half: 2
    assert len(online_order(ranked[:4], 50)) == 2


def test_the_distribution_counts_what_the_database_holds(seeded_world):
    with closing(sqlite3.connect(seeded_world)) as db:
        favourites, comments, follows = db.execute(
            "select (select count(*) from favorites), (select count(*) from comments),"
            " (select count(*) from follows)").fetchone()
    shape = distribution(seeded_world)
    assert shape["Favourites"].startswith(f"{favourites:,}, ")
    assert shape["Comments"].startswith(f"{comments:,}, ")
    assert shape["Follows"].startswith(f"{follows:,}, ")
    assert shape["Authors of articles"].startswith("demo writes ")


def test_a_results_table_says_how_big_the_seeded_world_was():
    from loadtests.compare import default_labels

    small, big = Target(5), Target(5, seed_users=1_000, seed_articles=100_000)
    assert "1,000 users and 100,000 articles" in big.describe()
    assert default_labels([small, big]) == ["50 users and 500 articles",
                                            "1,000 users and 100,000 articles"]
