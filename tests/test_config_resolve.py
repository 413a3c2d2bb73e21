"""Resolution: every source, every precedence pair, strict coercion, unknown keys, lines."""

from __future__ import annotations

import itertools
import os
from pathlib import Path
from typing import Any

import platformdirs
import pytest

from taskctl.core.config.locator import key_lines
from taskctl.core.config.resolved import ResolvedConfig
from taskctl.core.config.schema import SOURCES, key_specs
from taskctl.core.config.sources import resolve, system_config_file, user_config_file
from taskctl.core.errors import ConfigError
from taskctl.core.settings import Settings


class Sources:
    """Puts values into each source of one temporary home and project."""

    def __init__(self, home: Path, root: Path) -> None:
        self.root = root
        self.environ: dict[str, str] = dict(os.environ)
        self.overrides: list[str] = []
        self.paths = {
            "system": home / "etc-xdg" / "taskctl" / "config.toml",
            "user": home / ".config" / "taskctl" / "config.toml",
            "project": root / ".taskctl.toml",
            "dotenv": root / ".env",
        }

    def write(self, source: str, text: str) -> Path:
        path = self.paths[source]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def put(self, source: str, key: str, text: str) -> None:
        section, name = key.split(".")
        variable = f"TASKCTL_{section}_{name}".upper()
        if source in ("system", "user", "project"):
            self.write(source, f'[{section}]\n{name} = "{text}"\n')
        elif source == "dotenv":
            self.write(source, f"{variable}={text}\n")
        elif source == "env":
            self.environ[variable] = text
        elif source == "cli":
            self.overrides.append(f"{key}={text}")

    def resolve(self) -> ResolvedConfig:
        return resolve(self.root, self.overrides, self.environ)


@pytest.fixture
def src(isolated_home: Path, tmp_path: Path) -> Sources:
    root = tmp_path / "proj"
    root.mkdir()
    return Sources(isolated_home, root)


# --------------------------------------------------------------------------- sources


def test_defaults_alone_give_the_schema_defaults(src: Sources) -> None:
    resolved = src.resolve()
    assert resolved.settings == Settings()
    assert resolved.warnings == []
    assert all(chain[-1].source == "default" for chain in resolved.chains.values())


@pytest.mark.parametrize("source", SOURCES[1:])
def test_each_source_sets_a_value(src: Sources, source: str) -> None:
    src.put(source, "tasks.default_priority", "high")
    resolved = src.resolve()
    assert resolved.settings.tasks.default_priority == "high"
    assert resolved.winner("tasks.default_priority").source == source


PAIRS = list(itertools.combinations(SOURCES[1:], 2))


@pytest.mark.parametrize(("lower", "higher"), PAIRS, ids=[f"{a}<{b}" for a, b in PAIRS])
def test_every_precedence_pair(src: Sources, lower: str, higher: str) -> None:
    src.put(lower, "tasks.default_priority", "low")
    src.put(higher, "tasks.default_priority", "high")
    resolved = src.resolve()
    assert resolved.settings.tasks.default_priority == "high"
    chain = resolved.chains["tasks.default_priority"]
    assert [s.source for s in chain] == ["default", lower, higher]
    assert [s.raw for s in chain] == ["medium", "low", "high"]


def test_all_seven_sources_chain_in_precedence_order(src: Sources) -> None:
    for source in SOURCES[1:]:
        src.put(source, "output.format", "plain" if source != "cli" else "json")
    chain = src.resolve().chains["output.format"]
    assert [s.source for s in chain] == list(SOURCES)
    assert chain[-1].value == "json"


def test_locations_name_file_line_variable_and_flag(src: Sources) -> None:
    src.write("user", "# mine\n\n[tasks]\nsort = 'priority'\n")
    src.write("dotenv", "OTHER=1\n# note\nTASKCTL_TASKS_SORT=status\n")
    src.environ["TASKCTL_TASKS_SORT"] = "id"
    src.overrides.append("tasks.sort=priority")
    chain = src.resolve().chains["tasks.sort"]
    assert [s.location for s in chain] == [
        None,
        f"{src.paths['user']}:4",
        f"{src.paths['dotenv']}:3",
        "TASKCTL_TASKS_SORT",
        "-c",
    ]


