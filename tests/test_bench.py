"""`make bench`'s own logic: the table it writes, and the floor it measures.

The measuring itself (wrk against gunicorn) is not a test: it prints figures.
What can be checked without a clock is checked here: that the ratios and
verdicts follow from the figures, and that the floor answers exactly what the
cached route answers, so the two rows compare like with like.
"""

from __future__ import annotations

import importlib
import secrets
import sys

import pytest
from webtest import TestApp

from benchmarks import bench
from reference_app.seed import seed


def figures(rps: float) -> dict:
    return {"rps": rps, "p50": 1.0, "p99": 2.0}


def samples(**rates) -> dict:
    """Bench samples where each run had these requests per second: one number
    for one round, or a list with one number per round."""
    def rounds(rate):
        return [figures(r) for r in (rate if isinstance(rate, list) else [rate])]

    runs = {(stage, name): rounds(rates[f"{name}{stage}"])
            for stage in (5, "last") for name in bench.ROUTES}
    runs[("floor", "floor")] = rounds(rates["floor"])
    runs[("hello", "hello")] = rounds(rates["hello"])
    return runs


def test_the_table_states_each_ratio_and_whether_its_target_holds():
    text = bench.table(samples(list5=100, listlast=450, tags5=300, tagslast=850,
                               article5=300, articlelast=800, floor=880, hello=1000),
                       seconds=5, connections=16, rounds=3)
    assert "| `GET /api/articles?limit=20` | 100 | 450 | 4.5× | 0.45× |" in text
    assert "last stage's list vs stage 5's: 4.50× (rounds 4.50–4.50), target at least " \
           "3.0×: met" in text
    assert "cached tags vs the ceiling: 0.85× (rounds 0.85–0.85), target at least 0.8×: " \
           "met" in text
    assert "The floor is 0.88× the ceiling" in text
    assert "Cached tags reach 97% of the floor." in text
    assert "NOT met" not in text


def test_a_missed_target_says_so():
    text = bench.table(samples(list5=100, listlast=250, tags5=300, tagslast=700,
                               article5=300, articlelast=700, floor=720, hello=1000),
                       seconds=5, connections=16, rounds=3)
    assert "last stage's list vs stage 5's: 2.50× (rounds 2.50–2.50), target at least " \
           "3.0×: NOT met" in text
    assert "cached tags vs the ceiling: 0.70× (rounds 0.70–0.70), target at least 0.8×: " \
           "NOT met" in text


def test_the_verdict_uses_medians_and_each_round_shows_its_own_ratio():
    # Round 2 was a slow spell for the whole machine: both runs dropped.
    text = bench.table(samples(list5=[100, 60, 110], listlast=[400, 300, 420],
                               tags5=300, tagslast=[780, 560, 900],
                               article5=300, articlelast=800, floor=880,
                               hello=[1000, 700, 1050]),
                       seconds=5, connections=16, rounds=3)
    # Medians: tags 780, ceiling 1000. Rounds: 0.78, 0.80, 0.857.
    assert "cached tags vs the ceiling: 0.78× (rounds 0.78–0.86), target at least 0.8×: " \
           "NOT met" in text
    assert "| `GET /hello` (the ceiling) | | 1,000 |" in text


def test_without_wrk_it_says_how_to_install_it(monkeypatch, capsys):
    monkeypatch.setattr(bench.shutil, "which", lambda name: None)
    assert bench.main(["--output", "/nonexistent/results.md"]) == 2
    assert "apt-get install wrk" in capsys.readouterr().err


@pytest.fixture
def floor_client(settings, monkeypatch):
    """The floor app on a seeded database: the last stage with /api/floor added."""
    seed(settings.database, settings, users=5, articles=100)
    monkeypatch.setenv("STAGECRAFT_DATABASE", settings.database)
    monkeypatch.setenv("STAGECRAFT_INSTANCE_PATH", settings.instance_path)
    monkeypatch.setenv("STAGECRAFT_JWT_SECRET", secrets.token_urlsafe(48))
    monkeypatch.delitem(sys.modules, "benchmarks.floor", raising=False)
    floor = importlib.import_module("benchmarks.floor")
    return TestApp(floor.app)


def test_the_floor_answers_what_cached_tags_answer(floor_client):
    tags, constant = floor_client.get("/api/tags"), floor_client.get("/api/floor")
    assert constant.body == tags.body
    assert constant.headers["ETag"] == tags.headers["ETag"]


def test_the_floor_runs_every_hook_of_the_last_stage(floor_client):
    response = floor_client.get("/api/floor", headers={"X-Request-ID": "bench-1"})
    assert response.headers["X-Request-ID"] == "bench-1"  # lesson 7's hooks
    assert response.headers["X-Content-Type-Options"] == "nosniff"  # lesson 5's
    assert response.headers["Vary"] == "Authorization"  # lesson 6's ETag plugin
