"""The one Jinja setup of every templated output (the annex of ``pact render``,
the steering report of ``pact report``).

Every template — packaged, or from a user's ``--template-dir`` — runs in
Jinja's *sandbox* (:class:`Sandbox`): attributes starting with ``_``
(``__globals__``, ``__subclasses__``, ``__class__`` …), functions' internals
and unsafe methods are refused with ``SecurityError``, ``range`` is limited to
100,000 items, and ``*``/``**`` cannot build values beyond
:data:`MAX_TEMPLATE_VALUE` characters or digits.  Undefined names are errors
(``StrictUndefined``), blocks are trimmed, the trailing newline is kept, and
HTML is autoescaped (``autoescape=False`` only for Markdown, whose callers
escape through ``finalize``).  The filters every output shares are installed
here (``css_string``); each output adds its own.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

__all__ = ["MAX_TEMPLATE_VALUE", "Sandbox", "css_string", "environment", "loader"]

#: Largest string, list or number (in characters, items or digits) that ``*`` and
#: ``**`` may build in a template.
MAX_TEMPLATE_VALUE = 1_000_000


class Sandbox(SandboxedEnvironment):
    """Jinja's sandbox, with ``*`` and ``**`` bounded (a template must not be able to
    exhaust memory with ``"x" * 10**12`` or ``9 ** 9 ** 9``)."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(
        self, context: jinja2.runtime.Context, operator: str, left: object, right: object
    ) -> object:
        if operator == "**" and isinstance(left, int) and isinstance(right, int):
            if abs(left) > 1 and right * abs(left).bit_length() > 4 * MAX_TEMPLATE_VALUE:
                raise jinja2.sandbox.SecurityError("the power is too large for a template")
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, str | list | tuple) and isinstance(times, int):
                    if len(seq) * times > MAX_TEMPLATE_VALUE:
                        raise jinja2.sandbox.SecurityError(
                            "the repetition is too large for a template"
                        )
        return super().call_binop(context, operator, left, right)


def css_string(text: object) -> Markup:
    """A CSS string literal (for ``content:`` in the page footer)."""
    s = str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ")
    s = s.replace("<", "\\3c ").replace(">", "\\3e ")
    return Markup(f'"{s}"')


def loader(package: str, template_dir: str | os.PathLike[str] | None = None) -> jinja2.BaseLoader:
    """The templates of ``package`` (its ``templates/`` folder); those of
    ``template_dir``, when given, replace the packaged ones of the same name."""
    packaged = jinja2.PackageLoader(package, "templates")
    if template_dir is None:
        return packaged
    return jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(Path(template_dir))), packaged])


def environment(
    source: jinja2.BaseLoader,
    *,
    autoescape: bool = True,
    finalize: Callable[[object], object] | None = None,
) -> jinja2.Environment:
    """A sandboxed environment over ``source`` with the shared settings and filters."""
    env = Sandbox(
        loader=source,
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=finalize,
    )
    env.filters["css_string"] = css_string
    return env
