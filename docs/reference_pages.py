"""The site's Reference pages, generated from the code at every build.

Each ``*_page`` function returns Markdown. docs/hooks.py appends it to the
page's hand-written introduction in docs/pages/reference/, so nothing
generated is written to disk or to git, and nothing can drift:

- ``api_page``: the HTTP API, from ``GET /api/openapi.json`` of ``create_app()``
  (the last stage), with the lesson that added each operation;
- ``cli_page``: ``reference-app --help`` and ``python -m lessons --help``, and
  the help of each of their commands;
- ``settings_page``: every field of ``reference_app.core.settings.Settings``, with
  its description, environment variable and default.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import secrets
import tempfile
from collections.abc import Iterator
from unittest import mock
from wsgiref.util import setup_testing_defaults

import bottle

HTTP_METHODS = ("get", "post", "put", "delete", "patch")


# ---- The HTTP API --------------------------------------------------------------
@contextlib.contextmanager
def scratch_settings() -> Iterator[object]:
    """Default settings, but with a throwaway database, instance folder and key:
    building the app for the docs must touch no real data and write no secret."""
    from reference_app import Settings

    with tempfile.TemporaryDirectory(prefix="stagecraft-docs-") as scratch:
        yield dataclasses.replace(Settings(), database=os.path.join(scratch, "docs.db"),
                                  instance_path=scratch, jwt_secret=secrets.token_urlsafe(48))


def wsgi_get(app: bottle.Bottle, path: str) -> bytes:
    """GET ``path`` from ``app`` in process, as a WSGI server would; 200 or an error."""
    environ: dict = {}
    setup_testing_defaults(environ)
    environ.update(REQUEST_METHOD="GET", PATH_INFO=path, QUERY_STRING="")
    status = []
    body = b"".join(app(environ, lambda line, headers, exc_info=None: status.append(line)))
    if not status or not status[0].startswith("200"):
        raise RuntimeError(f"GET {path} answered {status[:1]}, not 200")
    return body


def openapi_and_stages() -> tuple[dict, dict]:
    """The last stage's OpenAPI document, and {(method, path): first stage with it}."""
    from reference_app import LAST_STAGE, STAGES, create_app
    from reference_app.core.openapi import openapi_path

    since: dict[tuple[str, str], int] = {}
    with scratch_settings() as settings:
        for stage in sorted(STAGES):
            app = create_app(stage, settings)
            for route in app.routes:
                since.setdefault((route.method.lower(), openapi_path(route.rule)), stage)
            if stage == LAST_STAGE:
                document = json.loads(wsgi_get(app, "/api/openapi.json"))
    return document, since


def schema_anchor(name: str) -> str:
    return "schema-" + name.lower()