def test_system_file_is_platformdirs_site_config_dir(isolated_home: Path) -> None:
    # conftest points XDG_CONFIG_DIRS into the temp home; platformdirs must honour it.
    site = Path(platformdirs.site_config_dir("taskctl", appauthor=False)) / "config.toml"
    assert system_config_file(os.environ) == site
    assert site.is_relative_to(isolated_home)


def test_system_file_is_the_first_absolute_xdg_config_dir(tmp_path: Path) -> None:
    dirs = os.pathsep.join(["relative", str(tmp_path / "a"), str(tmp_path / "b")])
    assert (
        system_config_file({"XDG_CONFIG_DIRS": dirs}) == tmp_path / "a" / "taskctl" / "config.toml"
    )


def test_user_file_honours_xdg_config_home(tmp_path: Path) -> None:
    assert user_config_file({"XDG_CONFIG_HOME": str(tmp_path)}) == (
        tmp_path / "taskctl" / "config.toml"
    )
    assert user_config_file(os.environ) == (
        Path(platformdirs.user_config_dir("taskctl", appauthor=False)) / "config.toml"
    )


def test_no_project_means_no_project_file_or_dotenv(isolated_home: Path) -> None:
    resolved = resolve(None, [], dict(os.environ))
    assert [f.source for f in resolved.files] == ["system", "user"]


def test_repeated_override_last_wins(src: Sources) -> None:
    src.overrides += ["tasks.sort=priority", "tasks.sort=status"]
    resolved = src.resolve()
    assert resolved.settings.tasks.sort == "status"
    assert [s.raw for s in resolved.chains["tasks.sort"]] == ["id", "priority", "status"]


def test_override_value_may_contain_equals(src: Sources) -> None:
    src.overrides.append("tasks.default_tag=a=b")
    assert src.resolve().settings.tasks.default_tag == "a=b"


def test_dotenv_forms(src: Sources) -> None:
    src.write(
        "dotenv",
        "\n".join(
            [
                "PATH_LIKE=/usr/bin",
                "export TASKCTL_TASKS_DEFAULT_TAG='feature x'",
                'TASKCTL_OUTPUT_FORMAT="json"',
                "TASKCTL_STORAGE_BACKUPS=3   # keep three",
                "# TASKCTL_TASKS_SORT=priority",
                "",
            ]
        ),
    )
    resolved = src.resolve()
    assert resolved.settings.tasks.default_tag == "feature x"
    assert resolved.settings.output.format == "json"
    assert resolved.settings.storage.backups == 3
    assert resolved.settings.tasks.sort == "id"
    assert resolved.warnings == []


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('TASKCTL_STORAGE_BACKUPS="3" # keep 3', 3),
        ("TASKCTL_STORAGE_BACKUPS='3'   # keep 3", 3),
        ('TASKCTL_STORAGE_BACKUPS="3"#keep', 3),
        ("TASKCTL_STORAGE_BACKUPS=3 # keep 3", 3),
        ("TASKCTL_STORAGE_BACKUPS=3\t# keep 3", 3),
        ('export TASKCTL_STORAGE_BACKUPS = "4"  ', 4),
    ],
)
def test_dotenv_values_may_be_followed_by_a_comment(src: Sources, line: str, expected: int) -> None:
    src.write("dotenv", f"{line}\n")
    assert src.resolve().settings.storage.backups == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('"a # b"', "a # b"),
        ('"say \\"hi\\" \\\\ done"', 'say "hi" \\ done'),
        ("'it''s'", None),
        ("'a\\nb'", "a\\nb"),
        ("a#b", "a#b"),
    ],
)
def test_dotenv_quotes_follow_the_usual_rules(
    src: Sources, value: str, expected: str | None
) -> None:
    src.write("dotenv", f"TASKCTL_TASKS_DEFAULT_TAG={value}\n")
    if expected is None:  # text after the closing quote that is not a comment
        with pytest.raises(ConfigError, match=r"\.env:1 \(TASKCTL_TASKS_DEFAULT_TAG\): invalid"):
            _ = src.resolve().settings
    else:
        assert src.resolve().settings.tasks.default_tag == expected


