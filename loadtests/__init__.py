"""Stagecraft's load-testing lab: Locust scenarios, and the runner that serves the
app, loads it, and reports. Start with ``locustfile.py``; run ``python -m loadtests``."""
