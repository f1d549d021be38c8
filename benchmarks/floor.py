"""The floor: the last stage's app, answering one API route from a constant.

A request to it still goes through everything lessons 5 to 7 put around every
route: the body check, the plugins, the ETag, the security headers, the request
id, the metrics and the JSON access log line. Only the data work is gone: no
store, no cache lookup, no query. A cache can make a route only as cheap as
this, so in `make bench`:

- the ceiling (hello.py) minus the floor is what that per-request work costs;
- the floor minus cached tags is what the cache itself still costs.

`make bench` serves it as `serve --prod` serves the real app (``python -m
benchmarks.floor``): the same gunicorn settings and logging, and metrics in
multiprocess mode. `python -m benchmarks.profile_floor` takes it apart.
"""

import argparse
import dataclasses
import functools

from reference_app import LAST_STAGE, Settings, create_app
from reference_app.seed import TAGS
from reference_app.serving import metrics_folder

# The answer /api/tags gives for the seeded database: the same twenty names,
# in the same order, so both responses have the same bytes to encode and hash.
ANSWER = {"tags": sorted(TAGS)}


def constant():
    return ANSWER


def build(settings: Settings | None = None, without: frozenset = frozenset()):
    """The last stage in production, with ``GET /api/floor`` added.

    ``without`` names middleware to leave out (``AccessLog``, ``RequestMetrics``):
    cpu_per_request.py measures what they cost a request under gunicorn.
    """
    settings = settings or dataclasses.replace(Settings.from_env(), production=True)
    app = create_app(LAST_STAGE, settings)
    app.route("/api/floor", "GET", constant)
    for middleware in list(app.middleware):
        if getattr(middleware, "__name__", type(middleware).__name__) in without:
            app.remove_middleware(middleware)
    return app


def main(argv=None) -> int:
    """Serve the floor exactly as ``reference-app serve --prod`` serves the app."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.floor")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--without", nargs="*", default=[], metavar="MIDDLEWARE",
                        help="middleware to leave out, by class name")
    args = parser.parse_args(argv)
    with metrics_folder():  # before anything imports prometheus_client, as serve --prod does
        from reference_app.deployment.server import ProductionServer

        ProductionServer(functools.partial(build, without=frozenset(args.without)),
                         bind=f"127.0.0.1:{args.port}", workers=args.workers).run()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
else:  # imported by gunicorn (or a test): built in each worker, as the real app is
    app = build()
