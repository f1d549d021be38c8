# %% [markdown]
# # Lesson 7 notebook: deployment
#
# At stage 7 the app runs for real: `reference-app serve --prod` starts
# gunicorn, a master process and its workers. In this notebook you start it as
# a separate process, send it requests over HTTP with and without a request
# id, read its JSON access log as a table, and read the same requests again
# as metrics, the numbers Prometheus scrapes, down to a latency histogram. You
# ask it whether it is alive and whether it is ready, take a backup of the
# live database and check it, see a restore refuse to overwrite live data,
# and then stop the server gracefully and read how gunicorn winds down.
#
# **Lesson:** [Lesson 7: Deployment](../lessons/07_deployment/index.md)
#
# **Needs:** only the project's Python environment (gunicorn is part of it).
# Everything listens on 127.0.0.1, and every server this notebook starts, it
# stops. Section 5 also uses `redis-server` if it is installed, to show a
# readiness check failing; without it, that cell says so and moves on. The
# database and the backups are in a temporary folder, removed in the last cell.

# %%
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import matplotlib.pyplot as plt
import pandas as pd
from prometheus_client.parser import text_string_to_metric_families

from reference_app.deployment.backups import integrity
from reference_app.seed import DEMO_PASSWORD
from reference_app.servers import redis_server

from helpers import Scratch, request

scratch = Scratch()  # a temporary folder for the database and the backups
database = scratch.seeded(users=10, articles=60).database
# What a deployment puts in the server's environment: settings are environment
# variables (12-factor), the signing key above all. Argon2 is kept cheap here.
environment = scratch.environment()
# `python -m reference_app` is the `reference-app` command, run with this Python.
CLI = [sys.executable, "-m", "reference_app"]


# %%
# Tools for talking to a running server, and for reading what it writes.
def log_entries(server) -> list[dict]:
    """The JSON lines of its output, parsed; the one plain line (from the CLI) as text."""
    return [json.loads(line) if line.startswith("{") else {"message": line}
            for line in server.lines]


def wait_for(server, check, seconds: float = 10) -> None:
    """Wait until ``check(log_entries(server))`` is true: log lines come just after answers."""
    deadline = time.monotonic() + seconds
    while not check(log_entries(server)) and time.monotonic() < deadline:
        time.sleep(0.05)


def short(text: str) -> str:
    """Text with this notebook's temporary folder written as $TMP, to keep tables narrow."""
    return text.replace(str(scratch.folder), "$TMP")