def test_an_unclosed_quote_in_a_taskctl_line_is_an_error_naming_it(src: Sources) -> None:
    path = src.write("dotenv", 'OTHER=1\nTASKCTL_TASKS_DEFAULT_TAG="feature\n')
    with pytest.raises(ConfigError) as caught:
        _ = src.resolve().settings
    assert caught.value.message == (
        f"{path}:2 (TASKCTL_TASKS_DEFAULT_TAG): invalid value "
        '"\\"feature" for tasks.default_tag: its opening " is never closed'
    )
    assert caught.value.exit_code == 2


def test_other_tools_lines_never_matter_whatever_bytes_they_hold(src: Sources) -> None:
    src.paths["dotenv"].write_bytes(
        b"\xef\xbb\xbfSECRET=\xff\xfe not utf-8\n"
        b"NUL=a\x00b\n"
        b"{{ garbage = 'unclosed\n"
        b'MULTI="line \x85 one\xe2\x80\xa8 two"\n'
        b"export TASKCTL_STORAGE_BACKUPS=7\n"
        b"\x00\x01\x02\n"
    )
    resolved = src.resolve()
    assert resolved.settings.storage.backups == 7
    assert resolved.problems == ()
    assert resolved.chains["storage.backups"][-1].location == f"{src.paths['dotenv']}:5"


def test_an_undecodable_taskctl_line_is_an_error_naming_its_line(src: Sources) -> None:
    path = src.paths["dotenv"]
    path.write_bytes(b"OTHER=\xff\nTASKCTL_TASKS_DEFAULT_TAG=caf\xe9\n")
    resolved = src.resolve()
    with pytest.raises(ConfigError) as caught:
        _ = resolved.settings
    assert caught.value.message == (
        f'{path}:2 (TASKCTL_TASKS_DEFAULT_TAG): invalid value "caf\\\\xe9"'
        " for tasks.default_tag: not UTF-8 text"
    )
    assert resolved.explain("tasks.default_tag")["chain"][-1]["value"] == "caf\\xe9"


def test_undecodable_bytes_in_the_environment_are_an_error_not_a_crash(src: Sources) -> None:
    src.environ["TASKCTL_TASKS_DEFAULT_TAG"] = b"caf\xe9".decode("utf-8", "surrogateescape")
    with pytest.raises(ConfigError, match="not UTF-8 text"):
        _ = src.resolve().settings


# --------------------------------------------------------------------------- coercion


def _value(src: Sources, source: str, key: str, text: str) -> Any:
    src.put(source, key, text)
    section, name = key.split(".")
    return getattr(getattr(src.resolve().settings, section), name)


BOOLS = [
    ("true", True), ("TRUE", True), ("True", True), ("yes", True), ("YES", True),
    ("on", True), ("On", True), ("1", True), ("false", False), ("False", False),
    ("no", False), ("NO", False), ("off", False), ("OFF", False), ("0", False),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), BOOLS)
@pytest.mark.parametrize("source", ["env", "cli", "dotenv", "user"])
def test_booleans_accept_the_documented_words(
    src: Sources, source: str, text: str, expected: bool
) -> None:
    assert _value(src, source, "tasks.with_subtasks", text) is expected


@pytest.mark.parametrize("text", ["y", "n", "2", "-1", "truee", "enable", "", "tru e", "0.0"])
def test_booleans_reject_everything_else(src: Sources, text: str) -> None:
    src.put("env", "tasks.with_subtasks", text)
    with pytest.raises(ConfigError, match="expected true or false") as caught:
        _ = src.resolve().settings
    assert caught.value.exit_code == 2


@pytest.mark.parametrize(
    ("text", "expected"), [("5", 5.0), ("2.5", 2.5), ("0", 0.0), (".5", 0.5), ("1e1", 10.0)]
)
def test_numbers_parse(src: Sources, text: str, expected: float) -> None:
    assert _value(src, "env", "storage.lock_timeout", text) == expected


@pytest.mark.parametrize(
    "text", ["abc", "", "nan", "inf", "-1", "1_0", "0x10", "\uff15", "1,5", "1e400"]
)
def test_numbers_must_parse_and_respect_their_minimum(src: Sources, text: str) -> None:
    src.put("env", "storage.lock_timeout", text)
    with pytest.raises(ConfigError, match=r"expected a number >= 0"):
        _ = src.resolve().settings