def type_of(schema: dict) -> str:
    """A short, linked description of a schema, for a table cell."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return f"[`{name}`](#{schema_anchor(name)})"
    kind = schema.get("type", "any")
    if isinstance(kind, list):
        return " or ".join(f"`{k}`" for k in kind)
    if kind == "array":
        return f"array of {type_of(schema.get('items', {}))}"
    if kind == "object" and schema.get("properties"):
        inner = ", ".join(f"`{key}`: {type_of(value)}"
                          for key, value in schema["properties"].items())
        return "{" + inner + "}"
    text = f"`{kind}`"
    if "format" in schema:
        text += f" ({schema['format']})"
    return text


def limits_of(schema: dict) -> str:
    parts = [f"{word} {schema[key]}" for key, word in
             (("minimum", "min"), ("maximum", "max"), ("default", "default")) if key in schema]
    return ", ".join(parts)


def property_rows(schema: dict, prefix: str = "") -> Iterator[str]:
    """One table row per property; inline objects are flattened as ``user.email``."""
    required = set(schema.get("required", []))
    for name, value in schema.get("properties", {}).items():
        path = prefix + name
        nested = value.get("type") == "object" and value.get("properties")
        shown = "`object`" if nested else type_of(value)
        yield f"| `{path}` | {shown} | {'yes' if name in required else 'no'} |"
        if nested:
            yield from property_rows(value, prefix=path + ".")


def auth_of(operation: dict) -> str:
    security = operation.get("security")
    if not security:
        return "none"
    return "optional" if {} in security else "required"


def operation_anchor(method: str, path: str) -> str:
    slug = "".join(c if c.isalnum() else "-" for c in path.strip("/")).strip("-")
    return f"{method}-{slug}".lower()


def api_page() -> tuple[str, str]:
    """(Markdown for the API page, the OpenAPI JSON for reference/openapi.json)."""
    from reference_app import STAGES

    document, since = openapi_and_stages()
    operations = [(since.get((method, path), max(STAGES)), method, path, op)
                  for path, item in document["paths"].items()
                  for method, op in item.items() if method in HTTP_METHODS]
    operations.sort(key=lambda o: (o[0], o[2], HTTP_METHODS.index(o[1])))
    out = [
        f"{document['info']['title']}, OpenAPI {document['openapi']}, as served by "
        f"stage {max(STAGES)}.",
        "",
        "## Operations",
        "",
        "| Method | Path | Summary | Auth | Since |",
        "|---|---|---|---|---|",
    ]
    for stage, method, path, op in operations:
        anchor = operation_anchor(method, path)
        out.append(f"| `{method.upper()}` | [`{path}`](#{anchor}) | {op['summary']} | "
                   f"{auth_of(op)} | lesson {stage} |")
    current = None
    for stage, method, path, op in operations:
        if stage != current:
            current = stage
            out += ["", f"## Lesson {stage}: {STAGES.get(stage, '')}"]
        out += ["", f"### {method.upper()} {path} {{#{operation_anchor(method, path)}}}",
                "", f"{op['summary'].capitalize()}. Auth: **{auth_of(op)}**.", ""]
        if op.get("parameters"):
            out += ["| Parameter | In | Type | Required | Limits |", "|---|---|---|---|---|"]
            out += [f"| `{p['name']}` | {p['in']} | {type_of(p['schema'])} | "
                    f"{'yes' if p.get('required') else 'no'} | {limits_of(p['schema'])} |"
                    for p in op["parameters"]]
            out.append("")
        if "requestBody" in op:
            body = op["requestBody"]["content"]["application/json"]["schema"]
            out += [f"Request body (`application/json`): {type_of(body)}", ""]
        out += ["| Status | Meaning | Body |", "|---|---|---|"]
        for status, answer in op["responses"].items():
            content = answer.get("content", {}).get("application/json")
            shown = type_of(content["schema"]) if content else "empty"
            out.append(f"| {status} | {answer['description']} | {shown} |")
    out += ["", "## Schemas"]
    for name, schema in document["components"]["schemas"].items():
        out += ["", f"### {name} {{#{schema_anchor(name)}}}", "",
                "| Field | Type | Required |", "|---|---|---|", *property_rows(schema)]
    return "\n".join(out) + "\n", json.dumps(document, indent=2) + "\n"


# ---- The command line ----------------------------------------------------------
def commands_of(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:  # argparse has no public way to list subcommands
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def help_sections(command: str, parser: argparse.ArgumentParser) -> list[str]:
    out = ["```console", f"$ {command} --help", parser.format_help().rstrip(), "```"]
    for name, sub in commands_of(parser).items():
        out += ["", f"### {command} {name}", "", "```console", f"$ {command} {name} --help",
                sub.format_help().rstrip(), "```"]
    return out


def cli_page() -> str:
    from lessons.cli import build_parser
    from reference_app.cli import parser

    # argparse wraps help to the terminal's width: make it the same on every machine.
    with mock.patch.dict(os.environ, {"COLUMNS": "88"}):
        app_help = help_sections("reference-app", parser())
        lessons_help = help_sections("python -m lessons", build_parser())
    return "\n".join([
        "## reference-app",
        "",
        "Runs and manages the reference app at any stage. `python -m reference_app` "
        "is the same program; `make serve`, `make seed`, `make reset` and `make routes` "
        "call it.",
        "",
        *app_help,
        "",
        "## python -m lessons",
        "",
        "The exercise runner: see [the lessons' README](../../../lessons/README.md). "
        "`make check LESSON=N` calls `check --lesson N`.",
        "",
        *lessons_help,
    ]) + "\n"


# ---- Settings --------------------------------------------------------------------
def shown_default(f: dataclasses.Field) -> str:
    value = f.default
    if value is None:
        return "unset"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, tuple):
        return f"`{','.join(value)}`" if value else "empty"
    return f"`{value}`"


def settings_page() -> str:
    from reference_app.core.settings import Settings, env_name

    rows = []
    for f in dataclasses.fields(Settings):
        doc = f.metadata.get("doc", "").replace("|", "\\|")
        secret = " Secret: never logged." if f.metadata.get("secret") else ""
        rows.append(f"| `{env_name(f)}` | {shown_default(f)} | {doc}{secret} |")
    return "\n".join([
        "| Environment variable | Default | What it does |",
        "|---|---|---|",
        *rows,
    ]) + "\n"
