# %% [markdown]
# # Lesson 5 notebook: security
#
# Stage 5 adds no feature; it takes attacks away. In this notebook you run
# Bandit, a static security scanner, through its Python API on the security
# lab's exercises and read its findings as a table. Then you watch the app's
# defences answer real requests: a form post without its CSRF token refused, a
# `<script>` title sent back escaped under a Content Security Policy, the
# security headers on every kind of response, and a password guesser slowed
# to a stop by 429 Too Many Requests.
#
# **Lesson:** [Lesson 5: Security](../lessons/05_security/index.md)
#
# **Needs:** only the project's Python environment (Bandit is part of its dev
# tools). The app runs in this process (WebTest) on a temporary database,
# removed in the last cell.

# %%
import dataclasses
import difflib
import html
import re
import sqlite3
import time
from pathlib import Path
from urllib.parse import urlsplit

import matplotlib.pyplot as plt
import pandas as pd
from bandit.core import config as bandit_config
from bandit.core import manager as bandit_manager
from webtest import TestApp

from reference_app import create_app
from reference_app.core.settings import SettingsError
from reference_app.security import check_production_secret
from reference_app.seed import DEMO_PASSWORD

from helpers import ROOT, Scratch, import_file

LAB = ROOT / "security_checks"  # the security lab: an exercise per attack

scratch = Scratch()  # a temporary folder for the database; the last cell removes it
settings = scratch.seeded(users=3, articles=10)
app = create_app(stage=5, settings=settings)  # a fresh TestApp(app) is a fresh browser
audit_log = scratch.audit_log()  # the app's audit log, as a list: a table in section 5

# %% [markdown]
# ## 1. Bandit on the security lab
#
# Bandit reads Python source, without running it, and reports code patterns
# that are often insecure. The command line (`bandit -r .`) is a thin wrapper
# around a `BanditManager`: give it files, run its tests, read its issues.
# Here it scans the lab's `sql_injection` exercise, the vulnerable file and the
# fixed one. `ignore_nosec=True` means a `# nosec` comment hides nothing, as in
# the lab's own checker.


# %%
def bandit_scan(paths) -> pd.DataFrame:
    """Run Bandit on ``paths``, every severity and confidence; one row per finding."""
    scanner = bandit_manager.BanditManager(bandit_config.BanditConfig(), "file",
                                           ignore_nosec=True)
    scanner.discover_files([str(path) for path in paths])
    scanner.run_tests()
    return pd.DataFrame(
        [{"file": str(Path(issue.fname).resolve().relative_to(LAB)), "test id": issue.test_id,
          "test": issue.test, "line": issue.lineno, "severity": issue.severity,
          "confidence": issue.confidence, "text": issue.text}
         for issue in scanner.get_issue_list()],
        columns=["file", "test id", "test", "line", "severity", "confidence", "text"])


exercise = LAB / "sql_injection"
findings = bandit_scan([exercise / "vulnerable.py", exercise / "fixed.py"])
findings

# %% [markdown]
# One finding, in `vulnerable.py`, none in `fixed.py`. B608 is "SQL built from
# strings", rated MEDIUM severity but LOW confidence: Bandit sees an f-string
# that looks like SQL, and cannot know whether what goes into it is safe. The
# lab marks each expected finding with an `# expect:` comment on its line, and
# the marked line is the one Bandit names:

# %%
lines = (exercise / "vulnerable.py").read_text().splitlines()
for line_number in findings["line"]:
    print(f"vulnerable.py:{line_number}: {lines[line_number - 1].strip()}")

# %% [markdown]
# The whole fix, as a diff: the SQL text becomes a constant, and the username
# travels beside it as a parameter.

# %%
print("".join(difflib.unified_diff(
    (exercise / "vulnerable.py").read_text().splitlines(keepends=True),
    (exercise / "fixed.py").read_text().splitlines(keepends=True),
    "vulnerable.py", "fixed.py", n=0)))

# %% [markdown]
# A finding is a warning, not a proof. The proof is the attack: the lab's
# exploit test closes the quote and glues on a `UNION SELECT` of its own. Run
# it against both files, on a throwaway in-memory database:


# %%
lab_db = sqlite3.connect(":memory:")
lab_db.execute("create table users (id integer primary key, username text, email text, "
               "password_hash text)")
lab_db.executemany("insert into users (username, email, password_hash) values (?, ?, ?)",
                   [("alice", "alice@example.com", "$argon2id$alice-hash"),
                    ("bob", "bob@example.com", "$argon2id$bob-hash")])
payload = "nobody' UNION SELECT id, username, password_hash FROM users --"
rows = []
for stem in ("vulnerable", "fixed"):
    module = import_file(exercise / f"{stem}.py", f"lab_sql_injection_{stem}")
    rows.append({"file": f"{stem}.py", "find_user('alice')": module.find_user(lab_db, "alice"),
                 "find_user(payload)": module.find_user(lab_db, payload)})
lab_db.close()
print("payload:", payload)
pd.DataFrame(rows)

# %% [markdown]
# ### The whole lab
#
# The same scan over every exercise in the lab, next to the findings each one
# expects (its `# expect:` markers). Bandit catches the patterns it has a rule
# for: SQL from strings, `shell=True`, MD5, a hard-coded password, `random`.
# It cannot see a missing permission check, a missing CSRF token or a
# template that prints HTML raw: those exercises prove their fix with an
# exploit test instead.

# %%
# The lab's own reader of `# expect:` markers, loaded like the exercise files.
expectations = import_file(LAB / "expectations.py", "lab_expectations")
exercises = [LAB / name for name in expectations.exercise_names()]
lab = bandit_scan([path for folder in exercises for path in (folder / "vulnerable.py",
                                                             folder / "fixed.py")])


def marks(findings: set) -> str:
    """{("B404", 3), ("B602", 11)} -> "B404@3, B602@11", in line order."""
    return ", ".join(f"{test_id}@{line}" for test_id, line in
                     sorted(findings, key=lambda finding: (finding[1], finding[0])))


def found_in(folder: Path, stem: str) -> set:
    mine = lab[lab["file"] == f"{folder.name}/{stem}.py"]
    return set(zip(mine["test id"], mine["line"], strict=True))


overview = pd.DataFrame([
    {"exercise": folder.name,
     "expected (# expect:)": marks(expectations.expected_findings(folder / "vulnerable.py")[0]),
     "Bandit on vulnerable.py": marks(found_in(folder, "vulnerable")),
     "Bandit on fixed.py": marks(found_in(folder, "fixed")) or "clean"}
    for folder in exercises]).set_index("exercise")
overview["Bandit sees it"] = overview["Bandit on vulnerable.py"].map(
    lambda text: "yes" if text else "no: an exploit test must")
print(f"Bandit flags {(overview['Bandit sees it'] == 'yes').sum()} of {len(overview)} "
      f"exercises; every marker matches: "
      f"{(overview['expected (# expect:)'] == overview['Bandit on vulnerable.py']).all()}")
overview

# %% [markdown]
# ## 2. CSRF: a form post needs the token its page carried
#
# A browser sends cookies with every request to our site, even one that
# another site's page makes it send. So a page on `evil.example` could post a
# form to `/editor` and publish an article as you. From stage 5 every page
# carries a token tied to this browser's `csrf` cookie, and every form post
# must send it back. The other site can make the browser post, but cannot read
# our page, so it cannot know the token.
#
# `browser` below is a WebTest client: it keeps cookies like a browser.
# First, the login page: a `csrf` cookie, and the token, hidden in the form.

# %%
browser = TestApp(app)
login_page = browser.get("/login")
print("Set-Cookie:", login_page.headers["Set-Cookie"])
print(re.search(r'<form method="post".*?</form>', login_page.text, re.S).group(0))


# %% [markdown]
# Now log in, then post the editor form four ways. Only the post with this
# page's token gets through. A token is only good with the cookie it was made
# for, so one taken from another browser's page is refused as well.


