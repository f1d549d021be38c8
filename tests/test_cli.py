"""The command line: every command, and one clear line for every mistake."""

import os
import socket
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from reference_app import LAST_STAGE, STAGES, servers
from reference_app.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_routes_prints_one_line_per_route(capsys):
    code, out, _ = run(capsys, "routes", "--stage", "1")
    assert code == 0
    assert "GET /api/articles" in out.splitlines()
    assert all(line.split(" ", 1)[0] in {"GET", "POST", "PUT", "DELETE"}
               for line in out.splitlines())


def test_each_stage_route_table_contains_the_one_before(capsys):
    tables = {}
    for stage in STAGES:
        tables[stage] = set(run(capsys, "routes", "--stage", str(stage))[1].splitlines())
    for stage in list(STAGES)[1:]:
        assert tables[stage - 1] <= tables[stage], f"stage {stage} must only add routes"


def test_routes_writes_no_files(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run(capsys, "routes")
    assert list(tmp_path.iterdir()) == []


def test_seed_and_reset(capsys, tmp_path):
    db = str(tmp_path / "x.db")
    code, _, err = run(capsys, "seed", "--db", db, "--users", "4", "--articles", "8")
    assert code == 0 and "8 articles" in err and "4 users" in err
    code, _, err = run(capsys, "seed", "--db", db, "--if-empty")
    assert code == 0 and "already has articles" in err
    code, _, err = run(capsys, "reset", "--db", db)
    assert code == 0 and "Reset" in err
    code, _, err = run(capsys, "seed", "--db", db, "--if-empty", "--articles", "5")
    assert "5 articles" in err


def test_seed_shows_a_progress_bar_for_big_seeds(capsys, tmp_path):
    _, _, err = run(capsys, "seed", "--db", str(tmp_path / "x.db"), "--users", "2",
                    "--articles", "5000")
    assert "100%" in err and "4995/4995" in err  # tqdm's bar, after the 5 demo articles


@pytest.mark.parametrize("argv, message", [
    (["serve", "--stage", "99"], "invalid choice"),
    (["serve", "--port", "eighty"], "invalid int value"),
    (["bogus"], "invalid choice"),
])
def test_bad_arguments_are_one_clear_line_and_exit_2(capsys, argv, message):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_bad_numbers_for_seed(capsys, tmp_path):
    code, _, err = run(capsys, "seed", "--db", str(tmp_path / "x.db"), "--users", "0")
    assert code == 1 and "--users must be at least 1" in err


def test_an_unusable_database_path_is_one_line(capsys, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    code, _, err = run(capsys, "seed", "--db", str(blocker / "x.db"))
    assert code == 1 and err.startswith("reference-app: ") and len(err.splitlines()) == 1


def test_a_bad_environment_setting_is_one_line(capsys, monkeypatch):
    monkeypatch.setenv("STAGECRAFT_BUSY_TIMEOUT_MS", "soon")
    code, _, err = run(capsys, "routes")
    assert code == 1 and "STAGECRAFT_BUSY_TIMEOUT_MS: expected a whole number" in err


def start_server(tmp_path, *args):
    env = {**os.environ, "STAGECRAFT_INSTANCE_PATH": str(tmp_path / "instance")}
    process = subprocess.Popen(
        [sys.executable, "-m", "reference_app", "serve", "--port", "0",
         "--db", str(tmp_path / "s.db"), *args],
        stderr=subprocess.PIPE, text=True, env=env)
    line = process.stderr.readline()  # printed once the socket is bound
    return process, line.split(" on ")[1].split()[0] if " on " in line else line


@pytest.mark.stage(1)
def test_serve_answers_over_real_http_at_every_stage(tmp_path, stage, app_module):
    process, url = start_server(tmp_path, "--stage", str(stage), "--app", app_module)
    try:
        assert url.startswith("http://127.0.0.1:"), url
        with urllib.request.urlopen(url + "api/tags", timeout=10) as response:
            assert response.status == 200
        with urllib.request.urlopen(url, timeout=10) as response:
            assert b"conduit" in response.read()
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_serve_on_a_port_in_use_is_one_line(tmp_path):
    process, url = start_server(tmp_path)
    try:
        port = url.rsplit(":", 1)[1].strip("/")
        result = subprocess.run(
            [sys.executable, "-m", "reference_app", "serve", "--port", port,
             "--db", str(tmp_path / "s.db")], capture_output=True, text=True, timeout=30,
            env={**os.environ, "STAGECRAFT_INSTANCE_PATH": str(tmp_path / "instance")})
        assert result.returncode == 1
        assert "Address already in use" in result.stderr and "Traceback" not in result.stderr
    finally:
        process.terminate()
        process.wait(timeout=10)


# The reference app with one more route, which crashes whatever its path says.
CRASHING_APP = '''
from reference_app import create_app as reference


def create_app(stage, settings):
    app = reference(stage, settings)

    def crash(anything):
        raise RuntimeError("a bug")

    app.route("/crash/<anything>", "GET", crash)
    return app
'''


def raw_request(port: int, request: bytes) -> bytes:
    """Send bytes no HTTP client would, and read the answer's head."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(request)
        return connection.recv(4096)


def test_the_development_server_log_cannot_be_forged(tmp_path):
    (tmp_path / "crashing_app.py").write_text(CRASHING_APP, "utf-8")
    env = {**os.environ, "STAGECRAFT_INSTANCE_PATH": str(tmp_path / "instance")}
    with servers.app_server(prod=False, app="crashing_app", database=tmp_path / "s.db",
                            cwd=tmp_path, env=env, ready="Ctrl-C stops it") as server:
        # The path decodes to "x", a newline, then a line of the attacker's choosing.
        with pytest.raises(urllib.error.HTTPError) as crashed:
            urllib.request.urlopen(server.url + "/crash/x%0aFORGED%20LINE", timeout=10)
        assert crashed.value.code == 500
        raw_request(server.port, b"GET /nope\x1b[2J HTTP/1.0\r\n\r\n")  # a terminal escape
    lines = server.lines
    assert not [line for line in lines if line.startswith("FORGED")], lines
    assert any("500 on GET /crash/x\\x0aFORGED LINE" in line for line in lines), lines
    assert "\x1b" not in server.log


def test_the_development_server_does_not_name_the_python_version(tmp_path):
    process, url = start_server(tmp_path)
    try:
        with urllib.request.urlopen(url + "api/tags", timeout=10) as response:
            assert response.headers["Server"] == "WSGIServer"
        port = int(url.rsplit(":", 1)[1].strip("/"))
        # A header line over 64 KiB: wsgiref answers with an error page of its own.
        too_long = raw_request(port, b"GET / HTTP/1.1\r\nX: " + b"x" * 70_000 + b"\r\n\r\n")
        assert too_long.startswith(b"HTTP/1.0 431") and b"Server: WSGIServer\r\n" in too_long
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_python_dash_m_shows_help():
    result = subprocess.run([sys.executable, "-m", "reference_app", "--help"],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0 and "serve" in result.stdout and "seed" in result.stdout


def test_last_stage_is_the_default(capsys):
    assert run(capsys, "routes")[1] == run(capsys, "routes", "--stage", str(LAST_STAGE))[1]