def log_table(entries: list[dict], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(entries).reindex(columns=columns).fillna("")


# %% [markdown]
# ## 1. Start the production server
#
# `serve --prod` checks the settings once (a missing or weak
# `STAGECRAFT_JWT_SECRET` is one clear line, not a crash in every worker),
# creates the schema and the indexes, and then runs gunicorn in its own
# process: the master. The master binds the port and forks the workers; each
# worker builds its own app, so no database connection is ever shared across
# a fork. Everything it says is one JSON object per line, on standard output,
# where a process supervisor or a container runtime collects it.

# %%
server = scratch.serve(workers=2)  # on this notebook's database; see notebooks/helpers.py
wait_for(server, lambda log: sum("Booting worker" in e["message"] for e in log) == 2)
print("$ reference-app", short(" ".join(server.command[3:])))
log_table(log_entries(server), ["time", "level", "logger", "message"])

# %% [markdown]
# Three processes: the master, which only supervises, and two workers, which
# answer requests. The log says which is which:

# %%
processes = [{"role": "master", "pid": server.process.pid}]
processes += [{"role": f"worker {n}", "pid": int(e["message"].split("pid: ")[1].rstrip(")"))}
              for n, e in enumerate((e for e in log_entries(server)
                                     if "Booting worker" in e["message"]), 1)]
pd.DataFrame(processes).set_index("role")

# %% [markdown]
# ## 2. Requests, with and without a request id
#
# Every answer carries an `X-Request-ID`. A proxy in front (nginx) or a
# client may send one, so that a request can be followed through every
# system it touches; without one, the app makes one up. An id that could
# forge a log line (spaces, a newline, anything long) is replaced.

# %%
status, headers, body = request(server, "POST", "/api/users/login", {"user": {
    "email": "demo@stagecraft.dev", "password": DEMO_PASSWORD}},
    headers={"X-Request-ID": "notebook-login"})
token = body["user"]["token"]
rows = [{"request": "POST /api/users/login", "X-Request-ID sent": "notebook-login",
         "status": status, "X-Request-ID received": headers["X-Request-ID"]}]
calls = [("GET", "/api/tags", None, {}),
         ("GET", "/api/articles?limit=2", "notebook-1", {}),
         ("GET", "/api/user?debug=1", None, {"Authorization": f"Token {token}"}),
         ("GET", "/api/nope", "notebook-404", {}),
         ("GET", "/api/tags", "has space", {})]
for method, path, request_id, extra in calls:
    sent = {"X-Request-ID": request_id} if request_id else {}
    status, headers, _ = request(server, method, path, headers={**extra, **sent})
    rows.append({"request": f"{method} {path}", "X-Request-ID sent": request_id or "",
                 "status": status, "X-Request-ID received": headers["X-Request-ID"]})
pd.DataFrame(rows)

# %% [markdown]
# ## 3. The access log, as a table
#
# Each worker writes one JSON line per request. Fields, not sentences: a log
# system can filter on `status`, follow one `request_id`, or add up
# `duration_ms`. Here, pandas does it. Note what is not there: no query
# string (`?debug=1` is gone), no headers, no body, so no token and no
# password.

# %%
wait_for(server, lambda log: sum(e.get("logger") == "reference_app.access" for e in log) >= 6)
access = pd.DataFrame([e for e in log_entries(server) if e.get("logger") == "reference_app.access"])
access[["time", "request_id", "method", "path", "status", "duration_ms", "client"]]

# %%
everything = "\n".join(server.lines)
pd.Series({"the token": token in everything, "the password": DEMO_PASSWORD in everything,
           "the query string ?debug=1": "debug=1" in everything},
          name="appears anywhere in the server's output").to_frame()

# %% [markdown]
# ### Logs are data
#
# Send 200 requests from 8 threads at once, a mix of lists, articles, tags and
# a few missing pages, then ask the log the questions an operator asks: how
# many of each, how many errors, how slow.

# %%
paths = (["/api/articles?limit=20"] * 3 + ["/api/articles/why-sqlite"] * 2 + ["/api/tags"]
         + ["/api/articles/no-such-article"])
with ThreadPoolExecutor(max_workers=8) as pool:
    statuses = list(pool.map(lambda n: request(server, "GET", paths[n % len(paths)])[0],
                             range(200)))
wait_for(server, lambda log: sum(e.get("logger") == "reference_app.access" for e in log)
                >= len(access) + 200)
access = pd.DataFrame([e for e in log_entries(server) if e.get("logger") == "reference_app.access"])
by_path = access.tail(200).groupby("path").agg(
    requests=("status", "size"), errors=("status", lambda s: int((s >= 400).sum())),
    median_ms=("duration_ms", "median"), p95_ms=("duration_ms", lambda d: d.quantile(0.95)))
by_path.round(2)

# %%
ax = by_path[["median_ms", "p95_ms"]].plot.barh(figsize=(8, 3), color=["tab:blue", "tab:orange"])
ax.set_xlabel("milliseconds inside the app (duration_ms from the access log)")
ax.set_ylabel("")
ax.set_title("200 requests, read back from the JSON access log")
plt.show()

# %% [markdown]
# Fractions of a millisecond: most of these answers came from stage 6's cache.
# `duration_ms` is the time inside the app only. The time a request waited
# for a free worker, or spent on the network, is not in it: that is what a
# load test (lesson 6) or the proxy's own log measures.
#
# ## 4. Metrics: what Prometheus would scrape
#
# A log line per request is too much to read all the time. `GET /metrics`
# keeps a few numbers per route instead, which a monitoring system such as
# Prometheus fetches every few seconds: a counter of requests by route and
# status, and a histogram of their durations. The label is the route's rule,
# so both slugs above count as one route, and the missing article is a 404 of
# that route. Two workers answered those requests, and one of them answers
# this scrape: in the library's multiprocess mode, it adds up the files that
# both workers write.


# %%
def scrape(server) -> pd.DataFrame:
    """Every sample of GET /metrics, one row each: its name, its labels, its value."""
    _, _, text = request(server, "GET", "/metrics")
    return pd.DataFrame([{"name": sample.name, **sample.labels, "value": sample.value}
                         for family in text_string_to_metric_families(text)
                         for sample in family.samples])


metrics = scrape(server)
counts = metrics[metrics["name"] == "stagecraft_http_requests_total"]
counts.pivot_table(index=["method", "route"], columns="status", values="value",
                   aggfunc="sum", fill_value=0).astype(int)

# %% [markdown]
# Now a burst of 300 requests for a list, from 8 threads at once, timed by the
# client as a load test times them. The histogram before and after the burst,
# subtracted, is the burst's own histogram: how many requests ended in each
# bucket.


# %%
ROUTE = "/api/articles"


def cumulative(metrics: pd.DataFrame, route: str) -> pd.Series:
    """The histogram of ``route``: requests at or under each bound, in seconds."""
    rows = metrics[(metrics["name"] == "stagecraft_http_request_duration_seconds_bucket")
                   & (metrics["route"] == route) & (metrics["method"] == "GET")]
    return rows.set_index(rows["le"].astype(float))["value"].sort_index()


def timed(_) -> float:
    started = time.perf_counter()
    request(server, "GET", ROUTE + "?limit=20")
    return (time.perf_counter() - started) * 1000


before = cumulative(scrape(server), ROUTE)
logged_before = sum(e.get("path") == ROUTE for e in log_entries(server))
with ThreadPoolExecutor(max_workers=8) as pool:
    client_ms = pd.Series(list(pool.map(timed, range(300))))
burst = cumulative(scrape(server), ROUTE).sub(before, fill_value=0)
in_bucket = burst.diff().fillna(burst)  # cumulative counts into counts per bucket
labels = [f"≤ {bound * 1000:g} ms" if bound != float("inf") else "more" for bound in burst.index]
ax = pd.Series(in_bucket.values, index=labels).plot.bar(figsize=(8, 3), rot=45, color="tab:blue")
ax.set_ylabel("requests")
ax.set_xlabel("time inside the app, by histogram bucket")
ax.set_title(f"300 requests to GET {ROUTE}, from GET /metrics")
plt.show()


# %% [markdown]
# Prometheus turns such buckets into percentiles with `histogram_quantile`:
# it finds the bucket that holds the 95th percentile, then guesses linearly
# within it. The function below does the same, on the burst. Beside it, the
# same percentiles from the access log (inside the app too, but exact), and
# from the client's own clock, which is what the load lab's Locust reports.


# %%
def histogram_quantile(q: float, cumulative: pd.Series) -> float:
    """Prometheus's estimate of quantile ``q`` from a cumulative histogram."""
    rank, lower, below = q * cumulative.iloc[-1], 0.0, 0.0
    for bound, count in cumulative.items():
        if count >= rank:
            if bound == float("inf"):
                return lower  # above the last bound: Prometheus answers the last bound
            return lower + (bound - lower) * (rank - below) / (count - below)
        lower, below = bound, count
    return float("nan")


wait_for(server, lambda log: sum(e.get("path") == ROUTE for e in log) >= logged_before + 300)
logged = pd.Series([e["duration_ms"] for e in log_entries(server)
                    if e.get("path") == ROUTE][logged_before:])
percentiles = pd.DataFrame({
    f"p{int(q * 100)}": {
        "the app's histogram (/metrics, estimated)": histogram_quantile(q, burst) * 1000,
        "the access log (duration_ms, exact)": logged.quantile(q),
        "the client's clock (like Locust)": client_ms.quantile(q)}
    for q in (0.5, 0.95, 0.99)})
percentiles.round(2).rename_axis("ms, for the same 300 requests")

# %% [markdown]
# The first two agree to within a bucket: the histogram trades precision for
# numbers that add up across workers and instances. The client's are larger:
# its clock also runs while a request crosses the network and waits for a free
# worker thread, which the app never sees. That is why a team watches both:
# the app's histogram says which route is slow, and the view from outside
# (a load test, nginx's log, real users' browsers) says what users wait.
#
# ## 5. Alive and ready
#
# Two questions a load balancer or an orchestrator asks, again and again.
# `/healthz`: is the process alive? It checks nothing else, so a slow
# database never gets a healthy process restarted. `/readyz`: can it do its
# job right now? It checks the database (and the shared cache, when one is
# configured), and answers 503 when it cannot, so that traffic goes
# elsewhere until it can.

# %%
rows = []
for path in ("/healthz", "/readyz"):
    status, _, body = request(server, "GET", path)
    rows.append({"request": f"GET {path}", "status": status, "body": json.dumps(body)})
pd.DataFrame(rows)

# %% [markdown]
# With a shared cache configured (`REDIS_URL`), `/readyz` checks it too. The
# cell below starts a `redis-server` of its own, on a free port of
# 127.0.0.1, and a second app server that uses it, then stops Redis to see
# readiness fail while the process stays alive. Both are stopped at the end
# of the cell, whatever happens.

# %%
if shutil.which("redis-server") is None:
    print("redis-server is not installed (Debian: apt-get install redis-server), so this "
          "cell skips the Redis readiness check. Nothing else in this notebook needs it.")
else:
    rows = []
    with redis_server(scratch.folder) as redis, \
            scratch.serve(workers=1, REDIS_URL=redis.url) as with_redis:
        for moment in ("Redis running", "Redis stopped"):
            if moment == "Redis stopped":
                redis.stop()
            for path in ("/healthz", "/readyz"):
                status, _, body = request(with_redis, "GET", path)
                rows.append({"when": moment, "request": f"GET {path}", "status": status,
                             "body": json.dumps(body)})
    print(pd.DataFrame(rows).to_string(index=False))

# %% [markdown]
# ## 6. A backup, checked
#
# Copying the database file with `cp` while the server writes can catch it
# half-written, and misses whatever still sits in the `-wal` file.
# `reference-app backup` uses SQLite's online backup API: a consistent
# snapshot, taken while the server keeps running, then checked with
# `PRAGMA integrity_check` before it is put in place.


# %%
def cli(*args: str) -> dict:
    """Run `reference-app ARGS` in its environment; its exit status and what it said."""
    done = subprocess.run([*CLI, *args], capture_output=True, text=True,  # noqa: S603
                          env=environment, timeout=60)
    return {"command": short(" ".join(["reference-app", *args])),
            "exit status": done.returncode, "said": short((done.stderr or done.stdout).strip())}


backups = scratch.folder / "backups"
backups.mkdir()
backup_file = backups / "stagecraft-backup.db"
took_backup = cli("backup", str(backup_file), "--db", str(database))
pd.DataFrame([took_backup])

# %% [markdown]
# A backup you have never opened is a hope, not a backup. Open it: SQLite's
# integrity check, and the rows of every table, compared with the live
# database (the server is idle now, so they must be equal). It is one
# self-contained file, with no `-wal` beside it.

# %%
live, copy = sqlite3.connect(database), sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)
tables = [name for (name,) in live.execute(
    "select name from sqlite_master where type = 'table' order by name")]
