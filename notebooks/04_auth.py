# %% [markdown]
# # Lesson 4 notebook: auth
#
# At stage 4 the demo author is gone and real accounts arrive. In this
# notebook you register and log in, take the token apart and check its
# signature, watch the API turn away an expired token, a tampered one and
# several other fakes, and time one Argon2id password hash against one
# SHA-256, to see why a slow hash is the whole point.
#
# **Lesson:** [Lesson 4: Auth](../lessons/04_auth/index.md)
#
# **Needs:** only the project's Python environment. The app runs in this
# process (WebTest) on a temporary database, removed in the last cell.

# %%
import base64
import hashlib
import json
import secrets
import statistics
import time
from datetime import datetime, timezone
from functools import partial

import jwt
import matplotlib.pyplot as plt
import pandas as pd
from argon2 import PasswordHasher

from reference_app import Settings
from reference_app.auth.credentials import Credentials, password_hasher
from reference_app.database.connection import connect

from helpers import Scratch, client_for

scratch = Scratch()  # a temporary folder for the database; the last cell removes it
# A signing key made here, so that this notebook can check signatures itself.
# (The app would otherwise generate one into its instance folder.) Argon2 is
# turned down, as in the tests, so cells run fast; section 4 times the real cost.
signing_key = secrets.token_urlsafe(48)
settings = scratch.seeded(users=3, articles=10, jwt_secret=signing_key)
client = client_for(4, settings)  # the app at stage 4, called in this process (WebTest)
audit_log = scratch.audit_log()  # the app's audit log, as a list: a table in section 3

# %% [markdown]
# ## 1. Register and log in
#
# Registering answers 201 with the new user and a token. Mistakes get the same
# kind of field-keyed errors as in lesson 3; a name that is taken is a 409
# Conflict. Logging in with a wrong password and logging in with an email
# nobody has get the very same answer: the API does not tell a stranger which
# emails have accounts.

# %%
alice = {"username": "alice", "email": "alice@example.com", "password": "correct horse battery"}
rows = []


def attempt(what: str, path: str, user: dict):
    response = client.post_json(path, {"user": user}, expect_errors=True)
    shown = dict(response.json)
    if "user" in shown:  # a token is long: show its start only
        shown["user"] = {**shown["user"], "token": shown["user"]["token"][:20] + "..."}
    rows.append({"attempt": what, "status": response.status, "answer": json.dumps(shown)})
    return response


registered = attempt("register alice", "/api/users", alice)
attempt("register alice again", "/api/users", alice)
attempt("short password", "/api/users", {**alice, "username": "bob", "email": "b@x.org",
                                         "password": "short"})
attempt("bad email", "/api/users", {**alice, "username": "bob", "email": "not-an-email"})
logged_in = attempt("log in", "/api/users/login",
                    {"email": alice["email"], "password": alice["password"]})
attempt("wrong password", "/api/users/login", {"email": alice["email"], "password": "wrong!!!"})
attempt("unknown email", "/api/users/login", {"email": "nobody@example.com", "password": "x"})
pd.DataFrame(rows)

# %% [markdown]
# What the database keeps is not the password but an Argon2id hash of it. The
# hash string carries everything needed to check a password later: the
# algorithm, its version, its cost parameters, a random salt, and the hash.
# (`m=8,t=1` is this notebook's cheap setting; production uses `m=19456,t=2`.)

# %%
db = connect(settings.database)
stored = db.execute("select password_hash from users where username = 'alice'").fetchone()[0]
ada_id = str(db.execute("select id from users where username = 'ada'").fetchone()[0])
db.close()
_, algorithm, version, parameters, salt, digest = stored.split("$")
pd.DataFrame({"part": ["algorithm", "version", "parameters", "salt (base64)", "hash (base64)"],
              "value": [algorithm, version, parameters, salt, digest],
              "meaning": ["Argon2, the id variant", "19 = Argon2 1.3",
                          "memory in KiB, passes, lanes", "16 random bytes, new per hash",
                          "32 bytes: what the password must reproduce"]})

