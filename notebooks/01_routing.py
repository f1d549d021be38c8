# %% [markdown]
# # Lesson 1 notebook: routing
#
# A request arrives as a method and a path, and routing picks the function
# that answers it. Here you look at the route table of the app after lesson 1,
# ask Bottle's router which route a request would get, and then send real
# requests and compare the responses side by side: 200s, two kinds of 404, a
# 405 with its `Allow` header, a 422, and the HTML error page.
#
# **Lesson:** [Lesson 1: Routing](../lessons/01_routing/index.md)
#
# **Needs:** only the project's Python environment. The app runs in this
# process (through WebTest), with no server and no network.

# %%
import json

import bottle
import matplotlib.pyplot as plt
import pandas as pd
from webtest import TestApp

from reference_app import STAGES, create_app

from helpers import Scratch

# Later stages keep data in SQLite: in a temporary folder, which the last cell removes.
scratch = Scratch()
settings = scratch.settings()
app = create_app(stage=1, settings=settings)
client = TestApp(app)  # sends WSGI requests straight to the app: no socket involved

# %% [markdown]
# ## 1. The route table at stage 1
#
# Every row is one `app.route(rule, method, callback, **config)` call in
# `reference_app/routing/routes.py`. Lesson 1 is read-only, so every method is `GET`.
# `auth` is route config that does nothing yet: lesson 4's auth plugin reads it.

# %%
routes = pd.DataFrame(
    [{"method": route.method, "rule": route.rule,
      "callback": f"{route.callback.__module__}.{route.callback.__name__}",
      "auth": route.config.get("auth") or ""}
     for route in app.routes]
)
routes

# %% [markdown]
# ## 2. Which route gets a request?
#
# `app.router.match(environ)` is the lookup Bottle does for every request.
# It returns the route and the values it pulled out of the path (`url_args`),
# or raises an `HTTPError`: 404 when no rule matches the path, 405 when a rule
# matches the path but not the method. Note `HEAD`: Bottle answers it with
# the `GET` route (and sends no body).

# %%
asks = [("GET", "/api/articles"), ("GET", "/api/articles/hello-world"),
        ("GET", "/api/articles/hello-world/comments"), ("GET", "/static/css/site.css"),
        ("HEAD", "/api/tags"), ("GET", "/api/articles/hello-world/nope"),
        ("POST", "/api/articles"), ("DELETE", "/api/tags")]
rows = []
for method, path in asks:
    try:
        route, url_args = app.router.match({"REQUEST_METHOD": method, "PATH_INFO": path})
        rows.append({"request": f"{method} {path}", "matched rule": route.rule,
                     "callback": route.callback.__name__, "url_args": url_args})
    except bottle.HTTPError as error:
        allow = error.headers.get("Allow")
        rows.append({"request": f"{method} {path}", "matched rule": f"({error.status})",
                     "callback": f"Allow: {allow}" if allow else "", "url_args": ""})
pd.DataFrame(rows)

# %% [markdown]
# ## 3. Requests and responses
#
# Now real requests through the whole app: router, plugin, route, error
# handler. `expect_errors=True` tells WebTest that a 4xx is what we want to see.
# Read the two 404 rows carefully: `/api/articles/no-such-article` matched a
# route, whose store found nothing (`article: not found`); `/api/nope` matched
# no route at all (`path: not found`). Both speak the API's error format,
# because the error handler answers JSON under `/api/`. Outside `/api/` it
# answers an HTML page.

# %%
first_slug = client.get("/api/articles?limit=1").json["articles"][0]["slug"]


def exchange(method: str, path: str):
    """Send one request; return the response (4xx and 5xx included)."""
    return client.request(path, method=method, expect_errors=True)


def row(method: str, path: str) -> dict:
    response = exchange(method, path)
    body = response.text if "json" in response.content_type else response.text[:60] + "..."
    return {"request": f"{method} {path}", "status": response.status,
            "Content-Type": response.content_type, "Allow": response.headers.get("Allow", ""),
            "body": body if len(body) <= 120 else body[:117] + "..."}


pd.DataFrame([
    row("GET", "/api/tags"),
    row("GET", "/api/articles?limit=1"),
    row("GET", f"/api/articles/{first_slug}"),
    row("GET", "/api/profiles/ada"),
    row("GET", "/api/articles/no-such-article"),
    row("GET", "/api/nope"),
    row("POST", "/api/articles"),
    row("DELETE", f"/api/articles/{first_slug}"),
    row("GET", "/api/articles?limit=abc"),
    row("GET", "/api/articles?limit=1000"),
    row("GET", "/no-such-page"),
])

# %% [markdown]
# One of those in full: the status line, every header, the body. A 405 must
# say which methods would work, in `Allow`; Bottle adds it for us.

# %%
response = exchange("POST", "/api/articles")
print(response.status)
for name, value in response.headerlist:
    print(f"{name}: {value}")
print()
print(json.dumps(response.json, indent=2))

# %% [markdown]
# And a 200, to see the shape the RealWorld spec asks for: lists leave out
# `body`, a single article has it.

# %%
print(json.dumps(client.get(f"/api/articles/{first_slug}").json, indent=2))

# %% [markdown]
# ## 4. How the route table grows
#
# Each lesson adds routes and never takes one away (a test holds every stage
# to what the stage before promised). Here is every stage's table, counted by
# method: lesson 1 only reads, lesson 2 changes where the data lives but not a
# single route, lesson 3 adds the writes, lesson 4 accounts, follows and
# favourites, and so on.

# %%
counts = pd.DataFrame(
    [{"stage": f"{n} {STAGES[n]}", "method": route.method}
     for n in STAGES for route in create_app(stage=n, settings=settings).routes]
).value_counts().unstack(fill_value=0)
counts

# %%
ax = counts.plot.bar(stacked=True, figsize=(7, 3.5), rot=0)
ax.set_xlabel("")
ax.set_ylabel("routes")
ax.set_title("Routes per stage, by method")
plt.show()

# %% [markdown]
# ## Try this
#
# Each cell below runs as it is. Change it and run it again.
#
# **1.** Ask for anything. Does a trailing slash (`/api/tags/`) match? Does a
# filter that matches nothing (`?tag=nope`) give a 404, or an empty list?

# %%
pd.DataFrame([row("GET", "/api/tags/"), row("GET", "/api/articles?tag=nope"),
              row("GET", "/api/articles?author=grace&limit=1")])

# %% [markdown]
# **2.** Add a route of your own to a fresh stage-1 app. A callback that
# returns a dict becomes a JSON response. Add a `POST` route for the same
# rule and watch the 405 disappear.

# %%
playground = create_app(stage=1, settings=settings)
playground.route("/api/ping", "GET", lambda: {"pong": True})
TestApp(playground).get("/api/ping").json

# %% [markdown]
# **3.** Rules can say what a path part must look like: `<id:int>` only
# matches digits. What does `/api/numbers/abc` get?

# %%
playground.route("/api/numbers/<number:int>", "GET", lambda number: {"double": number * 2})
TestApp(playground).get("/api/numbers/21").json

# %% [markdown]
# ## Clean up
#
# Remove the temporary folder (the database files of stages 2 to 4 and the
# token key of stage 4). Nothing else was started.

# %%
scratch.cleanup()
