"""Lesson 7: the Prometheus files in deploy/prometheus/ are valid, and each alert
fires when it should and stays quiet when it should (promtool's rule tests)."""

import shutil
import subprocess
from pathlib import Path

from conftest import need_program

PROMETHEUS = Path(__file__).resolve().parent.parent / "deploy" / "prometheus"


def promtool(*args: str) -> subprocess.CompletedProcess:
    need_program("prometheus")  # Debian's prometheus package brings promtool
    program = shutil.which("promtool")
    assert program, "prometheus is installed, but not promtool beside it"
    return subprocess.run([program, *args], cwd=PROMETHEUS, capture_output=True, text=True,
                          timeout=60)


def test_the_prometheus_config_and_its_rules_are_valid():
    done = promtool("check", "config", "prometheus.yml")
    assert done.returncode == 0, done.stdout + done.stderr


def test_each_alert_fires_when_it_should_and_only_then():
    done = promtool("test", "rules", "alerts_test.yml")
    assert done.returncode == 0, done.stdout + done.stderr