# %%
def page_token(client: TestApp, path: str) -> str:
    """The CSRF token of a page: every page has it in a <meta> tag, and in each form."""
    return re.search(r'<meta name="csrf-token" content="([^"]+)">', client.get(path).text)[1]


def refusal(response) -> str:
    """The one-line reason on an error page, or where a redirect goes."""
    if response.status_int in (302, 303):
        return f"redirect to {urlsplit(response.headers['Location']).path}: it worked"
    message = re.search(r'<section class="error-page">.*?<p>(.*?)</p>', response.text, re.S)
    return html.unescape(message[1]) if message else response.text[:80]


browser.post("/login", {"email": "demo@stagecraft.dev", "password": DEMO_PASSWORD,
                        "csrf_token": page_token(browser, "/login")})
other_browser = TestApp(app)  # someone else, with a cookie and tokens of their own
article = {"title": "Posted from a form", "description": "CSRF demo", "body": "Hello."}
attempts = {
    "no token (what another site's form sends)": {},
    "an empty token": {"csrf_token": ""},
    "a token from another browser's page": {"csrf_token": page_token(other_browser, "/")},
    "the token from this browser's editor page": {"csrf_token": page_token(browser, "/editor")},
}
rows = []
for what, token in attempts.items():
    response = browser.post("/editor", {**article, **token}, expect_errors=True)
    rows.append({"POST /editor with": what, "status": response.status,
                 "answer": refusal(response)})
pd.DataFrame(rows)

# %% [markdown]
# The API needs no token: it reads who you are only from the `Authorization`
# header, which a browser never adds on its own to a request another site
# makes. (The session cookie is also `SameSite=Lax`, so modern browsers leave
# it off cross-site posts: the token is the defence that does not depend on
# the browser.)

# %%
session_cookie = [cookie for cookie in browser.cookiejar if cookie.name == "session"][0]
print("session cookie flags:", {"HttpOnly": session_cookie.has_nonstandard_attr("HttpOnly"),
                                "SameSite": session_cookie.get_nonstandard_attr("SameSite")})
api_login = browser.post_json("/api/users/login", {"user": {
    "email": "demo@stagecraft.dev", "password": DEMO_PASSWORD}})
token = api_login.json["user"]["token"]
auth = {"Authorization": f"Token {token}"}
print("POST /api/users/login without any CSRF token:", api_login.status)

# %% [markdown]
# ## 3. XSS: what a visitor types comes back as text
#
# Publish an article whose title is a script and whose body is an image tag
# with an `onerror` handler, the two classic ways to run JavaScript in other
# readers' browsers. The database stores exactly what was typed. The page
# escapes it: `<` becomes `&lt;`, so the browser shows the characters instead
# of running them. The body is Markdown, rendered with raw HTML off and then
# sanitized, so its tag is shown as text too. The API sends both as they are,
# in JSON: JSON is data. A front end must put a title into the page as text
# (`textContent`), and a body through the same two layers, never straight in.

# %%
attack = {"title": '<script>alert("xss")</script>',
          "description": "XSS demo", "body": '<img src=x onerror="alert(1)">'}
posted = browser.post("/editor", {**attack, "csrf_token": page_token(browser, "/editor")})
slug = posted.headers["Location"].rsplit("/", 1)[1]
page = browser.get(f"/article/{slug}").text
stored = sqlite3.connect(settings.database)
in_database = stored.execute("select title, body from articles where slug = ?", [slug]).fetchone()
stored.close()
from_api = browser.get(f"/api/articles/{slug}").json["article"]
pd.DataFrame({
    "in the database": in_database,
    "in the page's HTML": [re.search(r"<h1>(.*?)</h1>", page)[1],
                           re.search(r'<div class="article-body">\s*<p>(.*?)</p>', page)[1]],
    "in the API's JSON": [from_api["title"], from_api["body"]],
}, index=["title", "body"])

# %% [markdown]
# Escaping is the defence; the Content Security Policy is the second line, in
# case a template ever prints something raw (the lab's `stored_xss` exercise
# is exactly that bug). It tells the browser where scripts, styles and images
# may come from. `default-src 'self'` without `'unsafe-inline'` means no
# inline `<script>` and no `onerror=` attribute runs at all, even if one
# slipped into the page.

