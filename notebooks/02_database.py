# %% [markdown]
# # Lesson 2 notebook: the database
#
# At stage 2 the same routes answer from a SQLite file instead of memory. In
# this notebook you open that file with sqlite-utils and look at its schema
# (tables, columns and foreign keys, as tables), run the app's own queries,
# check the settings every connection needs, and watch a transaction roll back
# so that nothing of it is left behind.
#
# **Lesson:** [Lesson 2: Database](../lessons/02_database/index.md)
#
# **Needs:** only the project's Python environment. The database is a
# temporary file, removed in the last cell.

# %%
import sqlite3
import threading
import time

import matplotlib.pyplot as plt
import pandas as pd

from reference_app.database.connection import connect, write_transaction
from reference_app.database.store import LIST_ARTICLES, list_params
from reference_app.seed import seed

from helpers import Scratch, client_for

scratch = Scratch()  # a temporary folder for the database file; the last cell removes it
settings = scratch.settings()
# The demo world plus generated users and articles, so that queries have rows to count.
counts = seed(settings.database, settings, users=12, articles=300)
client = client_for(2, settings)  # the app at stage 2, called in this process (WebTest)
db = connect(settings.database)  # the app's own connect(): the same pragmas as every request
pd.DataFrame([counts], index=["rows"])

# %% [markdown]
# ## 1. The schema, through sqlite-utils
#
# `db.tables` lists the tables; each knows its columns, its foreign keys and
# its row count. The schema itself is SQL, in `reference_app/database/schema.sql`,
# which `create_schema()` in `connection.py` runs.

# %%
pd.DataFrame(
    [{"table": table.name, "columns": len(table.columns), "rows": table.count,
      "primary key": ", ".join(table.pks), "references": ", ".join(
          sorted({fk.other_table for fk in table.foreign_keys}))}
     for table in db.tables]
)

# %% [markdown]
# Every column, with its type and whether it may be empty. `notnull` is a
# promise the database keeps for us: no route can store an article without a
# title, whatever bug it has.

# %%
columns = pd.DataFrame(
    [{"table": table.name, "column": c.name, "type": c.type, "not null": bool(c.notnull),
      "primary key": bool(c.is_pk)}
     for table in db.tables for c in table.columns]
)
columns[columns["table"].isin(["users", "articles", "article_tags"])]

# %% [markdown]
# The foreign keys: which column points at which row of which table, and what
# happens to it when that row is deleted. `CASCADE` means "delete me too": an
# article's comments go when the article goes.

# %%
foreign_keys = pd.DataFrame(
    [{"table": fk.table, "column": fk.column, "references": f"{fk.other_table}.{fk.other_column}",
      "on delete": fk.on_delete}
     for table in db.tables for fk in table.foreign_keys]
)
foreign_keys

# %% [markdown]
# ## 2. The settings every connection needs
#
# `connect()` turns on what SQLite leaves off. Compare it with a plain
# `sqlite3.connect()` to the same file. `journal_mode` is stored in the file,
# so both see WAL. `foreign_keys` belongs to each connection, and a plain one
# has it off. The busy timeout happens to match (Python's own default is 5 s;
# the app sets it from settings on purpose), and `synchronous` is NORMAL (1),
# which WAL makes safe, instead of FULL (2).

# %%
plain = sqlite3.connect(settings.database)
pragmas = ["journal_mode", "foreign_keys", "busy_timeout", "synchronous"]
pd.DataFrame({
    "the app's connect()": [db.execute(f"pragma {p}").fetchone()[0] for p in pragmas],
    "plain sqlite3.connect()": [plain.execute(f"pragma {p}").fetchone()[0] for p in pragmas],
}, index=pragmas)

# %% [markdown]
# Why `foreign_keys` matters: on the plain connection, SQLite accepts an
# article by an author who does not exist. On ours, it refuses. (Both tries
# are rolled back, so the database is unchanged.)

# %%
orphan = ("insert into articles (slug, title, description, body, author_id, created_at,"
          " updated_at) values ('orphan', 'Orphan', 'd', 'b', 999999, 'now', 'now')")
