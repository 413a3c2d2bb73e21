"""The README's table of configuration keys, generated from the schema."""

from __future__ import annotations

from taskctl.core.config.schema import format_value, key_specs


def markdown_key_table() -> str:
    """The README's table of every key, generated from the schema."""
    rows = [
        "| key | type | default | variable | description |",
        "| --- | --- | --- | --- | --- |",
    ]
    for spec in key_specs().values():
        kind: str = spec.type
        default = "[]" if spec.type == "list" and not spec.default else format_value(spec.default)
        if spec.type == "list":
            kind = "list of folders"
        elif spec.choices:
            kind = " \\| ".join(f"`{c}`" for c in spec.choices)
        elif spec.minimum is not None:
            kind = f"{kind} >= {format_value(spec.minimum)}"
        elif spec.min_length:
            kind = f"non-empty {kind}"
        rows.append(
            f"| `{spec.key}` | {kind} | `{default}` | `{spec.env_var}` | {spec.description} |"
        )
    return "\n".join(rows) + "\n"