@pytest.mark.parametrize("text", ["2.5", "3.0", "-1", "three", "1e2", ""])
def test_whole_numbers_reject_fractions_and_words(src: Sources, text: str) -> None:
    src.put("cli", "storage.backups", text)
    with pytest.raises(ConfigError, match=r"expected a whole number >= 0"):
        _ = src.resolve().settings


def test_whole_numbers_parse(src: Sources) -> None:
    assert _value(src, "env", "storage.backups", "25") == 25
    assert _value(src, "cli", "storage.backups", " 0 ") == 0


@pytest.mark.parametrize(
    ("key", "text", "near"),
    [
        ("tasks.default_priority", "HIGH", "high"),
        ("tasks.default_priority", "urgent", None),
        ("tasks.default_status", "in_progress", "in-progress"),
        ("output.format", "tabel", "table"),
        ("output.color", "", None),
    ],
)
def test_enums_must_be_one_of_their_values(
    src: Sources, key: str, text: str, near: str | None
) -> None:
    src.put("env", key, text)
    with pytest.raises(ConfigError, match="expected one of") as caught:
        _ = src.resolve().settings
    if near:
        assert f"did you mean {near}?" in str(caught.value)


def test_empty_tag_is_rejected(src: Sources) -> None:
    src.put("cli", "tasks.default_tag", " ")
    with pytest.raises(ConfigError, match="expected a non-empty string"):
        _ = src.resolve().settings


NATIVE_OK = [
    ("storage.lock_timeout", "5", 5.0),
    ("storage.lock_timeout", "2.5", 2.5),
    ("storage.backups", "4", 4),
    ("tasks.with_subtasks", "true", True),
    ("tasks.with_subtasks", '"yes"', True),
    ("storage.lock_timeout", '"7"', 7.0),
    ("tasks.default_priority", "'low'", "low"),
    ("tasks.with_subtasks", "1", True),  # the documented 1/0, as TOML integers too
    ("tasks.with_subtasks", "0", False),
]


@pytest.mark.parametrize(("key", "literal", "expected"), NATIVE_OK)
def test_toml_native_values_and_strings(
    src: Sources, key: str, literal: str, expected: Any
) -> None:
    section, name = key.split(".")
    src.write("user", f"[{section}]\n{name} = {literal}\n")
    settings = src.resolve().settings
    assert getattr(getattr(settings, section), name) == expected


NATIVE_BAD = [
    ("storage.lock_timeout", "true"),
    ("storage.lock_timeout", "inf"),
    ("storage.lock_timeout", "-2"),
    ("storage.backups", "2.0"),
    ("storage.backups", "false"),
    ("tasks.with_subtasks", "2"),
    ("tasks.with_subtasks", "-1"),
    ("tasks.with_subtasks", "1.0"),
    ("tasks.default_priority", "3"),
    ("tasks.default_tag", '["a"]'),
    ("tasks.default_tag", "1979-05-27"),
]


@pytest.mark.parametrize(("key", "literal"), NATIVE_BAD)
def test_toml_values_of_the_wrong_type_are_errors(src: Sources, key: str, literal: str) -> None:
    section, name = key.split(".")
    path = src.write("project", f"[{section}]\n{name} = {literal}\n")
    with pytest.raises(ConfigError, match=f"{path}:2: invalid value .* for {key}: expected"):
        _ = src.resolve().settings


@pytest.mark.parametrize(
    ("source", "where"),
    [
        ("user", "{user}:2: "),
        ("system", "{system}:2: "),
        ("project", "{project}:2: "),
        ("dotenv", "{dotenv}:1 (TASKCTL_STORAGE_LOCK_TIMEOUT): "),
        ("env", "TASKCTL_STORAGE_LOCK_TIMEOUT: "),
        ("cli", "-c storage.lock_timeout=soon: "),
    ],
)
def test_a_bad_value_names_its_source_raw_text_and_expectation(
    src: Sources, source: str, where: str
) -> None:
    src.put(source, "storage.lock_timeout", "soon")
    resolved = src.resolve()  # never raises
    with pytest.raises(ConfigError) as caught:
        _ = resolved.settings
    prefix = where.format(**{k: str(v) for k, v in src.paths.items()})
    assert caught.value.message == (
        f'{prefix}invalid value "soon" for storage.lock_timeout: expected a number >= 0'
    )
    assert caught.value.exit_code == 2
    assert caught.value.hint