outcomes = {}
for name, conn in [("plain sqlite3", plain), ("connect()", db.conn)]:
    conn.execute("BEGIN")
    try:
        conn.execute(orphan)
        outcomes[name] = "accepted: an article by nobody"
    except sqlite3.IntegrityError as error:
        outcomes[name] = f"refused: {error}"
    finally:
        conn.execute("ROLLBACK")
plain.close()
pd.Series(outcomes, name="insert an article with author_id 999999").to_frame()

# %% [markdown]
# ### Who waits for whom
#
# WAL lets readers and one writer work at the same time. Writers take turns:
# `BEGIN IMMEDIATE` takes the write lock, and a second writer waits for it, up
# to the busy timeout. Below, writer A holds the lock for 0.3 s. During that
# time a reader reads, writer B asks for the lock with the app's timeout, and
# writer C asks with a timeout of 0. Each runs in its own thread, on its own
# connection, like requests in a threaded server. (Writer B gets the lock a
# little after A lets go: SQLite's busy handler sleeps between its retries.)

# %%
started = time.monotonic()
lock_taken = threading.Event()
lanes = []  # (who, start, end, what happened), in seconds since `started`


def elapsed() -> float:
    return time.monotonic() - started


def writer_a():
    conn = connect(settings.database)
    try:
        start = elapsed()
        conn.execute("BEGIN IMMEDIATE")
        lock_taken.set()
        conn.execute("update articles set updated_at = updated_at where id = 1")
        time.sleep(0.3)  # a slow write, holding the lock
        conn.execute("COMMIT")
        lanes.append(("writer A", start, elapsed(), "holds the write lock"))
    finally:
        conn.close()


def reader():
    lock_taken.wait()
    time.sleep(0.05)
    conn = connect(settings.database)
    try:
        start = elapsed()
        count = conn.execute("select count(*) from articles").fetchone()[0]
        lanes.append(("reader", start, elapsed(), f"read {count} rows at once"))
    finally:
        conn.close()


def writer(name: str, busy_timeout_ms: int):
    lock_taken.wait()
    time.sleep(0.05)
    conn = connect(settings.database, busy_timeout_ms=busy_timeout_ms)
    try:
        start = elapsed()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("COMMIT")
        lanes.append((name, start, elapsed(), "waited, then wrote"))
    except sqlite3.OperationalError as error:
        lanes.append((name, start, elapsed(), f"failed at once: {error}"))
    finally:
        conn.close()


threads = [threading.Thread(target=writer_a), threading.Thread(target=reader),
           threading.Thread(target=writer, args=("writer B (timeout 5 s)", 5000)),
           threading.Thread(target=writer, args=("writer C (timeout 0)", 0))]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()

timeline = pd.DataFrame(lanes, columns=["who", "start (s)", "end (s)", "what happened"])
timeline = timeline.set_index("who").loc[["writer A", "reader", "writer B (timeout 5 s)",
                                          "writer C (timeout 0)"]].round(3)
timeline

# %%
fig, ax = plt.subplots(figsize=(8, 2.6))
for y, (_, lane) in enumerate(timeline.iterrows()):
    width = max(lane["end (s)"] - lane["start (s)"], 0.004)  # an instant still shows
    ax.barh(y, width, left=lane["start (s)"], color=plt.cm.tab10.colors[y])
    ax.text(lane["end (s)"] + 0.005, y, lane["what happened"], va="center", fontsize="small")
ax.set_yticks(range(len(timeline)), timeline.index)
ax.invert_yaxis()
ax.set_xlim(0, timeline["end (s)"].max() * 1.9)
ax.set_xlabel("seconds")
ax.set_title("WAL: readers never wait; writers take turns, within the busy timeout")
plt.show()

# %% [markdown]
# ## 3. Queries
#
# Routes never write SQL; they ask the store (`reference_app/database/store.py`), and
# every statement there is a constant with placeholders. This is the query
# behind `GET /api/articles`. One query serves every filter: a filter left as
# `NULL` matches everything.

# %%
print(LIST_ARTICLES)

# %%
params = list_params(tag="sql", author=None, favorited=None, limit=5, offset=0)
pd.DataFrame(db.query(LIST_ARTICLES, params))[["id", "slug", "author_id", "created_at"]]

# %% [markdown]
# The same question through the API gives the same articles, in the same order,
# now with the JSON shape the RealWorld spec asks for:

