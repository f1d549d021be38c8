# %% [markdown]
# # Lesson 3 notebook: APIs
#
# At stage 3 the app learns to write. In this notebook you take one article
# through its whole life over the API (create, read, update, comment, delete),
# send it a row of bad requests to see how an API says no, page through a
# long list, and read the OpenAPI document that describes it all.
#
# **Lesson:** [Lesson 3: APIs](../lessons/03_apis/index.md)
#
# **Needs:** only the project's Python environment. The app runs in this
# process (WebTest) on a temporary database, removed in the last cell.

# %%
import json
import time

import matplotlib.pyplot as plt
import pandas as pd

from helpers import Scratch, client_for

scratch = Scratch()  # a temporary folder for the database; the last cell removes it
settings = scratch.seeded(users=5, articles=120)  # enough articles for several pages
client = client_for(3, settings)  # the app at stage 3, called in this process (WebTest)


def brief(body, width: int = 110) -> str:
    """One line of a JSON body (or of text), cut to fit a table cell."""
    text = body if isinstance(body, str) else json.dumps(body) if body is not None else "(no body)"
    return text if len(text) <= width else text[:width - 3] + "..."


# %% [markdown]
# ## 1. The CRUD cycle
#
# Create, read, update, delete, each with the status code that says what
# happened: 201 Created, 200 OK, 204 No Content. Nobody logs in before
# lesson 4, so every write is signed by the demo author (look at `author` in
# the body further down). Note the update: a new title makes a new slug, so
# the old address is a 404 afterwards.

# %%
steps = []


def step(what: str, method: str, path: str, body: dict | None = None):
    response = client.request(path, method=method, expect_errors=True,
                              **({"json": body} if body is not None else {}))
    payload = response.json if response.body else None
    steps.append({"step": what, "request": f"{method} {path}", "status": response.status,
                  "response": brief(payload)})
    return payload


created = step("create", "POST", "/api/articles", {"article": {
    "title": "How to say no", "description": "Validation, status codes, error bodies",
    "body": "An API is a contract.", "tagList": ["api", "design"]}})
slug = created["article"]["slug"]
step("read", "GET", f"/api/articles/{slug}")
updated = step("update", "PUT", f"/api/articles/{slug}",
               {"article": {"title": "How to say no, well"}})
new_slug = updated["article"]["slug"]
step("old address", "GET", f"/api/articles/{slug}")
comment = step("comment", "POST", f"/api/articles/{new_slug}/comments",
               {"comment": {"body": "Clear and short."}})
step("list comments", "GET", f"/api/articles/{new_slug}/comments")
step("delete comment", "DELETE", f"/api/articles/{new_slug}/comments/{comment['comment']['id']}")
step("delete", "DELETE", f"/api/articles/{new_slug}")
step("read again", "GET", f"/api/articles/{new_slug}")
pd.DataFrame(steps)

# %% [markdown]
# The created article in full, as the client received it:

# %%
print(json.dumps(created, indent=2))

# %% [markdown]
# ## 2. Saying no: validation errors
#
# Every mistake a client can make gets a 4xx with a body that says which field
# is wrong and why, in the RealWorld format `{"errors": {"field": ["message"]}}`.
# Never a 500: a 500 says the server is broken, and here it is the request.
# Note the row that breaks three rules at once: the client hears about all
# three in one answer, not one per try.

# %%
someone_elses = client.get("/api/articles?author=ada&limit=1").json["articles"][0]["slug"]
good = {"title": "T", "description": "D", "body": "B"}
bad_requests = [
    ("not JSON at all", "POST", "/api/articles", b"{oops"),
    ("no 'article' key", "POST", "/api/articles", {"post": good}),
    ("'article' is a list", "POST", "/api/articles", {"article": [good]}),
    ("blank title", "POST", "/api/articles", {"article": {**good, "title": "   "}}),
    ("title too long", "POST", "/api/articles", {"article": {**good, "title": "x" * 201}}),
    ("title is a number", "POST", "/api/articles", {"article": {**good, "title": 42}}),
    ("tags not strings", "POST", "/api/articles", {"article": {**good, "tagList": [1, 2]}}),
    ("three fields missing", "POST", "/api/articles", {"article": {"tagList": []}}),
    ("empty comment", "POST", f"/api/articles/{someone_elses}/comments",
     {"comment": {"body": ""}}),
    ("edit ada's article", "PUT", f"/api/articles/{someone_elses}", {"article": {"title": "T"}}),
    ("comment on nothing", "POST", "/api/articles/no-such/comments", {"comment": {"body": "x"}}),
]
rows = []
for what, method, path, body in bad_requests:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    response = client.request(path, method=method, body=raw, expect_errors=True,
                              headers={"Content-Type": "application/json"})
    rows.append({"mistake": what, "request": f"{method} {path}", "sent": brief(raw.decode(), 70),
                 "status": response.status, "errors": brief(response.json)})
pd.DataFrame(rows)

