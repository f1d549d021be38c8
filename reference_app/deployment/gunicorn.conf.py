"""gunicorn's settings for `reference-app serve --prod` (lesson 7).

`serve --prod` passes --bind, and --workers when given; everything else is here.
"""

import logging
import multiprocessing
import os

bind = "127.0.0.1:8000"  # this machine only; serve --prod --host/--port change it

# Sync workers each handle one request at a time and these requests are CPU
# work, so about one per core, plus one to cover a worker waiting on the disk.
# More workers than that only queue for the same cores and for SQLite's single
# writer: the load lab measures it. WEB_CONCURRENCY is the usual override.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1))
worker_class = "sync"

timeout = 30            # a worker silent for longer is killed and replaced
graceful_timeout = 20   # on SIGTERM, in-flight requests get this long to finish
keepalive = 2
# Recycle a worker now and then, so a slow memory leak never grows for long.
# Rarely, though: a restart costs a fork and an app build, and empties that
# worker's in-process cache. At 2,000 a busy worker restarted every few seconds.
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