counts = pd.DataFrame({
    "live database": [live.execute(f"select count(*) from {t}").fetchone()[0]  # noqa: S608
                      for t in tables],
    "backup": [copy.execute(f"select count(*) from {t}").fetchone()[0]  # noqa: S608
               for t in tables]}, index=tables)
live.close()
copy.close()
counts["equal"] = counts["live database"] == counts["backup"]
print("integrity_check of the backup:", integrity(backup_file))
print("files in backups/:", sorted(path.name for path in backups.iterdir()))
counts

# %% [markdown]
# The CLI refuses what would lose data, in one line each, with a non-zero exit
# status: a second backup onto the first, and a restore over a database that
# holds data, unless you say `--force`. A restore into a new file is allowed,
# and is how you test that a backup restores.

# %%
restored = scratch.folder / "restored.db"
attempts = pd.DataFrame([
    cli("backup", str(backup_file), "--db", str(database)),
    cli("restore", str(backup_file), "--db", str(database)),
    cli("restore", str(backup_file), "--db", str(restored)),
])
check = sqlite3.connect(restored)
print("articles in restored.db:", check.execute("select count(*) from articles").fetchone()[0])
check.close()
attempts

# %% [markdown]
# ## 7. A graceful stop
#
# A deploy replaces the running server with a new one. The supervisor sends
# the master SIGTERM; the master stops accepting connections, tells each
# worker to finish the request in hand (up to `graceful_timeout`, 20 s), waits
# for them, and exits. Nothing in flight is cut off. (SIGKILL, in contrast,
# ends everything mid-request: lesson 7's tests show that the data survives it
# all the same.)

