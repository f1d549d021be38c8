# %% [markdown]
# # Lesson 6 notebook: caching and performance tuning
#
# Measure first. In this notebook you count the SQL queries behind one
# request at stage 5 and at stage 6, for pages of 1 to 20 articles; read
# SQLite's query plan before and after the lesson's indexes, and time the
# difference as the table grows; watch the cache answer a second read without
# opening the database, and a write clear exactly what it made stale; follow
# an ETag to a bodiless 304. Last, a short Locust load test against both
# stages, served by gunicorn, with their latency percentiles side by side.
#
# **Lesson:** [Lesson 6: Caching and performance tuning](../lessons/06_caching/index.md)
#
# **Needs:** only the project's Python environment, with Locust (the load
# lab's tool) for section 5; without Locust, that section says so and skips.
# Sections 1 to 4 run the app in this process (WebTest). Section 5 starts
# `reference-app serve --prod` on 127.0.0.1, one stage at a time, and stops
# it. Every database is in a temporary folder, removed in the last cell.

# %%
import importlib.util
import json
import re
import secrets
import statistics
import subprocess
import sys
import time

import matplotlib.pyplot as plt
import pandas as pd

from reference_app.caching.store import LIST_TUNED, create_indexes
from reference_app.database.connection import connect
from reference_app.database.store import list_params
from reference_app.query_plans import query_plans
from reference_app.seed import DEMO_PASSWORD, seed

from helpers import Scratch, client_for, count_connections, count_queries

scratch = Scratch()  # a temporary folder for the databases; the last cell removes it
settings = scratch.seeded(users=10, articles=100)
stage5 = client_for(5, settings)
# Stage 6 without its cache first, to count what its queries cost honestly.
tuned = client_for(6, scratch.settings(cache=False))


def selects(statements: list[str]) -> list[str]:
    """The SELECTs among the statements counted: the reads, not the writes."""
    return [s for s in statements if s.lstrip().lower().startswith("select")]


# %% [markdown]
# ## 1. Queries per request: the N+1 problem
#
# `count_queries(app)` records the SQL of every statement the app runs inside
# the block (the hook it listens at is `app.config["database.tracers"]`, in
# lesson 2's plugin). Ask both stages for the newest articles, one page size at a
# time. At stage 5 a count and the page are two queries, and then each
# article on the page costs three of its own (its tags, its author, its
# favourite count): 2 + 3N, the "N+1" pattern. At stage 6 the page is three
# queries whatever its size: a count, the page with everything joined, and all
# the page's tags at once.

# %%
rows = []
for limit in (1, 5, 10, 20):
    counts = {}
    for stage, client in (("stage 5", stage5), ("stage 6", tuned)):
        with count_queries(client.app) as statements:
            client.get(f"/api/articles?limit={limit}")
        counts[stage] = len(selects(statements))
    rows.append({"articles on the page": limit, **counts})
queries = pd.DataFrame(rows).set_index("articles on the page")
queries

# %%
ax = queries.plot(marker="o", figsize=(7, 3.5), color=["tab:red", "tab:green"])
for stage, offset in (("stage 5", 6), ("stage 6", -14)):  # stage 6's labels below its line
    for limit, count in queries[stage].items():
        ax.annotate(str(count), (limit, count), textcoords="offset points", xytext=(0, offset),
                    ha="center")
ax.set_ylabel("SELECT statements for one request")
ax.set_ylim(-8, queries.values.max() * 1.2)
ax.set_xticks(queries.index)
ax.set_title("GET /api/articles?limit=N: stage 5 grows with N, stage 6 stays at 3")
plt.show()

# %% [markdown]
# Which queries? Group the stage-5 statements for a page of 20 by their shape
# (numbers replaced by `?`). Three of them run once per article:

# %%
with count_queries(stage5.app) as statements:
    stage5.get("/api/articles?limit=20")


def shape(sql: str) -> str:
    """One line of SQL with its numbers taken out: statements of one shape group."""
    return re.sub(r"\b\d+\b", "?", " ".join(sql.split()))[:90]


pd.Series([shape(s) for s in selects(statements)]).value_counts().rename(
    "times").rename_axis("statement (stage 5, one page of 20)").to_frame()

# %% [markdown]
# ## 2. Indexes: what SQLite plans to do
#
# The stage-6 list query asks for the newest articles first. Without an
# index on `created_at`, SQLite has to read every article, work out each one's
# row (its favourite count included), sort them all in a temporary B-tree,
# and only then keep 20. `EXPLAIN QUERY PLAN` says so: `SCAN a` and
# `USE TEMP B-TREE FOR ORDER BY`. `query_plans(db)` (in
# `reference_app/query_plans.py`) asks for the plans of the queries lesson 6 tunes.
#
# Below, a database of 4,000 articles that no stage-6 app has touched yet, so
# it has no indexes of ours, then the same plans after `create_indexes`.

