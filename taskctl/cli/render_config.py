"""How the `config` commands' and `version`'s results look: values, tables, explanations.

Each function takes one result of `cli/results.py` and writes it through
`cli/render.py`, which owns the streams. A `doc` is `ResolvedConfig.explain`'s
description of one key.
"""

from __future__ import annotations

from typing import Any

from taskctl.cli import results
from taskctl.cli.render import (
    clean,
    emit_json,
    emit_line,
    emit_lines,
    emit_table,
    message,
    plain_table,
    warning,
)
from taskctl.core.config.schema import format_value, toml_literal


def config_value(result: results.ConfigValue) -> None:
    """`config get`: the value alone (`true`, `10`, `high`), or its typed JSON."""
    if result.as_json:
        emit_json(result.value)
    else:
        emit_line(clean(format_value(result.value)))


def config_set(result: results.ConfigSet) -> None:
    """`config set`: what was written where (stderr), and what still overrides it."""
    key = result.key
    message(f"wrote {key} = {format_value(result.value)} to {result.path}")
    if result.overridden_by is not None:
        warning(
            f"{key} is still {result.overridden_by}, which overrides the"
            f" {result.scope} file; `taskctl config explain {key}` shows the chain"
        )
    if result.as_json:
        emit_json({"key": key, "value": result.value, "path": result.path, "scope": result.scope})


def config_unset(result: results.ConfigUnset) -> None:
    """`config unset`: whether the file changed (stderr), and the value that now applies."""
    key = result.key
    if result.removed:
        message(f"removed {key} from {result.path}")
    else:
        message(f"{key} is not set in {result.path}; nothing was written")
    message(f"{key} is now {result.now}")
    if result.as_json:
        emit_json(
            {"key": key, "path": result.path, "scope": result.scope, "removed": result.removed}
        )


def _winner_location(doc: dict[str, Any]) -> str | None:
    return next((s["location"] for s in doc["chain"] if s["winner"]), None)


def config_list(result: results.ConfigList) -> None:
    """`config list`: every key's effective value."""
    docs = result.docs
    if result.as_json:
        emit_json(
            [
                {
                    "key": d["key"],
                    "value": d["value"],
                    "source": d["source"],
                    "location": _winner_location(d),
                    "error": d["error"],
                }
                for d in docs
            ]
        )
        return
    show_origin = result.show_origin
    headers = ["KEY", "VALUE"] + (["SOURCE", "LOCATION"] if show_origin else [])
    rows: list[list[str]] = []
    for d in docs:
        winner = next(s for s in d["chain"] if s["winner"])
        shown = (
            format_value(d["value"])
            if d["error"] is None
            else "invalid: " + toml_literal(winner["value"])
        )
        row = [d["key"], clean(shown)]
        if show_origin:
            row += [d["source"], clean(winner["location"] or "built-in")]
        rows.append(row)
    display = result.display
    emit_table(headers, rows, rich_table=display.table, color=display.color)


def _variable_status(doc: dict[str, Any]) -> str:
    places = [
        "the environment" if s["source"] == "env" else s["location"]
        for s in doc["chain"]
        if s["source"] in ("env", "dotenv")
    ]
    return f"set in {', '.join(places)}" if places else "not set"


def _explain_lines(doc: dict[str, Any]) -> list[str]:
    chain = doc["chain"]
    winner = next(s for s in chain if s["winner"])
    shown = format_value(doc["value"]) if doc["error"] is None else "(invalid)"
    lines = [
        f"{doc['key']} = {clean(shown)}",
        f"  source    {doc['source']} {clean(winner['location'] or '(built-in)')}",
        "  chain     every source that sets it, lowest precedence first:",
    ]
    rows: list[list[str]] = []
    for i, entry in enumerate(chain):
        status = "winner" if entry["winner"] else f"overridden by {chain[i + 1]['source']}"
        if entry["error"] is not None:
            status += ", invalid"
        rows.append(
            [
                ">" if entry["winner"] else " ",
                entry["source"],
                clean(toml_literal(entry["value"])),
                clean(entry["location"] or "built-in"),
                status,
            ]
        )
    table = plain_table(["", "SOURCE", "VALUE", "LOCATION", "STATUS"], rows)
    lines += ["    " + line.rstrip() for line in table]
    lines += [f"  invalid   {clean(e['error'])}" for e in chain if e["error"] is not None]
    allowed = f", one of {', '.join(doc['allowed'])}" if doc["allowed"] else ""
    lines += [
        f"  variable  {doc['env_var']} ({clean(_variable_status(doc))})",
        f"  type      {doc['type']}{allowed}" if allowed else f"  type      {doc['expected']}",
        f"  default   {format_value(doc['default'])}",
        f"  meaning   {doc['description']}",
    ]
    return lines


def config_explain(result: results.ConfigExplained) -> None:
    """`config explain`: per key, value, source, the full chain, variable, type, default."""
    for text in result.warnings:
        warning(text)
    docs = result.docs
    if result.as_json:
        emit_json(docs[0] if result.single else docs)
        return
    blocks = ["\n".join(_explain_lines(doc)) for doc in docs]
    emit_line("\n\n".join(blocks))


def config_paths(result: results.ConfigPaths) -> None:
    """`config path`: every file consulted, in precedence order, and where `set` writes."""
    target = result.target
    if result.as_json:
        emit_json({"files": result.files, "write_target": target})
        return
    rows = []
    for f in result.files:
        state = "yes" if f["exists"] else "no"
        if f["error"]:
            state = "yes, unreadable"
        rows.append([f["source"], state, clean(f["path"])])
    display = result.display
    emit_table(["SOURCE", "EXISTS", "PATH"], rows, rich_table=display.table, color=display.color)
    emit_line(f"config set writes {clean(target['path'])} ({target['scope']}: {target['reason']})")


def config_problems(result: results.ConfigProblems) -> None:
    """`config validate`: one line per problem, or that there is none (stderr)."""
    problems = result.problems
    if result.as_json:
        emit_json({"valid": not problems, "problems": problems})
    else:
        emit_lines(
            f"{'error' if p['blocking'] else 'warning'}: {clean(p['message'])}" for p in problems
        )
    if not problems:
        read = result.files_read
        message(f"configuration is valid ({read} file{'s' if read != 1 else ''} read)")


def about(result: results.About) -> None:
    """`taskctl version`: versions, then paths, one `name  value` line each."""
    info = result.info
    if result.as_json:
        emit_json(info)
        return
    python = info["python"]
    paths = info["paths"]
    rows = [
        ("taskctl", info["taskctl"]),
        ("python", f"{python['version']} ({python['implementation']}, {python['executable']})"),
        ("platform", info["platform"]),
        *((name, version or "not installed") for name, version in info["dependencies"].items()),
        ("project root", paths["project_root"] or "none (the personal store)"),
        ("tasks file", paths["tasks_file"]),
        ("user config", paths["user_config_file"]),
        ("user data", paths["user_data_dir"]),
    ]
    width = max(len(name) for name, _ in rows)
    emit_lines(f"{name.ljust(width)}  {clean(value)}" for name, value in rows)