# %%
started = time.monotonic()
server.process.send_signal(signal.SIGTERM)  # to the master, as a process supervisor sends it
server.process.wait(timeout=30)
print(f"exit status {server.process.returncode}, "
      f"{time.monotonic() - started:.2f} s after SIGTERM")
server.stop()  # nothing is left to stop: this reads the last of its log and closes it
shutdown = [e for e in log_entries(server) if e.get("logger") == "gunicorn.error"]
start = next(i for i, e in enumerate(shutdown) if "Handling signal" in e["message"])
log_table(shutdown[start:], ["time", "level", "message"])

# %%
try:
    socket.create_connection(("127.0.0.1", server.port), timeout=1).close()
    print("still listening?!")
except ConnectionRefusedError:
    print(f"Port {server.port}: connection refused. The server is gone.")

# %% [markdown]
# ## Try this
#
# Each cell below runs as it is. Change it and run it again.
#
# **1.** Kill a worker, as a crash or the kernel's out-of-memory killer
# would, and watch the master replace it. The server here is started and
# stopped within the cell.

# %%
with scratch.serve(workers=1) as crashy:  # stopped when the block ends, whatever happens
    wait_for(crashy, lambda log: any("Booting worker" in e["message"] for e in log))
    worker = next(e for e in log_entries(crashy) if "Booting worker" in e["message"])
    os.kill(int(worker["message"].split("pid: ")[1].rstrip(")")), signal.SIGKILL)
    wait_for(crashy, lambda log: sum("Booting worker" in e["message"] for e in log) == 2)
    print("GET /healthz after the crash:", request(crashy, "GET", "/healthz")[0])