# %%
big = scratch.seeded("big.db", users=50, articles=4000)
db = connect(big.database)
before = query_plans(db)
db.close()
create_indexes(big.database)
# A new connection: one that asked before may keep its old plan in its
# statement cache. (The app opens a connection per request anyway.)
db = connect(big.database)
after = query_plans(db)
db.close()
plan = {"before the indexes": before["newest articles"],
        "after create_indexes": after["newest articles"]}
longest = max(len(lines) for lines in plan.values())
pd.DataFrame({name: lines + [""] * (longest - len(lines)) for name, lines in plan.items()})

# %% [markdown]
# Read the first and the last lines: `SCAN a USING INDEX articles_newest`
# walks the index from the newest end and can stop after 20 rows, and the
# temporary B-tree is gone. The favourite count changed too: `SCAN f` (every
# favourite, once per article) became `SEARCH f USING COVERING INDEX
# favorites_by_article`. The same three checks for every tuned query:

# %%
pd.DataFrame([{
    "query": name,
    "sorts in a temp B-tree": [any("TEMP B-TREE" in line for line in plans[name])
                               for plans in (before, after)],
    "scans all favourites": [any(line == "SCAN f" for line in plans[name])
                             for plans in (before, after)],
    "our indexes used": [sorted({m for line in plans[name]
                                 for m in re.findall(r"INDEX (\w+)", line)
                                 if not m.startswith("sqlite_autoindex")})
                         for plans in (before, after)],
} for name in before]).set_index("query").map(lambda pair: f"{pair[0]} -> {pair[1]}")

# %% [markdown]
# What the plan costs, in time: the newest-first query on databases of 1,000,
# 2,000 and 4,000 articles, without and with the indexes. Each time is the
# median of three runs on one connection. The seed gives popular articles many
# favourites, as real data does; without an index, every article's favourite
# count scans the whole favourites table, so the time grows with the square of
# the data. (With 16,000 articles this cell took 46 s here, nearly all of it
# without the index.)


# %%
def median_ms(db, sql: str, params: dict, runs: int = 3) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        list(db.query(sql, params))
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


newest = {**list_params(tag=None, author=None, favorited=None, limit=20, offset=0),
          "viewer": None}
rows = []
for articles in (1000, 2000, 4000):
    sized = scratch.seeded(f"sized-{articles}.db", users=50, articles=articles)
    timing = {"articles": articles}
    for label in ("no index", "with the indexes"):
        if label == "with the indexes":
            create_indexes(sized.database)
        db = connect(sized.database)
        timing[label] = median_ms(db, LIST_TUNED, newest)
        db.close()
    rows.append(timing)
timings = pd.DataFrame(rows).set_index("articles")
timings.round(3)

# %%
ax = timings.plot(marker="o", figsize=(7, 3.5), color=["tab:red", "tab:green"])
ax.set_ylabel("ms for the newest 20 (median)")
ax.set_xticks(timings.index)
ax.set_title("Without an index the query grows with the table; with one it does not")
plt.show()

# %% [markdown]
# ## 3. The cache at work
#
# Stage 6 also keeps hot anonymous reads in a cache (here in this process's
# memory; with `REDIS_URL` set, in Redis, shared by every worker). Count two
# things for each request: the database connections opened and the SQL
# statements run. A read that the cache answers opens no connection at all.
#
# Then write: a new article, with a tag. The write forgets exactly what it
# made stale: every cached list (it bumps a "generation" number that is part
# of each list's key) and the tag list. The cached article it did not touch
# stays cached.


# %%
cached = client_for(6, settings)  # the cache is on by default
token = cached.post_json("/api/users/login", {"user": {
    "email": "demo@stagecraft.dev", "password": DEMO_PASSWORD}}).json["user"]["token"]
auth = {"Authorization": f"Token {token}"}
steps = [("GET", "/api/tags"), ("GET", "/api/tags"),
         ("GET", "/api/articles"), ("GET", "/api/articles"),
         ("GET", "/api/articles/why-sqlite"), ("GET", "/api/articles/why-sqlite"),
         ("POST", "/api/articles"),
         ("GET", "/api/articles"), ("GET", "/api/tags"), ("GET", "/api/articles/why-sqlite")]
rows = []
for method, path in steps:
    with count_connections(cached.app) as opened, count_queries(cached.app) as statements:
        if method == "POST":
            cached.post_json(path, {"article": {"title": "Fresh", "description": "d",
                                                "body": "b", "tagList": ["fresh"]}},
                             headers=auth)
        else:
            cached.get(path)
    rows.append({"request": f"{method} {path}", "connections": len(opened),
                 "SELECTs": len(selects(statements)),
                 "answered from": ("the cache" if not opened else "the database: a write"
                                   if method == "POST" else "the database")})