# %%
csp = browser.get(f"/article/{slug}").headers["Content-Security-Policy"]
meaning = {
    "default-src 'self'": "scripts, styles, images, fonts, connections: from this origin only; "
                          "no inline scripts or event handlers",
    "frame-ancestors 'none'": "no other page may show this one in a frame (clickjacking)",
    "form-action 'self'": "forms may only post to this origin",
    "object-src 'none'": "no plugins (<object>, <embed>)",
    "base-uri 'none'": "no <base> tag that would redirect every relative URL",
}
pd.DataFrame([{"directive": directive.strip(), "what the browser enforces":
               meaning.get(directive.strip(), "")} for directive in csp.split(";")])

# %% [markdown]
# ## 4. Security headers, on every kind of response
#
# The same few headers go on pages, API answers, errors and login answers
# alike. Two depend on the request: HSTS only over HTTPS (or behind a TLS
# proxy: `behind_tls`), and `Cache-Control: no-store` on anything personal,
# so that no shared cache keeps a token or a private page.

# %%
requests_to_try = {
    "GET / (a page)": lambda c: c.get("/"),
    "GET /api/articles": lambda c: c.get("/api/articles"),
    "GET /api/user (with a token)": lambda c: c.get("/api/user", headers=auth),
    "POST /api/users/login": lambda c: c.post_json("/api/users/login", {"user": {
        "email": "demo@stagecraft.dev", "password": DEMO_PASSWORD}}),
    "GET /api/nope (404)": lambda c: c.get("/api/nope", expect_errors=True),
    "GET / over HTTPS": lambda c: c.get("/", extra_environ={"wsgi.url_scheme": "https"}),
}
shown = ["X-Content-Type-Options", "Referrer-Policy", "Strict-Transport-Security",
         "Cache-Control"]
rows = []
for what, send in requests_to_try.items():
    response = send(TestApp(app))  # a fresh client each: no cookies carried over
    rows.append({"request": what, "status": response.status_int,
                 **{name: response.headers.get(name, "") for name in shown},
                 "CSP": "yes" if "Content-Security-Policy" in response.headers else "no"})
pd.DataFrame(rows).set_index("request")

# %% [markdown]
# What each one stops:

# %%
pd.DataFrame([
    ("X-Content-Type-Options: nosniff", "the browser guessing that a text or JSON answer is "
     "HTML or a script, and running it"),
    ("Referrer-Policy: strict-origin-when-cross-origin", "full URLs (with slugs, ids, query "
     "strings) leaking to other sites in the Referer header"),
    ("Content-Security-Policy", "injected scripts running, this site in another's frame "
     "(section 3)"),
    ("Strict-Transport-Security", "a first visit over plain HTTP being intercepted: the "
     "browser uses HTTPS only, for a year"),
    ("Cache-Control: no-store", "a shared cache or proxy keeping a personal answer and "
     "serving it to the next person"),
], columns=["header", "stops"])

# %% [markdown]
# ## 5. Login throttling
#
# Argon2id makes each guess slow (lesson 4), but an attacker online can keep
# guessing. After 5 failed logins for one account from one address, each next
# try from that address must wait: 1 s, then 2, 4, 8... up to 15 minutes. The
# app answers 429 Too Many Requests with a `Retry-After` header, even to the
# right password, and it answers before hashing anything. To see that last
# part, this app uses the production Argon2 parameters: a new account `victim`
# is registered, and then guessed at. The last row is the account's owner,
# from another address: never locked out by the attacker's failures.

# %%
production_argon2 = TestApp(create_app(stage=5, settings=dataclasses.replace(
    settings, argon2_time_cost=2, argon2_memory_kib=19456)),
    extra_environ={"REMOTE_ADDR": "198.51.100.7"})  # the attacker's address, as a server sees it
