"""The app's side of docs/lighthouse.py: `python docs/lighthouse.py --app`.

It seeds demo data into a temporary database, serves the app at its last stage
on 127.0.0.1 (reference_app.servers, so run it with the project's Python), and
has Lighthouse score each page, signed out and signed in as the demo user
(Lighthouse sends the session cookie with ``--extra-headers``). A refused form
answers a POST, which Lighthouse cannot send, and Lighthouse refuses to score a
404: those pages are fetched here, saved with the files they load, and scored
from a static copy.
"""

from __future__ import annotations

import html
import http.cookiejar
import json
import re
import subprocess  # nosec B404
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from reference_app.routing.store import load_demo_data
from reference_app.seed import DEMO_PASSWORD
from reference_app.servers import app_server

DEMO_EMAIL = load_demo_data()["users"][0]["email"]  # the "demo" user, who wrote articles
# The error pages to save: (name, path, the form posted or None for a GET, signed in).
REFUSED_FORMS = [
    ("login-error", "/login", {"email": DEMO_EMAIL, "password": "wrong"}, False),
    ("register-error", "/register", {"username": "demo", "email": "nope", "password": "x"}, False),
    ("editor-error", "/editor", {"title": "", "description": "", "body": "", "tags": ""}, True),
    ("comment-error", "/article/{slug}/comments", {"body": ""}, True),
]
NOT_FOUND = [("404", "/no-such-page", None, False), ("404-signed-in", "/no-such-page", None, True)]
ASSET = re.compile(r'(?:src|href)="(/[^"]+\.(?:css|js|ico|svg|png))"')


class Browser:
    """A cookie-keeping client that fills in each form's CSRF token, as a browser would."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def open(self, path: str, data: bytes | None = None) -> tuple[int, str]:
        """(status, page), an error status included."""
        try:
            with self.opener.open(self.base + path, data=data, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as refused:
            return refused.code, refused.read().decode()

    def get(self, path: str) -> str:
        return self.open(path)[1]

    def post(self, path: str, fields: dict, form_page: str) -> tuple[int, str]:
        """(status, page) after posting ``fields`` with the token from ``form_page``."""
        token = re.search(r'name="csrf_token" value="([^"]+)"', self.get(form_page))
        return self.open(path, urllib.parse.urlencode({**fields, "csrf_token": token[1]}).encode())

    def cookie_header(self) -> str:
        return "; ".join(f"{cookie.name}={cookie.value}" for cookie in self.jar)


def save_page(browser: Browser, page: str, folder: Path, name: str) -> None:
    """``page`` as folder/name.html, with the stylesheets, scripts and icons it loads."""
    (folder / f"{name}.html").write_text(page, encoding="utf-8")
    for path in ASSET.findall(page):
        target = folder / html.unescape(path).lstrip("/").split("?")[0]
        target.parent.mkdir(parents=True, exist_ok=True)
        with browser.opener.open(browser.base + html.unescape(path), timeout=30) as response:
            target.write_bytes(response.read())


def measure_app(audit, serve_folder) -> int:
    """Score every page; ``audit(url, extra=...)`` and ``serve_folder(path)`` come from
    docs/lighthouse.py. Prints one line a page, and the audits it failed."""
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        database = folder / "app.db"
        subprocess.run([sys.executable, "-m", "reference_app", "seed", "--db", str(database)],  # noqa: S603
                       check=True, stdout=subprocess.DEVNULL)
        with app_server(prod=False, database=str(database)) as server:
            pages, saved = app_pages(server.url, folder / "saved")
            static = serve_folder(saved)
            try:
                for name, url, cookie in pages:
                    url = url.replace("{static}", f"http://127.0.0.1:{static.server_address[1]}")
                    extra = (f"--extra-headers={json.dumps({'Cookie': cookie})}",) if cookie else ()
                    score, failed = audit(url, extra=extra)
                    print(f"{score:3d}  {name}", flush=True)
                    for line in failed:
                        print(f"       failed {line}", flush=True)
            finally:
                static.shutdown()
    return 0


def app_pages(base: str, saved: Path) -> tuple[list[tuple[str, str, str]], Path]:
    """[(name, url, cookie or "")] for every page to score, and the folder of saved pages."""
    saved.mkdir()
    visitor, demo = Browser(base), Browser(base)
    demo.post("/login", {"email": DEMO_EMAIL, "password": DEMO_PASSWORD}, "/login")
    signed_in = demo.cookie_header()
    if "session=" not in signed_in:
        raise RuntimeError(f"the demo user could not sign in at {base}/login")
    articles = json.loads(visitor.get("/api/articles?author=demo&limit=1"))["articles"]
    slug = articles[0]["slug"]
    pages = []
    for path in ["/", f"/article/{slug}", "/profile/demo", "/profile/ada"]:
        pages.append((f"signed out {path}", base + path, ""))
        pages.append((f"signed in  {path}", base + path, signed_in))
    pages += [("signed out /login", base + "/login", ""),
              ("signed out /register", base + "/register", ""),
              ("signed in  /feed", base + "/feed", signed_in),
              ("signed in  /editor", base + "/editor", signed_in),
              ("signed in  /editor/<slug>", base + f"/editor/{slug}", signed_in)]
    for name, path, fields, as_demo in REFUSED_FORMS + NOT_FOUND:
        browser = demo if as_demo else visitor
        path = path.format(slug=slug)
        if fields is None:
            status, page = browser.open(path)
        else:
            form_page = f"/article/{slug}" if "comments" in path else path
            status, page = browser.post(path, fields, form_page)
        if status not in (401, 404, 422):  # not the refusal meant: score nothing rather than it
            raise RuntimeError(f"{path} answered {status}, not an error page")
        save_page(browser, page, saved, name)
        who = "signed in " if as_demo else "signed out"
        pages.append((f"{who} {name} ({status}, saved)", f"{{static}}/{name}.html", ""))
    return pages, saved
