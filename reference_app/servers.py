"""Start a server, wait until it is ready, stop it: for tests, benchmarks, labs, notebooks.

``Server`` runs a command on a free port of 127.0.0.1, in a process group of its
own, its output collected in a file. It returns once the server is ready, raises
``ServerError`` with the end of that output if the server dies or takes too
long, and stops it when its ``with`` block ends: SIGTERM, then SIGKILL to the
whole group (a gunicorn master and its workers alike). The kinds we start:

    with app_server(stage=7, database=path, env=env) as server:   # serve --prod
        urllib.request.urlopen(server.url + "/healthz")           # then server.log
    gunicorn("benchmarks.hello:app", workers=2)   # any WSGI app, with this Python
    redis_server(folder).url                      # "redis://127.0.0.1:PORT/0"
    prometheus_server(folder, [target]).url       # its HTTP API, scraping target each second

Tooling, like cli.py and seed.py: no lesson imports it (import-linter checks).
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess  # nosec B404
import sys
import tempfile
import time
from pathlib import Path

HOST = "127.0.0.1"  # loopback only: nothing started here is reachable from another machine
_running: set[Server] = set()


class ServerError(RuntimeError):
    """A server that exited, or was not ready in time; the message ends with its last lines."""


def free_port() -> int:
    """A port nothing listens on now. (Another program may take it first: rare, and loud.)"""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Server:
    """A server process on a free port of 127.0.0.1, until ``stop()`` or the ``with`` ends.

    ``command`` and ``url`` may say ``{port}``: it becomes the port picked. ``ready``
    is the text the server prints once it listens; without it, the server is ready
    when an HTTP request to ``/`` gets any answer, even a 404. Its output goes to
    the file ``log`` if given (kept), or else to a file with no name.
    """

    def __init__(self, command: list, *, env: dict | None = None, cwd=None, log=None,
                 ready: str | None = None, url: str = "http://127.0.0.1:{port}",
                 timeout: float = 60, grace: float = 30, name: str | None = None):
        self.port = free_port()
        self.command = [str(part).replace("{port}", str(self.port)) for part in command]
        self.url = url.replace("{port}", str(self.port))
        self.name = name or Path(self.command[0]).name
        self.grace = grace
        # A file, not a pipe: the server never waits for a reader, and its log costs it
        # nothing (read through a pipe, the benchmark's access log halved its req/s).
        output = (open(log, "wb") if log else
                  tempfile.NamedTemporaryFile(prefix="server-", suffix=".log", delete=False))
        self._reader = open(output.name, "rb")  # our own handle: reading never moves its writes
        if log is None:
            os.unlink(output.name)  # both handles stay open, and nothing is left behind
        self._output = b""
        with output:  # the server keeps its own copy of the file
            self.process = subprocess.Popen(  # noqa: S603  # nosec B603
                self.command, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=output,
                stderr=subprocess.STDOUT, start_new_session=True)  # its own process group
        _running.add(self)
        self._wait(ready, timeout)

    def _wait(self, ready: str | None, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not (ready in self.log if ready else self.answers()):
            exited = self.process.poll() is not None
            if exited or time.monotonic() > deadline:
                self.stop()
                why = (f"exited with status {self.process.returncode} before it was ready"
                       if exited else f"was not ready after {timeout:g} s")
                tail = "\n".join(self.lines[-20:]) or "(no output)"
                raise ServerError(f"{self.name} {why}. The end of its output:\n{tail}")
            time.sleep(0.05)

    def answers(self) -> bool:
        """Whether an HTTP request to ``/`` gets an answer, whatever its status."""
        connection = http.client.HTTPConnection(HOST, self.port, timeout=2)
        try:
            connection.request("GET", "/")
            connection.getresponse().read()
            return True
        except (OSError, http.client.HTTPException):  # refused, reset, or not HTTP (yet)
            return False
        finally:
            connection.close()

    @property
    def log(self) -> str:
        """Everything the server has written so far."""
        if not self._reader.closed:
            self._output += self._reader.read()
        return self._output.decode(errors="replace")

    @property
    def lines(self) -> list[str]:
        """The output's lines; while the server runs, not the one it is half-way through."""
        text = self.log
        return (text if self.process.poll() is not None else text.rpartition("\n")[0]).splitlines()

    def access_lines(self) -> list[dict]:
        """The app's access log (JSON, one line per request, from ``serve --prod``), parsed."""
        entries = [json.loads(line) for line in self.lines if line.startswith("{")]
        return [entry for entry in entries if entry.get("logger") == "reference_app.access"]

    def stop(self) -> None:
        """Stop it, gracefully if it can (``stop_process``). Safe to call twice."""
        stop_process(self.process, self.grace)
        if not self._reader.closed:  # read the last of its output, then close the file
            self._output += self._reader.read()
            self._reader.close()
        _running.discard(self)

    def kill(self) -> None:
        """SIGKILL to the whole group at once, mid-request: a crash, or a power cut."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(self.grace)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def stop_process(process: subprocess.Popen, grace: float = 30) -> None:
    """SIGTERM to the process, as a supervisor sends it (a gunicorn master then stops
    its workers gracefully); if it still runs after ``grace`` s, SIGKILL to its group."""
    process.send_signal(signal.SIGTERM)  # does nothing if it has exited already
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@atexit.register
def stop_all() -> None:
    """Stop every server still running: when Python exits, or a notebook cleans up."""
    for server in list(_running):
        server.stop()


def app_server(*, stage: int | None = None, database=None, prod: bool = True,
               workers: int | None = None, app: str | None = None, **options) -> Server:
    """The app's own ``python -m reference_app serve [--prod]``; ``options`` are Server's.
    ``serve --prod`` runs gunicorn, and needs ``STAGECRAFT_JWT_SECRET`` in ``env``.
    ``app`` serves another app module (a learner's ``workshop``) the same way."""
    command = [sys.executable, "-m", "reference_app", "serve", *["--prod"] * prod,
               "--host", HOST, "--port", "{port}"]
    for flag, value in (("--stage", stage), ("--db", database), ("--workers", workers),
                        ("--app", app)):
        if value is not None:
            command += [flag, value]
    options.setdefault("name", "serve --prod" if prod else "serve")
    return Server(command, **options)


def gunicorn(app: str, *, workers: int = 2, config: str | None = None, **options) -> Server:
    """gunicorn serving ``app`` ("module:name", or "module:factory(args)"), with this Python."""
    command = [sys.executable, "-m", "gunicorn", *control_socket_flag(),
               "--workers", workers, "--bind", f"{HOST}:{{port}}"]
    command += ["--config", config] if config else []
    options.setdefault("name", "gunicorn")
    return Server([*command, app], **options)


@functools.cache
def control_socket_flag() -> list[str]:
    """gunicorn 23+ opens a control socket in ~/.gunicorn unless told not to; older has no flag."""
    from gunicorn.config import KNOWN_SETTINGS

    return next((s.cli for s in KNOWN_SETTINGS if s.name == "control_socket_disable"), [])


def redis_server(folder, **options) -> Server:
    """A throwaway redis-server: loopback only, saving nothing. ``.url`` is its redis:// URL."""
    if not (program := shutil.which("redis-server")):
        raise ServerError("redis-server is not installed (Debian: apt-get install redis-server)")
    command = [program, "--port", "{port}", "--bind", HOST, "--save", "", "--appendonly", "no",
               "--dir", folder]
    return Server(command, **{"name": "redis-server", "ready": "Ready to accept connections",
                              "url": "redis://127.0.0.1:{port}/0", **options})


def prometheus_server(folder, targets: list[str], *, interval: str = "1s", **options) -> Server:
    """A throwaway Prometheus on loopback that scrapes the ``/metrics`` of each target
    ("127.0.0.1:PORT") every ``interval``, keeping its data in ``folder``."""
    if not (program := shutil.which("prometheus")):
        raise ServerError("prometheus is not installed (Debian: apt-get install prometheus)")
    config = Path(folder) / "prometheus.yml"
    config.write_text(json.dumps({  # JSON is YAML too
        # A scrape may take no longer than the interval between two.
        "global": {"scrape_interval": interval, "scrape_timeout": interval},
        "scrape_configs": [{"job_name": "stagecraft", "static_configs": [{"targets": targets}]}],
    }))
    command = [program, f"--config.file={config}", f"--storage.tsdb.path={Path(folder) / 'data'}",
               "--web.listen-address=127.0.0.1:{port}"]
    ready = "Server is ready to receive web requests"  # its log's word: rules loaded, API up
    return Server(command, **{"name": "prometheus", "ready": ready, **options})
