"""What the ``pact`` command line needs besides the API: colours, the
``[tool.pact]`` configuration, shell completion (docs/cli.md).

Imports only the standard library, click and :mod:`pactlang.api`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click

from pactlang.api import Streams

__all__ = [
    "CONFIG_ALIASES",
    "ConfigError",
    "completion_script",
    "default_map",
    "find_config",
    "load_config",
    "streams_for",
    "use_color",
]

COLOR_CHOICES = ("auto", "always", "never")


def use_color(choice: str, stream: Any) -> bool:
    """``--color``: ``always`` and ``never`` win; ``auto`` (the default) is colour
    when the stream is a terminal and ``NO_COLOR`` is unset or empty (no-color.org)."""
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


def streams_for(choice: str) -> Streams:
    err_tty = bool(getattr(sys.stderr, "isatty", lambda: False)())
    color_err = use_color(choice, sys.stderr)
    return Streams(
        color_out=use_color(choice, sys.stdout),
        color_err=color_err,
        progress_bars=err_tty and color_err,
    )


# ------------------------------------------------------------------ configuration


class ConfigError(click.ClickException):
    """A bad configuration file: the message names the file and the key."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"error: {self.format_message()}", err=True)


#: other names a configuration key may have (``language = "en"`` is ``lang``)
CONFIG_ALIASES = {"language": "lang"}
#: options whose values are files: relative to the configuration file's folder
PATH_PARAMS = {"data_path", "journal_path", "template_dir", "state_path", "output"}


def find_config(start: Path | None = None) -> Path | None:
    """The nearest ``pact.toml``, or ``pyproject.toml`` with a ``[tool.pact]``
    table, in ``start`` (the current directory) or its parents."""
    folder = (start or Path.cwd()).resolve()
    for place in (folder, *folder.parents):
        own = place / "pact.toml"
        if own.is_file():
            return own
        project = place / "pyproject.toml"
        if project.is_file() and _has_tool_pact(project):
            return project
    return None


def _has_tool_pact(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return "[tool.pact" in text


def load_config(path: Path) -> dict[str, Any]:
    """The ``[tool.pact]`` table (or a ``pact.toml``'s top level)."""
    import tomllib

    try:
        with open(path, "rb") as fh:
            doc = tomllib.load(fh)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    tool = doc.get("tool", {})
    table = tool.get("pact") if isinstance(tool, dict) else None
    if path.name == "pact.toml" and table is None:
        return doc
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.pact] must be a table")
    return table


def _option(command: click.Command, key: str) -> click.Option | None:
    wanted = "--" + CONFIG_ALIASES.get(key, key).replace("_", "-")
    for param in command.params:
        if isinstance(param, click.Option) and wanted in param.opts:
            return param
    return None


def _value(path: Path, where: str, param: click.Option, value: Any) -> Any:
    """A configuration value checked against its option (a clear error, never a traceback)."""
    ptype = param.type
    if param.is_flag:
        if not isinstance(value, bool):
            raise ConfigError(f"{path}: {where}: expected true or false, got {value!r}")
        return value
    if param.multiple:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{path}: {where}: expected a list of strings, got {value!r}")
        return value
    if isinstance(ptype, click.Choice):
        if not isinstance(value, str) or value not in ptype.choices:
            choices = ", ".join(map(str, ptype.choices))
            raise ConfigError(f"{path}: {where}: expected one of {choices}, got {value!r}")
        return value
    if isinstance(ptype, (click.types.IntParamType, click.types.FloatParamType)):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(f"{path}: {where}: expected a number, got {value!r}")
        return value
    if not isinstance(value, str):
        raise ConfigError(f"{path}: {where}: expected a string, got {value!r}")
    if param.name in PATH_PARAMS and value != "-":
        return str(path.parent / value) if not Path(value).is_absolute() else value
    return value


def default_map(group: click.Group, path: Path, table: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """click's ``default_map`` from a configuration table: a sub-table per
    command (``[tool.pact.eval] format = "json"``), and top-level keys that
    apply to every command having that option (``lang = "en"``); the
    command's own table wins over a top-level key."""
    prefix = "" if path.name == "pact.toml" and "tool" not in table else "tool.pact."
    out: dict[str, dict[str, Any]] = {}
    shared: dict[str, Any] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            command = group.commands.get(key)
            if command is None:
                known = ", ".join(sorted(group.commands))
                raise ConfigError(f"{path}: [{prefix}{key}]: no command `pact {key}` (commands: {known})")
            for opt_key, opt_value in value.items():
                param = _option(command, opt_key)
                if param is None or param.name is None:
                    raise ConfigError(f"{path}: [{prefix}{key}] {opt_key}: `pact {key}` has no option --{opt_key.replace('_', '-')}")
                out.setdefault(key, {})[param.name] = _value(path, f"[{prefix}{key}] {opt_key}", param, opt_value)
        else:
            shared[key] = value
    for key, value in shared.items():
        # a top-level key applies to the commands whose option takes its value
        # (`format = "json"`: eval, check, vote…, not render); an error when none does
        options = [(n, p) for n, c in group.commands.items() if (p := _option(c, key)) is not None and p.name]
        if not options:
            raise ConfigError(f"{path}: {key}: no command has an option --{CONFIG_ALIASES.get(key, key).replace('_', '-')}")
        refused: ConfigError | None = None
        accepted = 0
        for name, param in options:
            try:
                checked = _value(path, f"{prefix.rstrip('.') or 'top level'} {key}", param, value)
            except ConfigError as exc:
                refused = refused or exc
                continue
            accepted += 1
            out.setdefault(name, {}).setdefault(str(param.name), checked)
        if not accepted and refused is not None:
            raise refused
    return out


# ------------------------------------------------------------------ completion


def completion_script(group: click.Group, shell: str) -> str:
    """The completion script of ``shell`` (click's ``_PACT_COMPLETE`` protocol)."""
    from click.shell_completion import get_completion_class

    cls = get_completion_class(shell)
    if cls is None:  # pragma: no cover - the CLI offers only known shells
        raise click.BadParameter(shell)
    return cls(group, {}, "pact", "_PACT_COMPLETE").source()


def lsp_command() -> int:
    """``pact lsp``: the language server on standard input and output (the
    language server sits beside the CLI, in the commands layer)."""
    from pactlang.api import CommandError

    try:
        from pactlang.lsp.server import serve
    except ImportError as exc:
        if exc.name in ("pygls", "lsprotocol") or (exc.name or "").startswith(("pygls.", "lsprotocol.")):
            raise CommandError("`pact lsp` needs pygls: pip install 'pactlang[lsp]'") from None
        raise
    serve()
    return 0

