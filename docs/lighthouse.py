"""Lighthouse's accessibility score for some pages of the built course site.

    make docs-build                  # or: NO_MKDOCS_2_WARNING=1 mkdocs build --strict
    python docs/lighthouse.py        # home, lessons 1 and 6, notebook 6
    python docs/lighthouse.py lessons/03_apis/ reference/api/
    python docs/lighthouse.py --site /tmp/site     # a site built elsewhere
    python docs/lighthouse.py --dark               # in the dark ("slate") palette
    python docs/lighthouse.py --app                # the app's pages (docs/lighthouse_app.py)

It serves site/ on 127.0.0.1, runs Lighthouse 12 from npm (`npx --yes
lighthouse@12`, so it needs Node and the npm registry the first time) in
headless Chromium (CHROME_PATH, /usr/bin/chromium by default), and prints each
page's score and the audits it failed. Not part of `make test`: Lighthouse is
a download and a minute of work, and tests/test_site_accessibility.py already
runs axe-core, the engine behind Lighthouse's accessibility audits.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SITE = Path(__file__).resolve().parent.parent / "site"
PAGES = ["", "lessons/01_routing/", "lessons/06_caching/", "notebooks/06_caching/"]
LIGHTHOUSE = ["npx", "--yes", "lighthouse@12", "--only-categories=accessibility",
              "--output=json", "--quiet"]
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu"
# The reader's system asks for dark: Material then picks the slate palette.
DARK = " --blink-settings=preferredColorScheme=0"


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def audit(url: str, chrome_flags: str, extra: tuple = ()) -> tuple[int, list[str]]:
    """(score out of 100, the titles of the failed audits) for one page; ``extra`` are
    more Lighthouse arguments, such as ``--extra-headers=...``."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        command = [*LIGHTHOUSE, f"--chrome-flags={chrome_flags}", f"--output-path={report}",
                   *extra, url]
        subprocess.run(command, check=True,  # noqa: S603
                       env={**os.environ, "CHROME_PATH": os.environ.get(
                           "CHROME_PATH", "/usr/bin/chromium")}, timeout=300)
        result = json.loads(report.read_text(encoding="utf-8"))
    if result.get("finalDisplayedUrl", url) != url:  # a redirect: say which page was scored
        print(f"     {url} ended at {result['finalDisplayedUrl']}", file=sys.stderr)
    failed = [f"{a['id']}: {a['title']}" for a in result["audits"].values()
              if a.get("score") == 0 and a.get("scoreDisplayMode") == "binary"]
    return round(result["categories"]["accessibility"]["score"] * 100), failed


def serve_folder(folder: Path) -> ThreadingHTTPServer:
    """A static server for ``folder`` on a free port of 127.0.0.1, in a thread, until shutdown()."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", default=PAGES, help="paths under the site's root")
    parser.add_argument("--site", type=Path, default=SITE, help="the built site (default: site/)")
    parser.add_argument("--dark", action="store_true", help="in the dark palette")
    parser.add_argument("--app", action="store_true",
                        help="the app's pages instead, seeded and served (docs/lighthouse_app.py)")
    args = parser.parse_args(argv)
    if args.app:
        from lighthouse_app import measure_app  # beside this file: the app's side
        return measure_app(functools.partial(audit, chrome_flags=CHROME_FLAGS), serve_folder)
    if not (args.site / "index.html").is_file():
        print(f"no built site in {args.site}: run `make docs-build` first", file=sys.stderr)
        return 2
    server = serve_folder(args.site)
    try:
        for page in args.pages:
            url = f"http://127.0.0.1:{server.server_address[1]}/{page}"
            score, failed = audit(url, CHROME_FLAGS + (DARK if args.dark else ""))
            print(f"{score:3d}  /{page}")
            for line in failed:
                print(f"       failed {line}")
    finally:
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