# %% [markdown]
# ## 2. Inside the token
#
# The token is a JWT: three base64url parts joined by dots. The first two are
# plain JSON that anyone can read: a JWT is *signed*, not encrypted, so it must
# never carry a secret. The third part is the HMAC-SHA256 signature over the
# first two, made with the server's key.

# %%
token = logged_in.json["user"]["token"]


def unpadded_b64decode(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


header_part, payload_part, signature_part = token.split(".")
print("header:   ", unpadded_b64decode(header_part).decode())
print("payload:  ", unpadded_b64decode(payload_part).decode())
print("signature:", signature_part, f"({len(unpadded_b64decode(signature_part))} bytes)")

# %% [markdown]
# Reading is not trusting. `jwt.decode` with the key checks the signature and
# the expiry, accepts only HS256, checks that the token is meant for the API
# (its audience), and requires the claims the app relies on. These are the same
# checks the app makes on every request.

# %%
claims = jwt.decode(token, signing_key, algorithms=["HS256"], audience="api",
                    options={"require": ["exp", "sub", "aud", "key"]})


def when(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


pd.DataFrame([
    {"claim": "sub", "value": claims["sub"], "means": "subject: the user id this token is for"},
    {"claim": "key", "value": claims["key"],
     "means": "the user's session key: logout and a password change replace it"},
    {"claim": "aud", "value": claims["aud"],
     "means": "audience: the API; the pages' session cookie says 'pages'"},
    {"claim": "iat", "value": claims["iat"], "means": f"issued at {when(claims['iat'])}"},
    {"claim": "exp", "value": claims["exp"],
     "means": f"expires at {when(claims['exp'])}, {(claims['exp'] - claims['iat']) // 3600} h "
              "later"},
])

# %% [markdown]
# ## 3. Tokens the API turns away
#
# The token goes back to the server as `Authorization: Token <jwt>`. Below,
# the real token and a row of fakes, each checked twice: by PyJWT with the key,
# and by the API. A wrong token is a 401 with `token: is invalid`, never
# silently treated as "not logged in". The tampered token is the interesting
# one: it claims to be another user, and only the signature gives it away. The
# one with an old session key is the other: PyJWT finds nothing wrong with it,
# and only the server's own record of alice's key refuses it.

# %%
now = int(time.time())
alice_id = claims["sub"]


def encode_part(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


fakes = {
    "the real token": token,
    "expired an hour ago": jwt.encode({**claims, "iat": now - 7200, "exp": now - 3600},
                                      signing_key, algorithm="HS256"),
    "made out to the pages": jwt.encode({**claims, "aud": "pages"}, signing_key,
                                        algorithm="HS256"),
    "an old session key": jwt.encode({**claims, "key": "0" * 32}, signing_key,
                                     algorithm="HS256"),
    "tampered: sub changed to ada's id": ".".join(
        [header_part, encode_part({**claims, "sub": ada_id}), signature_part]),
    "signed with another key": jwt.encode(claims, secrets.token_urlsafe(48), algorithm="HS256"),
    "alg none, no signature": ".".join(
        [encode_part({"alg": "none", "typ": "JWT"}), payload_part, ""]),
    "no exp claim": jwt.encode({k: v for k, v in claims.items() if k != "exp"}, signing_key,
                               algorithm="HS256"),
    "not a JWT": "hello",
}
rows = []
for what, candidate in fakes.items():
    try:
        jwt.decode(candidate, signing_key, algorithms=["HS256"], audience="api",
                   options={"require": ["exp", "sub", "aud", "key"]})
        verdict = "valid"
    except jwt.InvalidTokenError as error:
        verdict = f"{type(error).__name__}: {error}"
    response = client.get("/api/user", headers={"Authorization": f"Token {candidate}"},
                          expect_errors=True)
    rows.append({"token": what, "PyJWT with the key": verdict, "API status": response.status,
                 "API answer": response.json.get("errors") or response.json["user"]["username"]})
for what, header in [("no Authorization header", None), ("'Bearer' instead of 'Token'",
                                                          f"Bearer {token}")]:
    response = client.get("/api/user", headers={"Authorization": header} if header else {},
                          expect_errors=True)
    rows.append({"token": what, "PyJWT with the key": "", "API status": response.status,
                 "API answer": response.json.get("errors")})
pd.DataFrame(rows)

# %% [markdown]
# That record is how a session ends before its token expires. A password change
# (or a logout on the pages) gives the user a new session key, and every token
# that carries the old one stops working, on every device. Here bob changes his
# password: his old token is refused, and the answer's new token works.

# %%
bob = {"username": "bob", "email": "bob@example.com", "password": "bob's first password"}
bob_token = client.post_json("/api/users", {"user": bob}).json["user"]["token"]
changed = client.put_json("/api/user", {"user": {"password": "bob's second password"}},
                          headers={"Authorization": f"Token {bob_token}"}).json["user"]
pd.DataFrame([
    {"token": what, "GET /api/user": client.get(
        "/api/user", headers={"Authorization": f"Token {candidate}"},
        expect_errors=True).status}
    for what, candidate in [("bob's token from before the change", bob_token),
                            ("the token the change answered with", changed["token"])]])

# %% [markdown]
# Meanwhile the server kept an audit log of what happened: registrations,
# logins, rejected tokens. Note what it leaves out: no password and no token.
# A failed login names the account by a short hash of the email, enough to spot
# many attempts on one account without writing anyone's address down.

# %%
pd.DataFrame(audit_log).value_counts().rename("times").to_frame()

# %% [markdown]
# What the token unlocks: the personal feed needs a login, and following an
# author changes what it holds.

# %%
auth = {"Authorization": f"Token {token}"}
feed_before = client.get("/api/articles/feed", headers=auth).json["articlesCount"]
followed = client.post("/api/profiles/ada/follow", headers=auth).json["profile"]
feed_after = client.get("/api/articles/feed", headers=auth).json["articlesCount"]
anonymous = client.get("/api/articles/feed", expect_errors=True)
pd.DataFrame([
    {"request": "GET /api/articles/feed, no token", "result": f"{anonymous.status}"},
    {"request": "GET /api/articles/feed as alice", "result": f"{feed_before} articles"},
    {"request": "POST /api/profiles/ada/follow", "result": f"following: {followed['following']}"},
    {"request": "GET /api/articles/feed as alice", "result": f"{feed_after} articles"},
])

# %% [markdown]
# ## 4. Why a slow hash is the point
#
# If the users table leaks, an attacker tries guesses offline, as fast as their
# hardware allows. Every guess costs one hash. SHA-256 was built to be fast;
# Argon2id is built to be slow, and to need memory (19 MiB per hash here), so
# that guesses cannot be run by the thousand in parallel on a GPU. Below: one
# hash of each, timed on this machine with the production parameters,
# `password_hasher(Settings())`.

# %%
password = alice["password"].encode()
production = password_hasher(Settings())  # the defaults: Argon2id, m=19456 KiB, t=2, p=1
cheap = password_hasher(settings)  # this notebook's setting, for comparison


def seconds_per_hash(hash_once, repeat: int) -> float:
    """The median of ``repeat`` timed runs: robust to one slow outlier."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        hash_once()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


sha_runs = 10_000
sha256 = seconds_per_hash(lambda: [hashlib.sha256(password).digest()
                                   for _ in range(sha_runs)], 5) / sha_runs
timings = pd.DataFrame([
    {"hash": "SHA-256", "seconds per hash": sha256},
    {"hash": "Argon2id, m=8 KiB, t=1 (this notebook)",
     "seconds per hash": seconds_per_hash(lambda: cheap.hash(alice["password"]), 20)},
    {"hash": "Argon2id, m=19 MiB, t=2 (production)",
     "seconds per hash": seconds_per_hash(lambda: production.hash(alice["password"]), 5)},
]).set_index("hash")


def duration(seconds: float) -> str:
    """0.00000034 -> '0.34 µs', 0.0204 -> '20.4 ms', 20358000 -> '236 days'."""
    for unit, size in [("years", 365 * 86400), ("days", 86400), ("hours", 3600),
                       ("minutes", 60), ("s", 1), ("ms", 1e-3), ("µs", 1e-6)]:
        if seconds >= size:
            return f"{seconds / size:.3g} {unit}"
    return f"{seconds * 1e9:.3g} ns"


pd.DataFrame({
    "time per hash": timings["seconds per hash"].map(duration),
    "guesses per second, one core": (1 / timings["seconds per hash"]).map("{:,.0f}".format),
    "times slower than SHA-256": (timings["seconds per hash"] / sha256).map("{:,.0f}".format),
})

# %%
microseconds = timings["seconds per hash"] * 1e6
ax = microseconds.plot.barh(logx=True, figsize=(8, 2.6),
                            color=["tab:green", "tab:olive", "tab:red"])
for y, value in enumerate(microseconds):
    ax.text(value * 1.15, y, duration(value / 1e6), va="center")
ax.set_xlim(right=microseconds.max() * 20)
ax.set_xlabel("microseconds per hash (log scale: each step is 10 times slower)")
ax.set_ylabel("")
ax.invert_yaxis()
ax.set_title("One hash each: what one password guess costs an attacker")
plt.show()

# %% [markdown]
# For a person logging in, tens of milliseconds go unnoticed. For an attacker
# trying a list of a billion common passwords against one stolen hash, it is
# the difference between these:

# %%
guesses = 1_000_000_000
(guesses * timings["seconds per hash"]).map(duration).rename(
    "a billion guesses, one core").to_frame()

# %% [markdown]
# The app also makes a failed login take as long for an email nobody has as
# for a real account with a wrong password: it hashes against a dummy hash
# (`Credentials.check_password`), so timing does not reveal who has an
# account. Measured with the production parameters:

# %%
credentials = Credentials(Settings(jwt_secret=signing_key))  # production Argon2 parameters
real_user = {"password_hash": credentials.hash_password(alice["password"])}
credentials.check_password(None, "warm-up")  # the dummy hash is made on first use
pd.Series({
    "right password": seconds_per_hash(
        lambda: credentials.check_password(real_user, alice["password"]), 5),
    "wrong password": seconds_per_hash(lambda: credentials.check_password(real_user, "wrong"), 5),
    "no such user": seconds_per_hash(lambda: credentials.check_password(None, "wrong"), 5),
}, name="milliseconds per check").mul(1000).round(1).to_frame()

# %% [markdown]
# ## Try this
#
# Each cell below runs as it is. Change it and run it again.
#
# **1.** Make your own token with the key and use it. Give it a `sub` of a
# user that does not exist, another user's `sub` (their `key` is not alice's),
# or an `exp` ten seconds away and wait.

# %%
mine = jwt.encode({**claims, "exp": int(time.time()) + 60}, signing_key, algorithm="HS256")
client.get("/api/user", headers={"Authorization": f"Token {mine}"}, expect_errors=True).json

# %% [markdown]
# **2.** Raise the Argon2id cost and time it. What memory cost would take
# 0.5 s on this machine? (Memory is in KiB: 19456 KiB is 19 MiB.)

# %%
for memory_kib in [19456, 2 * 19456]:
    hasher = PasswordHasher(time_cost=2, memory_cost=memory_kib, parallelism=1)
    print(f"{memory_kib:>6} KiB: {duration(seconds_per_hash(partial(hasher.hash, 'x'), 3))}")

# %% [markdown]
# **3.** Change alice's profile with her token. Which fields can you change,
# and what does the API say to an image that is not a URL?

# %%
client.put_json("/api/user", {"user": {"bio": "I read notebooks."}}, headers=auth).json["user"]

# %% [markdown]
# ## Clean up
#
# Give the audit log back to the logging system, and remove the temporary
# folder with the database.

# %%
scratch.cleanup()
