"""The json module against orjson, on the answers this app really sends.

Run it with ``.venv/bin/python -m benchmarks.json_speed`` (a few seconds).

From lesson 6 on, every API read turns its answer into JSON bytes (the ETag
plugin hashes them), and every cache hit turns JSON text back into Python.
This times both directions with each library, on three answers of a seeded
database: the tag list, one article, and a page of 20 articles. It writes the
table to benchmarks/json_speed.md, which lesson 6 includes.
"""

from __future__ import annotations

import argparse
import json
import platform
import secrets
import sys
import tempfile
import time
import timeit
from pathlib import Path

import orjson
from webtest import TestApp

from reference_app import LAST_STAGE, Settings, create_app
from reference_app.seed import seed

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "json_speed.md"


def answers() -> dict[str, object]:
    """Each route's answer as Python objects, as the route hands it to the plugin."""
    with tempfile.TemporaryDirectory() as scratch:
        settings = Settings(database=f"{scratch}/json.db", instance_path=scratch,
                            jwt_secret=secrets.token_urlsafe(48), cache=False)
        seed(settings.database, settings, users=20, articles=100)
        client = TestApp(create_app(LAST_STAGE, settings))
        page = client.get("/api/articles?limit=20").json
        slug = page["articles"][0]["slug"]
        return {"the tag list": client.get("/api/tags").json,
                "one article": client.get(f"/api/articles/{slug}").json,
                "a page of 20 articles": page}


def fastest_us(function, number: int, repeat: int = 5) -> float:
    """µs per call, the fastest of ``repeat`` runs: the least disturbed one."""
    return min(timeit.repeat(function, number=number, repeat=repeat)) / number * 1e6


def table(rows: list[tuple[str, int, float, float, float, float]], number: int) -> str:
    lines = [
        f"Measured by `python -m benchmarks.json_speed` on {time.strftime('%Y-%m-%d')}: "
        f"Python {platform.python_version()}, orjson {orjson.__version__}, the fastest of "
        f"5 runs of {number:,} calls each, in one process.",
        "",
        "| Answer | Bytes | `json.dumps` µs | `orjson.dumps` µs | `json.loads` µs "
        "| `orjson.loads` µs |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, size, dumps, fast_dumps, loads, fast_loads in rows:
        lines.append(f"| {name} | {size:,} | {dumps:.1f} | {fast_dumps:.1f} "
                     f"({dumps / fast_dumps:.1f}× faster) | {loads:.1f} | {fast_loads:.1f} "
                     f"({loads / fast_loads:.1f}× faster) |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.json_speed",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--number", type=int, default=2000, help="calls per run")
    parser.add_argument("--output", default=str(RESULTS), help="where to write the table")
    args = parser.parse_args(argv)
    rows = []
    for name, answer in answers().items():
        text = json.dumps(answer)
        rows.append((name, len(orjson.dumps(answer)),
                     fastest_us(lambda a=answer: json.dumps(a), args.number),
                     fastest_us(lambda a=answer: orjson.dumps(a), args.number),
                     fastest_us(lambda t=text: json.loads(t), args.number),
                     fastest_us(lambda t=text: orjson.loads(t), args.number)))
    text = table(rows, args.number)
    print(text)
    Path(args.output).write_text(text)
    print(f"written to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
