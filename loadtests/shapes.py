"""A step load for finding the knee: more users every few seconds, then stop.

Locust uses a shape class whenever one is in the files it loads, and then
ignores ``--users`` and ``--run-time``. So this file is separate, and only a
run that asks for it gets it: ``-f loadtests/locustfile.py,loadtests/shapes.py``
(or ``make load SHAPE=step``).

Watch requests/s as the steps climb: it rises with the users until the server
is busy, then stays flat while the latency grows. That bend is the knee, and
the user count just before it is what this server can take.
"""

from __future__ import annotations

import os

from locust import LoadTestShape


class StepLoad(LoadTestShape):
    """``STEP_USERS`` more users every ``STEP_SECONDS``, for ``STEPS`` steps."""

    step_users = int(os.environ.get("STEP_USERS", "10"))
    step_seconds = int(os.environ.get("STEP_SECONDS", "10"))
    steps = int(os.environ.get("STEPS", "6"))

    def tick(self):
        step = int(self.get_run_time() // self.step_seconds)
        if step >= self.steps:
            return None  # done: Locust stops the test
        users = self.step_users * (step + 1)
        return users, users  # spawn the whole step within about a second