victim = {"username": "victim", "email": "victim@example.com", "password": "the right one!"}
production_argon2.post_json("/api/users", {"user": victim})
audit_log.clear()
attempts = [f"guess-{n}" for n in range(1, 8)] + [victim["password"]]
rows = []
for number, password in enumerate(attempts, 1):
    started = time.perf_counter()
    response = production_argon2.post_json("/api/users/login", {"user": {
        "email": victim["email"], "password": password}}, expect_errors=True)
    rows.append({"attempt": number, "password": password, "status": response.status_int,
                 "Retry-After (s)": response.headers.get("Retry-After", ""),
                 "ms": round((time.perf_counter() - started) * 1000, 1),
                 "answer": response.json.get("errors", "token")})
started = time.perf_counter()
response = production_argon2.post_json("/api/users/login", {"user": {
    "email": victim["email"], "password": victim["password"]}},
    extra_environ={"REMOTE_ADDR": "203.0.113.20"})  # the owner, at home
rows.append({"attempt": "owner", "password": victim["password"], "status": response.status_int,
             "Retry-After (s)": "", "ms": round((time.perf_counter() - started) * 1000, 1),
             "answer": "token"})
throttle = pd.DataFrame(rows).set_index("attempt")
throttle

# %%
colours = throttle["status"].map({200: "tab:green", 401: "tab:orange", 429: "tab:red"})
ax = throttle["ms"].plot.bar(color=list(colours), figsize=(8, 3), rot=0)
for x, (status, ms) in enumerate(zip(throttle["status"], throttle["ms"], strict=True)):
    ax.text(x, ms, str(status), ha="center", va="bottom")
ax.set_xlabel("login attempt, one account")
ax.set_ylabel("milliseconds")
ax.set_title("401s each cost an Argon2id check; a 429 is answered before any hashing")
plt.show()

# %% [markdown]
# The audit log recorded every failure and the throttling, naming the account
# by a short hash of its email, never by the address, and never the password:

# %%
pd.DataFrame(audit_log).value_counts().rename("times").to_frame()

# %% [markdown]
# ## Try this
#
# Each cell below runs as it is. Change it and run it again.
#
# **1.** Scan another exercise: `shell_injection`, `password_storage` or
# `predictable_tokens` (Bandit rates `random` LOW severity: is it a small
# bug?). Which of them does Bandit miss entirely?

# %%
chosen = LAB / "shell_injection"
bandit_scan([chosen / "vulnerable.py", chosen / "fixed.py"])

# %% [markdown]
# **2.** Try your own XSS through the API, in your bio, and read how the
# profile page prints it.

# %%
browser.put_json("/api/user", {"user": {"bio": "<b>bold</b> & <i onmouseover=alert(1)>"}},
                 headers=auth)
re.search(r"</h1>\s*<p>(.*?)</p>", browser.get("/profile/demo").text)[1]

# %% [markdown]
# **3.** One address trying many accounts is throttled too, after
# `login_failures_per_address` failures (20 by default; 3 here). Try another
# `REMOTE_ADDR`, or send an `X-Forwarded-For` header: does it help?

# %%
strict = TestApp(create_app(stage=5, settings=dataclasses.replace(
    settings, login_failures_per_address=3)))
[strict.post_json("/api/users/login", {"user": {"email": f"{name}@stagecraft.dev",
                                                 "password": "wrong"}},
                  extra_environ={"REMOTE_ADDR": "203.0.113.9"}, expect_errors=True).status_int
 for name in ("ada", "grace", "demo", "reader1")]

# %% [markdown]
# **4.** In production the app refuses to start with a weak signing key.
# Which of these would it accept? Try your own.

# %%
candidates = ["changeme", "x" * 40, "correct horse battery staple, but longer!", None]
verdicts = {}
for candidate in candidates:
    try:
        check_production_secret(dataclasses.replace(settings, production=True,
                                                    jwt_secret=candidate))
        verdicts[repr(candidate)] = "accepted"
    except SettingsError as error:
        verdicts[repr(candidate)] = f"refused: {error}"
pd.Series(verdicts, name="check_production_secret").to_frame()

# %% [markdown]
# ## Clean up
#
# Give the audit log back to the logging system, and remove the temporary
# folder with the database.

# %%
scratch.cleanup()