pd.DataFrame(rows)

# %% [markdown]
# A logged-in reader never gets the shared copy: their answer carries
# `favorited` and `following`, which are theirs alone. So a list with a token
# costs the three queries, plus one to look up whose token it is.

# %%
with count_connections(cached.app) as opened, count_queries(cached.app) as statements:
    cached.get("/api/articles?limit=20", headers=auth)
print(f"GET /api/articles?limit=20 with a token: {len(opened)} connection, "
      f"{len(selects(statements))} SELECTs")

# %% [markdown]
# ## 4. ETags: "you already have it"
#
# Stage 6 gives every API answer an `ETag`, a hash of its exact bytes. A
# client that kept the answer sends the tag back in `If-None-Match`; if the
# answer is still the same, it gets `304 Not Modified` and no body. After an
# edit the hash changes, so the old tag no longer matches and the new body
# comes back. Stage 5 sends no ETag, so a client must download it all again.

# %%
path = "/api/articles/what-a-web-server-does"  # one of demo's own articles
first = cached.get(path)
etag = first.headers["ETag"]
again = cached.get(path, headers={"If-None-Match": etag})
cached.put_json(path, {"article": {"body": "Edited, so the bytes change."}}, headers=auth)
edited = cached.get(path, headers={"If-None-Match": etag})
old_stage = stage5.get(path, headers={"If-None-Match": etag})
rows = []
for what, response in [("stage 6, first GET", first), ("stage 6, If-None-Match: that ETag",
                                                       again),
                       ("stage 6, same If-None-Match, after an edit", edited),
                       ("stage 5, same If-None-Match", old_stage)]:
    rows.append({"request": what, "status": response.status,
                 "ETag": response.headers.get("ETag", ""),
                 "Cache-Control": response.headers.get("Cache-Control", ""),
                 "body bytes": len(response.body)})
pd.DataFrame(rows)

# %% [markdown]
# `Cache-Control: public, no-cache` lets a browser or a shared cache keep the
# answer, on condition that it asks first ("no-cache" means "revalidate", not
# "do not store"). A 304 saves the bytes on the wire; the server still works
# out the answer to hash it, which is why the server-side cache of section 3
# matters too.
#
# ## 5. Under load: Locust against stage 5 and stage 6
#
# The numbers so far count work. A load test measures what users feel:
# latency, while many requests arrive together. Each stage is served for
# real: `reference-app serve --prod`, gunicorn with one worker, on a free
# port of 127.0.0.1, on a database of 5,000 articles of its own (stage 6
# adds its indexes to its copy when it starts). Locust then plays 10 anonymous
# readers for 5 seconds. Each reader sends a request every 50 ms, or as soon
# as the last answer arrives if that took longer: three in four ask for the
# newest 20 articles, one in four for one article.
#
# **Why Locust runs in a process of its own.** Locust is built on gevent, and
# `import locust` calls `gevent.monkey.patch_all()`, which swaps `socket`,
# `threading`, `time.sleep` and more for cooperative versions, for the whole
# process. A Jupyter kernel is already running threads of its own on the
# originals: when we imported Locust in this kernel, even as the very first
# line, the kernel stopped answering. So the cell below writes a small
# script that uses Locust as a library (`Environment`,
# `create_local_runner()`, a `FastHttpUser`), and runs it with this Python in
# a subprocess, which prints every response time as JSON.

# %%
LOCUST_SCRIPT = '''
"""Load one server with Locust, as a library; print the response times as JSON."""
import json
import sys

import gevent
from locust import FastHttpUser, constant_pacing, task
from locust.env import Environment

host, seconds, users = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])


class Reader(FastHttpUser):
    wait_time = constant_pacing(0.05)  # at most one request every 50 ms per user

    @task(3)
    def newest_articles(self):
        self.client.get("/api/articles?limit=20", name="/api/articles?limit=20")

    @task(1)
    def one_article(self):
        self.client.get("/api/articles/why-sqlite", name="/api/articles/[slug]")


times = []  # milliseconds, one per successful response


def on_request(response_time, exception, **_):
    if exception is None:
        times.append(response_time)


env = Environment(user_classes=[Reader], host=host)
env.events.request.add_listener(on_request)
runner = env.create_local_runner()
runner.start(users, spawn_rate=users)
gevent.spawn_later(seconds, runner.quit)
runner.greenlet.join()
total = env.stats.total
print(json.dumps({"times": times, "requests": total.num_requests,
                  "failures": total.num_failures,
                  "seconds": total.last_request_timestamp - total.start_time}))
'''
load_script = scratch.folder / "load.py"
load_script.write_text(LOCUST_SCRIPT)
have_locust = importlib.util.find_spec("locust") is not None  # looks, without importing it
print("Locust is installed." if have_locust else
      "Locust is not installed in this Python: section 5 is skipped. "
      "Install it with: pip install locust")