# %% [markdown]
# ## 3. Pagination
#
# A list endpoint never returns everything. `limit` (default 20, at most 100)
# and `offset` pick a page; `articlesCount` says how many there are in all, so
# a client knows how many pages to offer. Every page below is full except the
# last, and the pages never overlap.

# %%
pages = []
total = client.get("/api/articles?limit=1").json["articlesCount"]
for offset in range(0, total, 25):
    page = client.get(f"/api/articles?limit=25&offset={offset}").json
    slugs = [article["slug"] for article in page["articles"]]
    pages.append({"offset": offset, "articles on the page": len(slugs),
                  "first": slugs[0], "last": slugs[-1], "articlesCount": page["articlesCount"]})
pd.DataFrame(pages)

# %% [markdown]
# Out-of-range values are refused, not silently fixed: a client with a bug
# should find out.

# %%
pd.DataFrame([
    {"query": query, "status": response.status, "body": brief(response.text, 70)}
    for query in ["limit=0", "limit=100", "limit=101", "limit=-1", "offset=abc", "offset=9999"]
    for response in [client.get(f"/api/articles?{query}", expect_errors=True)]
])

# %% [markdown]
# Why have a maximum at all? Ask for longer and longer pages and measure each
# answer: its size grows with `limit`, and so does the time it takes (this
# stage runs a few small queries per article, which lesson 6 measures and
# removes). The maximum bounds both, whatever a client asks for.

# %%
sizes = []
for limit in [1, 10, 20, 40, 60, 80, 100]:
    runs = []
    for _ in range(3):  # the fastest of three: the least disturbed by anything else
        start = time.perf_counter()
        response = client.get(f"/api/articles?limit={limit}")
        runs.append(time.perf_counter() - start)
    sizes.append({"limit": limit, "KiB": len(response.body) / 1024, "ms": min(runs) * 1000})
sizes = pd.DataFrame(sizes)

fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.2))
sizes.plot(x="limit", y="KiB", marker="o", legend=False, ax=left)
left.set_title("Response size")
left.set_ylabel("KiB")
sizes.plot(x="limit", y="ms", marker="o", legend=False, ax=right, color="tab:orange")
right.set_title("Time to answer (in process)")
right.set_ylabel("milliseconds")
for ax in (left, right):
    ax.axvline(20, color="grey", linestyle=":")
    ax.text(21, ax.get_ylim()[1] * 0.9, "default", color="grey")
    ax.set_ylim(bottom=0)
plt.tight_layout()
plt.show()

# %% [markdown]
# ## 4. The OpenAPI document
#
# `GET /api/openapi.json` describes the API in a standard format that tools
# read: documentation sites, client generators, contract tests. It lists only
# the operations this stage really has (a test holds the two equal). Each row
# below is one operation: its method and path, the success status, and the
# errors it may answer.

# %%
document = client.get("/api/openapi.json").json
operations = pd.DataFrame(
    [{"method": method.upper(), "path": path, "operationId": op["operationId"],
      "success": next(code for code in op["responses"] if code.startswith("2")),
      "errors": ", ".join(code for code in op["responses"] if not code.startswith("2")),
      "body": op.get("requestBody", {}).get("content", {}).get("application/json", {})
                .get("schema", {}).get("$ref", "").rsplit("/", 1)[-1]}
     for path, methods in document["paths"].items() for method, op in methods.items()]
)
print(f"{document['info']['title']}, OpenAPI {document['openapi']}: "
      f"{len(operations)} operations at stage 3")
operations

# %% [markdown]
# And one schema, the shape a client must send to create an article:

# %%
print(json.dumps(document["components"]["schemas"]["NewArticle"], indent=2))

# %% [markdown]
# ## Try this
#
# Each cell below runs as it is. Change it and run it again.
#
# **1.** Create an article with tags of your own, then find it with
# `?tag=`. What happens to repeated or blank tags?

# %%
mine = client.post_json("/api/articles", {"article": {
    "title": "Tagged", "description": "d", "body": "b",
    "tagList": ["notebook", "notebook", "  ", "try-this"]}}).json["article"]
print(mine["tagList"])
[a["slug"] for a in client.get("/api/articles?tag=notebook").json["articles"]]

# %% [markdown]
# **2.** Break a request your own way. A body with an extra field? A
# `tagList` of 21 tags? A title with only emoji?

# %%
response = client.post_json("/api/articles", {"article": {
    "title": "🙂", "description": "d", "body": "b", "surprise": True}}, expect_errors=True)
response.status, response.json["article"]["slug"] if response.status_int == 201 else response.json

# %% [markdown]
# **3.** Page through by author. How many pages of 10 does `demo` have?

# %%
page = client.get("/api/articles?author=demo&limit=10&offset=0").json
page["articlesCount"], [a["slug"] for a in page["articles"]][:3]

# %% [markdown]
# ## Clean up
#
# Remove the temporary folder and the database in it.

# %%
scratch.cleanup()