def test_a_shadowed_bad_value_is_a_warning_not_an_error(src: Sources) -> None:
    src.put("user", "storage.lock_timeout", "soon")
    src.put("env", "storage.lock_timeout", "3")
    resolved = src.resolve()
    assert resolved.settings.storage.lock_timeout == 3.0
    assert len(resolved.warnings) == 1
    assert "overridden by env TASKCTL_STORAGE_LOCK_TIMEOUT" in resolved.warnings[0]


def test_value_of_one_key_survives_a_bad_other_key(src: Sources) -> None:
    src.put("env", "storage.lock_timeout", "soon")
    src.put("user", "tasks.sort", "priority")
    resolved = src.resolve()
    assert resolved.value("tasks.sort") == "priority"
    with pytest.raises(ConfigError, match="TASKCTL_STORAGE_LOCK_TIMEOUT"):
        resolved.value("storage.lock_timeout")


def test_malformed_file_is_recorded_with_its_line_not_raised(src: Sources) -> None:
    path = src.write("user", "[tasks]\ndefault_priority = 'high'\nsort = \n")
    src.put("env", "output.format", "json")
    resolved = src.resolve()
    assert resolved.chains["output.format"][-1].value == "json"
    with pytest.raises(ConfigError, match=f"^{path}:3: the user config file is not valid TOML"):
        _ = resolved.settings
    with pytest.raises(ConfigError, match=f"{path}:3"):
        resolved.value("output.format")


def test_unreadable_bytes_are_recorded(src: Sources) -> None:
    src.paths["project"].write_bytes(b"[tasks]\nsort = '\xff'\n")
    with pytest.raises(ConfigError, match="not UTF-8"):
        _ = src.resolve().settings


def test_bad_override_syntax_and_unknown_override_key(src: Sources) -> None:
    src.overrides.append("tasks.sort")
    with pytest.raises(ConfigError, match="expected KEY=VALUE"):
        _ = src.resolve().settings
    src.overrides[:] = ["tasks.default_priorty=high"]
    with pytest.raises(ConfigError, match=r"did you mean tasks\.default_priority\?"):
        _ = src.resolve().settings


# --------------------------------------------------------------------------- unknown keys


def test_unknown_keys_in_files_warn_with_location_and_suggestion(src: Sources) -> None:
    path = src.write(
        "user",
        "\n".join(
            [
                "default_priority = 'high'",
                "[tasks]",
                "default_prority = 'high'",
                "lock_timeout = 3",
                "[taks]",
                "sort = 'id'",
                "[colours]",
                "",
            ]
        ),
    )
    resolved = src.resolve()
    assert resolved.warnings == [
        f"{path}:1: unknown key default_priority (did you mean tasks.default_priority?)",
        f"{path}:3: unknown key tasks.default_prority (did you mean tasks.default_priority?)",
        f"{path}:4: unknown key tasks.lock_timeout (did you mean storage.lock_timeout?)",
        f"{path}:6: unknown key taks.sort (did you mean tasks.sort?)",
        f"{path}:7: unknown section [colours]",
    ]
    assert resolved.settings == Settings()  # warnings never block


@pytest.mark.parametrize(("literal", "shown"), [("5", "5"), ("'high'", '"high"')])
def test_a_section_that_is_not_a_table_is_an_error(src: Sources, literal: str, shown: str) -> None:
    path = src.write("project", f"# team\ntasks = {literal}\n")
    resolved = src.resolve()  # never raises
    with pytest.raises(ConfigError) as caught:
        _ = resolved.settings
    assert caught.value.message == (
        f"{path}:2: invalid value {shown} for tasks: expected a table ([tasks])"
    )
    assert caught.value.exit_code == 2
    assert resolved.warnings == []