# %% [markdown]
# `scratch.serve(stage, database)` starts `serve --prod` with the project's one
# server helper (`reference_app.servers`, which the tests, the benchmark and the
# load lab use too): in a process group of its own, on a free port of
# 127.0.0.1. It returns once gunicorn says "Listening at", and when the `with`
# block ends it stops the whole group with SIGTERM, the graceful stop (lesson 7
# looks at it closely).


# %%
def load_test(stage: int, seconds: float = 5, users: int = 10, **env) -> dict:
    """Seed a database, serve ``stage``, run the Locust script against it; its results."""
    database = scratch.folder / f"load-stage{stage}-{secrets.token_hex(4)}.db"  # a fresh one
    seed(str(database), settings, users=50, articles=5000)
    # One worker and only reads: its own cache cannot go stale, so keep it
    # (production caches only in Redis unless told so; lesson 6 explains).
    env = {"STAGECRAFT_CACHE_ALLOW_STALE": "true", **env}
    with scratch.serve(stage, database, workers=1, **env) as server:
        done = subprocess.run([sys.executable, str(load_script), server.url, str(seconds),  # noqa: S603
                               str(users)], capture_output=True, text=True,
                              timeout=seconds + 30)
    if done.returncode:
        raise RuntimeError(f"the Locust script failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def summary(results: dict) -> dict:
    times = pd.Series(results["times"])
    return {"requests": results["requests"], "failures": results["failures"],
            "req/s": round(results["requests"] / results["seconds"], 1),
            **{f"p{q}": round(times.quantile(q / 100), 1) for q in (50, 95, 99)},
            "max": round(times.max(), 1)}


# %%
if have_locust:
    runs = {f"stage {stage}": load_test(stage) for stage in (5, 6)}
    load = pd.DataFrame.from_dict({name: summary(results) for name, results in runs.items()},
                                  orient="index")
load if have_locust else "Skipped: Locust is not installed."

# %% [markdown]
# Percentiles, in milliseconds: p50 is the time within which half the requests
# were answered; p99, the time that only 1 in 100 took longer than. The tail
# (p95, p99) is what the unluckiest users see, and what grows first when a
# server falls behind, because requests start to queue behind each other.

# %%
if have_locust:
    percentiles = load[["p50", "p95", "p99"]].T
    ax = percentiles.plot.bar(rot=0, figsize=(8, 3.8), color=["tab:red", "tab:green"])
    for bars in ax.containers:
        ax.bar_label(bars, fmt="%.0f", fontsize="small")
    ax.set_ylabel("response time, ms")
    ax.set_title("10 readers for 5 s, one gunicorn worker: latency percentiles per stage")
    plt.show()
else:
    print("No load test ran (Locust is not installed), so there is nothing to plot.")

# %% [markdown]
# Your numbers will differ from run to run and from machine to machine: this
# is a 5-second run on a shared machine, with Locust, gunicorn and Jupyter on
# the same cores. What holds is the shape: stage 5 spends its time on dozens
# of queries and a sort of every article for each list, so it answers more
# slowly, falls behind the offered load sooner, and grows a longer tail. For a
# real measurement, use the load lab: longer runs, more users, and a check
# that Locust itself was not the bottleneck.
#
# ## Try this
#
# Each cell below runs as it is. Change it and run it again.
#
# **1.** Count the queries of other requests at both stages: a tag filter,
# one article, its comments, or the list as a logged-in reader.

# %%
for path in ("/api/articles?tag=sql&limit=10", "/api/articles/why-sqlite/comments"):
    for name, client in (("stage 5", stage5), ("stage 6", tuned)):
        with count_queries(client.app) as statements:
            client.get(path)
        print(f"{name}  {path}: {len(selects(statements))} SELECTs")

# %% [markdown]
# **2.** Drop an index and read the plan again. Which line changes? (Stage 6
# makes its indexes again on its next start: `create if not exists`.)

# %%
db = connect(big.database)
db.execute("drop index if exists articles_newest")
print("\n".join(line for line in query_plans(db)["newest articles"]
                if line.startswith("SCAN") or "TEMP" in line))
db.close()

# %% [markdown]
# **3.** How much of stage 6's gain is the cache, and how much the three
# queries and the indexes? Load stage 6 again with its cache turned off
# (`STAGECRAFT_CACHE=false`), for 3 seconds.

# %%
if have_locust:
    no_cache = load_test(6, seconds=3, STAGECRAFT_CACHE="false")
    print(pd.DataFrame.from_dict({"stage 6, no cache": summary(no_cache)}, orient="index"))
else:
    print("Skipped: Locust is not installed.")

# %% [markdown]
# ## Clean up
#
# Every server stopped when its `with` block ended. Remove the temporary
# folder with the databases and the Locust script.

# %%
scratch.cleanup()
