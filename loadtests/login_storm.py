"""The login storm: users who do nothing but log in (the lab's experiment 5).

Kept out of ``locustfile.py`` so that an ordinary run never includes it: load
it next to that file, ``-f loadtests/locustfile.py,loadtests/login_storm.py``,
and name the class, ``LoginStorm``. Every login is a correct one, to an account
that ``reference-app seed`` made: the storm measures the cost of Argon2id, and
must not trip the login throttling that answers wrong passwords with 429.
"""

from __future__ import annotations

# Locust puts this folder on the import path while it loads a locustfile.
from conduit_user import SEEDED_DOMAIN, SEEDED_PASSWORD, ConduitUser
from locust import tag, task


class LoginStorm(ConduitUser):
    """Logs in to a seeded account, again and again: all of its requests are logins."""

    # Half a Reader's weight: 30 users with Reader make 20 readers and 10 of these.
    weight = 3

    @tag("login")
    @task
    def log_in_again(self):
        username = self.some_author()
        if username:
            user = {"email": f"{username}@{SEEDED_DOMAIN}", "password": SEEDED_PASSWORD}
            self.call("POST", "/api/users/login", 200, body={"user": user})
