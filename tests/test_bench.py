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

from benchmarks import bench, cpu_per_request, profile_floor, scale, scale_routes
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
                               article5=300, articlelast=860, floor=880, hello=1000),
                       seconds=5, connections=16, rounds=3)
    assert "| `GET /api/articles?limit=20` | 100 | 450 | 4.5× | 0.45× |" in text
    assert "last stage's list vs stage 5's: 4.50× (rounds 4.50–4.50), target at least " \
           "3.0×: met" in text
    assert "the floor vs the ceiling: 0.88× (rounds 0.88–0.88), target at least 0.85×: " \
           "met" in text
    assert "cached tags vs the floor: 0.97× (rounds 0.97–0.97), target at least 0.95×: " \
           "met" in text
    assert "a cached article vs the floor: 0.98× (rounds 0.98–0.98), target at least " \
           "0.95×: met" in text
    assert "The floor is 0.88× the ceiling" in text
    assert "Cached tags reach 97% of the floor." in text
    assert "NOT met" not in text


def test_a_missed_target_says_so():
    text = bench.table(samples(list5=100, listlast=250, tags5=300, tagslast=700,
                               article5=300, articlelast=700, floor=720, hello=1000),
                       seconds=5, connections=16, rounds=3)
    assert "last stage's list vs stage 5's: 2.50× (rounds 2.50–2.50), target at least " \
           "3.0×: NOT met" in text
    assert "the floor vs the ceiling: 0.72× (rounds 0.72–0.72), target at least 0.85×: " \
           "NOT met" in text
    assert "cached tags vs the floor: 0.97× (rounds 0.97–0.97), target at least 0.95×: " \
           "met" in text


def test_the_verdict_uses_medians_and_each_round_shows_its_own_ratio():
    # Round 2 was a slow spell for the whole machine: both runs dropped.
    text = bench.table(samples(list5=[100, 60, 110], listlast=[400, 300, 420],
                               tags5=300, tagslast=[780, 560, 900],
                               article5=300, articlelast=[800, 500, 850],
                               floor=[780, 560, 900],
                               hello=[1000, 700, 1050]),
                       seconds=5, connections=16, rounds=3)
    # Medians: floor 780, ceiling 1000. Rounds: 0.78, 0.80, 0.857.
    assert "the floor vs the ceiling: 0.78× (rounds 0.78–0.86), target at least 0.85×: " \
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