# %%
[article["slug"] for article in client.get("/api/articles?tag=sql&limit=5").json["articles"]]

# %% [markdown]
# Questions the API does not ask are one query away. Which tags are used most?
# (A join through `article_tags`, the table that links articles and tags,
# many to many.)

# %%
pd.DataFrame(db.query("""
    select t.name as tag, count(*) as articles
    from tags t join article_tags at on at.tag_id = t.id
    group by t.name order by articles desc, tag limit 5
"""))

# %% [markdown]
# ## 4. A transaction that rolls back
#
# `write_transaction()` starts with `BEGIN IMMEDIATE` and ends with `COMMIT`,
# or, if anything inside raises, with `ROLLBACK`: all or nothing. Below, a
# new tag and a new article are written, and then something fails half-way.
# A second connection, like a second request at the same moment, never sees
# the half-written state, and after the rollback nothing of it is left.

# %%
other = connect(settings.database)  # a second connection: another request, say
readings = []


def read(moment: str) -> None:
    readings.append({"moment": moment,
                     "articles (this connection)": db["articles"].count,
                     "articles (other connection)": other["articles"].count,
                     "tag 'half-written' exists": bool(db.execute(
                         "select count(*) from tags where name = 'half-written'").fetchone()[0])})


author_id = db.execute("select id from users where username = 'ada'").fetchone()[0]
read("before")
try:
    with write_transaction(db):
        db.execute("insert into tags (name) values ('half-written')")
        db.execute(
            "insert into articles (slug, title, description, body, author_id, created_at,"
            " updated_at) values (?, ?, ?, ?, ?, ?, ?)",
            ["doomed", "Doomed", "Never seen", "...", author_id, "2026-01-01", "2026-01-01"])
        read("inside, before the failure")
        raise RuntimeError("something failed half-way")
except RuntimeError as error:
    print(f"The block raised: {error!r}; write_transaction rolled back.")
read("after the rollback")
pd.DataFrame(readings)

# %% [markdown]
# The API agrees: there is no article `doomed`.

# %%
response = client.get("/api/articles/doomed", expect_errors=True)
response.status, response.json

# %% [markdown]
# ## 5. A cascade, committed
#
# This time the transaction succeeds. Deleting an article takes its comments,
# tag links and favourites with it, because the schema says `on delete cascade`.

# %%
slug = db.execute("select a.slug from articles a join comments c on c.article_id = a.id"
                  " limit 1").fetchone()[0]
article_id = db.execute("select id from articles where slug = ?", [slug]).fetchone()[0]


def rows_of_article() -> dict:
    return {table: db.execute(f"select count(*) from {table} where article_id = ?",  # noqa: S608
                              [article_id]).fetchone()[0]
            for table in ("comments", "article_tags", "favorites")}


before = rows_of_article()
with write_transaction(db):
    db.execute("delete from articles where id = ?", [article_id])
pd.DataFrame([before, rows_of_article()], index=[f"before deleting {slug}", "after"])

# %% [markdown]
# ## Try this
#
# Each cell below runs as it is. Change it and run it again.
#
# **1.** Ask your own question in SQL. Who wrote the most articles?

# %%
pd.DataFrame(db.query("""
    select u.username, count(a.id) as articles
    from users u left join articles a on a.author_id = u.id
    group by u.id order by articles desc limit 5
"""))

# %% [markdown]
# **2.** How does SQLite plan to run the app's list query? Look for `SCAN`
# (read every row) and `SEARCH ... USING INDEX` (jump to the rows). Lesson 6
# comes back to this.

# %%
pd.DataFrame(db.query("explain query plan " + LIST_ARTICLES, params))[["id", "parent", "detail"]]

# %% [markdown]
# **3.** Commit a change and see the API show it. Change the title below, or
# raise an exception inside the block and see it roll back.

# %%
first = client.get("/api/articles?limit=1").json["articles"][0]["slug"]
with write_transaction(db):
    db.execute("update articles set title = ? where slug = ?", ["Retitled in SQL", first])
client.get(f"/api/articles/{first}").json["article"]["title"]

# %% [markdown]
# ## Clean up
#
# Close both connections, then remove the temporary folder with the database.

# %%
other.close()
db.close()
scratch.cleanup()
