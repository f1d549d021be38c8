"""gunicorn's settings for `reference-app serve --prod` (lesson 7).

`serve --prod` passes --bind, and --workers when given; everything else is here.
"""

import logging
import multiprocessing
import os

from prometheus_client import multiprocess

bind = "127.0.0.1:8000"  # this machine only; serve --prod --host/--port change it

# These requests are CPU work, so about one worker process per core, plus one
# to cover a worker waiting on the disk. More workers than that only queue for
# the same cores and for SQLite's single writer: the load lab measures it.
# WEB_CONCURRENCY is the usual override.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1))

# Slow clients. CHOSEN: serve --prod holds against a few slow clients by
# itself; against many, put nginx in front (deploy/nginx), which reads every
# request whole before the app sees it. A "sync" worker serves one connection
# at a time: three clients that sent half a request and waited stalled all
# three workers for 30 s, until gunicorn killed them. A "gthread" worker reads
# requests in a pool of threads, so a half-sent request holds one thread, not
# the worker. A worker takes no more connections than it has threads, so a new
# request always goes to a worker with a thread free: it takes workers x
# threads half-sent requests (12 with 3 workers) to stall this server. nginx
# held against many more. tests/test_deployment.py::
# test_half_sent_requests_do_not_stall_serve_prod measures it. The threads
# share the GIL: they add no speed to CPU work.
worker_class = "gthread"
threads = 4
worker_connections = threads
# No keep-alive: an idle connection would hold one of those few places. (The
# sync worker kept none either; nginx in front keeps them for its clients.)
keepalive = 0

timeout = 30            # a worker whose main loop is silent for longer is replaced
graceful_timeout = 20   # on SIGTERM, in-flight requests get this long to finish

# Recycle a worker now and then, so a slow memory leak never grows for long.
# Rarely, though: a restart costs a fork and an app build, and empties that
# worker's in-process cache, if it has one. At 2,000 a busy worker restarted
# every few seconds.
max_requests = 100_000
max_requests_jitter = 10_000

# Each worker builds its own app after the fork, so no SQLite connection (or
# socket) is ever shared between processes.
preload_app = False

# gunicorn 27 opens a control socket in ~/.gunicorn unless told not to.
control_socket_disable = True

# The app writes its own JSON access log (logs.py); gunicorn keeps none.
# server.py hands gunicorn the app's logging setup (logs.LOGGING), so
# gunicorn's own messages come out as the same JSON lines.
accesslog = None

# The logging module's own advice for speed: do not look up which line made
# each log call, nor record thread and process details. The JSON lines use
# none of them, and the access log writes one line per request.
logging._srcfile = None
logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False

# Believe X-Forwarded-Proto only from a proxy on this machine (nginx).
forwarded_allow_ips = "127.0.0.1"


# Metrics (metrics.py): every worker writes its numbers to files in the folder
# PROMETHEUS_MULTIPROC_DIR, which serve --prod makes fresh for each run. When a
# worker exits (recycled, crashed or killed), the master removes its "live"
# gauge file, so the requests it had in progress stop counting; its counters
# and histograms stay, because what it counted did happen.
def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(worker.pid)