def test_the_floor_can_leave_out_named_middleware(floor_client, caplog):
    # cpu_per_request.py serves the floor without lesson 7's two middlewares, to
    # measure their cost under load: the floor must really lose them, and only them.
    floor = sys.modules["benchmarks.floor"]
    bare = TestApp(floor.build(without=frozenset(cpu_per_request.LESSON_7)))
    caplog.set_level("INFO", logger="reference_app.access")
    response = bare.get("/api/floor")
    assert "X-Request-ID" not in response.headers  # no AccessLog
    assert not [r for r in caplog.records if r.name == "reference_app.access"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"  # the rest stays
    assert response.body == floor_client.get("/api/floor").body


# `make bench-scale` (benchmarks/scale.py): its route picking and its table, with no wrk.


def test_scale_picks_the_busiest_name_that_fills_a_page_at_the_small_size():
    big = {"a": 900, "b": 5000, "c": 3000, "d": 10}
    small = {"a": 25, "b": 3, "c": 20, "d": 40}  # b is busiest at 100k, but a page short at 1k
    assert scale_routes.most(big, small) == "c"
    assert scale_routes.most(big, small, fewest=True) == "d"
    # When no name fills a page, the fullest one there is.
    assert scale_routes.most(big, {"a": 2, "b": 5, "c": 5}) == "b"


def test_scale_names_exist_at_both_sizes_and_every_route_is_filled_in(settings, tmp_path):
    files = [str(tmp_path / "small.db"), str(tmp_path / "big.db")]
    for path, articles in zip(files, (200, 1000), strict=True):
        seed(path, settings, users=40, articles=articles)
    names = scale_routes.pick_names(*files)
    small, big = (scale_routes.counts(path) for path in files)
    assert names["popular_tag"] == max(big["tag"], key=big["tag"].get)
    assert names["rare_tag"] != names["popular_tag"]
    assert small["tag"][names["rare_tag"]] >= scale_routes.PAGE
    assert names["author"] == max(big["author"], key=big["author"].get)
    assert small["favourites"][names["favourer"]] >= scale_routes.PAGE
    assert small["feed"][names["reader"]] >= scale_routes.PAGE
    assert names["email"] == f"{names['reader']}@stagecraft.dev"
    assert names["rows"]["favourites"] == (small["favourites"][names["favourer"]],
                                           big["favourites"][names["favourer"]])
    for counted in (small, big):
        assert names["favourer"] in counted["favourites"] and names["reader"] in counted["follows"]
    planned = scale_routes.runs(names)
    assert all("{" not in path for _, _, path in planned)
    assert ("`/api/articles/feed`", "logged in", "/api/articles/feed") in planned
    assert not any(who == "anonymous" and "feed" in path for _, who, path in planned)
    assert len(planned) == 2 * len(scale_routes.ROUTES) - 2  # two routes have no anonymous reader


def test_scale_logs_in_the_api_by_token_and_the_pages_by_cookie():
    login = {"Authorization": "Token t", "Cookie": "csrf=c; session=s"}
    assert scale_routes.headers_for("/api/articles/feed", login) == {"Authorization": "Token t"}
    assert scale_routes.headers_for("/feed", login) == {"Cookie": "csrf=c; session=s"}
    assert scale_routes.cookies([("Set-Cookie", "session=s; Path=/; HttpOnly"),
                                 ("Vary", "Cookie"), ("set-cookie", "csrf=c; Path=/")]) \
        == "session=s; csrf=c"


def scale_samples(slow: str, times: float) -> tuple[dict, dict]:
    """Two rounds of p50s: 2 ms at the small size, as much at the big one except
    for the route labelled ``slow``, logged in with the cache off."""
    names = dict.fromkeys(("popular_tag", "rare_tag", "author", "favourer", "slug",
                           "reader"), "x")
    names["rows"] = dict.fromkeys(scale_routes.ROWS, (20, 2000))
    samples = {}
    for label, who, _ in scale_routes.runs(names):
        for cache in scale.CACHE:
            small, big = scale.SIZES
            slower = times if (label, who, cache) == (slow, "logged in", "off") else 1.0
            samples[label, who, cache, small] = [2.0, 2.0]
            samples[label, who, cache, big] = [2.0 * slower, 3.0 * slower]
    return samples, names


SEEDED = {size: {"articles": size, "favorites": 2, "comments": 3, "follows": 4}
          for size in scale.SIZES}


def test_scale_table_marks_a_route_over_the_limit_and_misses_only_its_target():
    samples, names = scale_samples("page `/`", 4.0)
    text = scale.table(samples, names, SEEDED, seconds=1, rounds=2)
    # The median of 2.0 and 3.0 is 2.5: 1.25× passes, 4 times that does not.
    assert "| `/api/tags` | 2.00 → 2.50 (1.25×) | 2.00 → 2.50 (1.25×) |" in text
    assert "| page `/` | 2.00 → 2.50 (1.25×) | 2.00 → 2.50 (1.25×) | 2.00 → 2.50 (1.25×) " \
           "| 2.00 → 10.00 (**5.00× ✗**) |" in text
    assert "| `/api/articles/feed` | – | 2.00 → 2.50 (1.25×) | – |" in text
    assert "- anonymous, cache on: met" in text
    # Each round's own ratio: 8/2 and 12/2.
    assert "- logged in, cache off: NOT met: page `/` 5.00× (rounds 4.00–6.00)" in text
    assert text.count("NOT met") == 1
    assert "tags `x` (20 → 2,000 articles)" in text


def test_scale_results_file_lists_every_route_the_benchmark_measures():
    text = (scale.ROOT / "benchmarks" / "scale_results.md").read_text(encoding="utf-8")
    for label, _, _ in scale_routes.ROUTES:
        assert f"| {label} |" in text, f"{label}: run make bench-scale"
    for who, cache in scale.COLUMNS:
        assert f"- {who}, cache {cache}: " in text


# ---- The middleware profile (benchmarks/profile_floor.py) ---------------------

def test_the_profile_takes_out_one_piece_at_a_time(floor_client):
    floor = sys.modules["benchmarks.floor"]
    names = [name for _, name, _ in profile_floor.pieces(floor.app)]
    for piece in ("SecureHeaders", "AccessLog", "RequestMetrics", "ETagPlugin",
                  "RequestLimits.check", "CsrfGuard.check"):
        assert piece in names
    app = floor.build()
    for kind, name, piece in profile_floor.pieces(app):
        if name in ("ETagPlugin", "AccessLog"):
            profile_floor.remove(app, kind, piece)
    response = TestApp(app).get("/api/floor")
    assert "ETag" not in response.headers and "X-Request-ID" not in response.headers
    assert response.headers["X-Content-Type-Options"] == "nosniff"  # the others still run


def test_the_middleware_profile_names_every_piece_of_the_last_stage(floor_client):
    text = profile_floor.RESULTS.read_text(encoding="utf-8")
    for _, name, _ in profile_floor.pieces(sys.modules["benchmarks.floor"].app):
        assert f"| `{name}` |" in text, f"{name}: run python -m benchmarks.profile_floor"


def test_the_results_file_states_every_target_of_make_bench():
    text = bench.RESULTS.read_text(encoding="utf-8")
    for what, *_ in bench.TARGETS:
        assert f"- {what}: " in text, f"{what}: run make bench"


def test_the_replay_answers_the_floors_and_the_ceilings_bytes(floor_client, monkeypatch):
    # cpu_per_request.py splits the floor's cost into gunicorn's and the app's by
    # serving the same answers from a bare WSGI app: they must be the same bytes.
    monkeypatch.delitem(sys.modules, "benchmarks.replay", raising=False)
    replay = TestApp(importlib.import_module("benchmarks.replay").app)
    from benchmarks import hello

    for app, path in ((floor_client, "/api/floor"), (TestApp(hello.app), "/hello")):
        real, replayed = app.get(path), replay.get(path)
        assert replayed.body == real.body
        assert sorted(replayed.headers.keys()) == sorted(real.headers.keys())


def test_the_cpu_table_splits_the_gap_into_server_and_app():
    samples = {"hello replayed": [500.0], "hello": [560.0], "floor replayed": [520.0],
               "floor": [800.0], "floor unlogged": [640.0]}
    text = cpu_per_request.table(samples, {"hello": 20.0, "floor": 100.0}, 5, 16, 1)
    assert "| `GET /api/floor` (the floor: the last stage) | 800 | 0.70 |" in text
    assert "| the floor without lesson 7's access log and metrics | 640 | 0.88 |" in text
    assert "- Bottle, to answer hello-world: 60 µs;" in text
    assert "longer answer instead of the ceiling's: 20 µs;" in text
    assert "- everything the last stage runs per request, Bottle included: 280 µs, of " \
        "which lesson 7's access log line and metrics take 160 µs. Without those two, " \
        "the floor would answer about 0.88× the ceiling's" in text
    assert "| Bottle's hello-world | 20 | 60 | 3.0× |" in text
    # 560 / 0.85 - 560 = 99 µs of budget, 1.6 times Bottle's 60 µs
    assert "could cost 99 µs more than the ceiling, 1.6 times" in text


def test_the_json_table_gives_each_answer_both_libraries_and_the_speed_up():
    from benchmarks import json_speed

    text = json_speed.table([("one article", 395, 10.0, 0.8, 7.5, 2.5)], 2000)
    assert "| one article | 395 | 10.0 | 0.8 (12.5× faster) | 7.5 | 2.5 (3.0× faster) |" in text