log_table([e for e in log_entries(crashy) if "worker" in e["message"].lower()], ["time", "message"])

# %% [markdown]
# **2.** Production refuses to start without a strong signing key. What does
# `serve --prod` say with a short one? With none?

# %%
weak = {**environment, "STAGECRAFT_JWT_SECRET": "changeme"}
done = subprocess.run([*CLI, "serve", "--prod", "--port", "0", "--db", str(database)],  # noqa: S603
                      capture_output=True, text=True, env=weak, timeout=60)
done.returncode, done.stderr.strip()

# %% [markdown]
# **3.** Restore the backup over the live database, this time with
# `--force` (the server is stopped). The comments deleted first come back.

# %%
db = sqlite3.connect(database)
db.execute("delete from comments")
db.commit()
print("comments before the restore:", db.execute("select count(*) from comments").fetchone()[0])
print(cli("restore", str(backup_file), "--db", str(database), "--force")["said"])
print("comments after the restore:", db.execute("select count(*) from comments").fetchone()[0])
db.close()

# %% [markdown]
# ## Clean up
#
# Every server and the Redis of section 5 stopped in their cells.
# `scratch.cleanup()` makes sure (it stops any server a failed cell left
# running), then removes the temporary folder with the database and the backups.

# %%
scratch.cleanup()