def test_unknown_environment_variables_warn(src: Sources) -> None:
    src.environ["TASKCTL_TASKS_DEFAULT_PRIORTY"] = "high"
    src.environ["TASKCTL_ZZZ"] = "1"
    src.environ["TASKCTL_PROJECT"] = "/somewhere"
    src.environ["TASKCTL_DEBUG"] = "1"
    src.environ["TASKCTLX"] = "1"
    assert src.resolve().warnings == [
        (
            "unknown variable TASKCTL_TASKS_DEFAULT_PRIORTY in the environment"
            " (did you mean TASKCTL_TASKS_DEFAULT_PRIORITY?)"
        ),
        "unknown variable TASKCTL_ZZZ in the environment",
    ]


def test_unknown_dotenv_variables_warn_with_file_and_line(src: Sources) -> None:
    path = src.write(
        "dotenv", "TASKCTL_OUTPUT_COLOUR=never\nTASKCTL_PROJECT=/x\nTASKCTL_TASKS_SORT\n"
    )
    assert src.resolve().warnings == [
        f"{path}:1: unknown variable TASKCTL_OUTPUT_COLOUR (did you mean TASKCTL_OUTPUT_COLOR?)",
        f"{path}:2: TASKCTL_PROJECT has no effect in .env",
        f"{path}:3: TASKCTL_TASKS_SORT has no `=`; the line is ignored",
    ]


def test_every_key_has_a_variable_and_a_description() -> None:
    specs = key_specs()
    assert {"tasks.default_priority", "storage.lock_timeout", "output.color"} <= set(specs)
    for spec in specs.values():
        assert spec.env_var == "TASKCTL_" + spec.key.replace(".", "_").upper()
        assert spec.description.endswith(".")


# --------------------------------------------------------------------------- key lines


def test_key_lines_for_headers_dotted_quoted_and_inline_keys() -> None:
    text = "\n".join(
        [
            "# comment [tasks]",  # 1
            'top.key = "x"',  # 2
            "tasks.sort = 'id'",  # 3
            "",  # 4
            "[ storage ]  # a header",  # 5
            '  "lock_timeout" = 5',  # 6
            "'backups' = 2",  # 7
            "[output]",  # 8
            "format = { nested = 1 }",  # 9
            "color='never'",  # 10
        ]
    )
    lines = key_lines(text)
    assert lines[("tasks", "sort")] == 3
    assert lines[("storage",)] == 5
    assert lines[("storage", "lock_timeout")] == 6
    assert lines[("storage", "backups")] == 7
    assert lines[("output", "format")] == 9
    assert lines[("output", "color")] == 10
    assert lines[("top", "key")] == 2


def test_key_lines_skip_multiline_values() -> None:
    text = "\n".join(
        [
            'notes = """',  # 1
            "[tasks]",  # 2: inside a string
            'sort = "id"',  # 3: inside a string
            '"""',  # 4
            "list = [",  # 5
            "  [1, 2],",  # 6: a nested array, not a header
            "  'default_tag = x', # comment ]",  # 7
            "]",  # 8
            "lit = '''",  # 9
            "default_tag = 1",  # 10: inside a literal string
            "'''",  # 11
            "[tasks]",  # 12
            'esc = "a \\" [b]"',  # 13
            "sort = 'priority'",  # 14
            'multi = """ends with quotes""""',  # 15
            "default_tag = 'x'",  # 16
            "[[entries]]",  # 17
            "sort = 'id'",  # 18
        ]
    )
    lines = key_lines(text)
    assert lines[("tasks",)] == 12
    assert lines[("tasks", "sort")] == 14
    assert lines[("tasks", "default_tag")] == 16
    assert ("default_tag",) not in lines
    assert lines[("entries", "[]", "sort")] == 18


def test_key_lines_with_crlf_and_inline_table_lookup(src: Sources) -> None:
    path = src.write("project", "# c\r\ntasks = { sort = 'bogus' }\r\n")
    with pytest.raises(ConfigError, match=f"{path}:2: invalid value"):
        _ = src.resolve().settings


def test_inline_table_sections_resolve(src: Sources) -> None:
    src.write("project", "tasks = { default_priority = 'low', with_subtasks = 'on' }\n")
    settings = src.resolve().settings
    assert settings.tasks.default_priority == "low"
    assert settings.tasks.with_subtasks is True
