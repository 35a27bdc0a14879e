"""Markdown and HTML output through Jinja templates.

Templates live in ``pactlang/render/templates`` (``annex.md.j2``,
``annex.html.j2``, the block macros ``_blocks.*.j2`` and the stylesheet
``annex.css.j2``); a ``--template-dir`` is searched first, so a template of the
same name there replaces the packaged one.  Both environments use
``StrictUndefined`` (a misspelt variable is an error, not an empty string).

HTML: autoescape is on; rich text is escaped segment by segment by the
``rich`` filter (which returns ``Markup`` only after escaping).

Markdown has no autoescape in Jinja, so the Markdown environment *finalizes*
every ``{{ … }}`` through :func:`md_escape` unless the value was produced by a
Markdown filter (:class:`MdSafe`): a label such as ``*<b>`` cannot turn into
markup.

Templates from ``--template-dir`` are user input: every template (packaged or
not) runs in Jinja's *sandbox* (:class:`Sandbox`, set up once for every
templated output in :mod:`pactlang.present.templating`), where attributes starting
with ``_`` (``__globals__``, ``__subclasses__``, ``__class__`` …), functions'
internals and unsafe methods are refused with ``SecurityError``, ``range`` is
limited to 100,000 items, and ``*``/``**`` cannot build values beyond
:data:`MAX_TEMPLATE_VALUE` characters or digits.  docs/rendering.md says what a
template may do.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable

import jinja2
from markupsafe import Markup, escape

from pactlang.present.templating import MAX_TEMPLATE_VALUE, Sandbox, css_string, loader
from pactlang.present.templating import environment as templating
from pactlang.render.doc import Document, Rich, Seg

__all__ = [
    "MAX_TEMPLATE_VALUE",
    "MdSafe",
    "Sandbox",
    "css_string",
    "environment",
    "md_escape",
    "render_html",
    "render_markdown",
]

# CommonMark backslash-escapable characters that can start markup inline or in tables
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~&])")


class MdSafe(str):
    """Markdown text that is already escaped."""

    __slots__ = ()


def md_escape(text: object) -> str:
    if isinstance(text, MdSafe):
        return text
    s = str(text)
    s = _MD_SPECIAL.sub(r"\\\1", s)
    return s.replace("\r", "").replace("\n", " ")


def _md_code(text: str) -> str:
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _md_fenced(text: str) -> MdSafe:
    """A fenced code block (the fence is longer than any backtick run inside)."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return MdSafe(f"{fence}text\n{text}\n{fence}")


def md_rich(rich: Rich) -> MdSafe:
    out: list[str] = []
    for s in rich:
        out.append(_md_seg(s))
    return MdSafe("".join(out))


def _md_seg(s: Seg) -> str:
    if s.kind == "code":
        return _md_code(s.text.replace("\n", " "))
    if s.kind == "br":
        return "<br>"
    if s.kind == "ref":
        # Markdown renderers name heading anchors their own way: the number as text
        return md_escape(s.text)
    text = md_escape(s.text)
    if not text.strip():
        return text
    if s.kind == "strong":
        return f"**{text}**"
    if s.kind == "em":
        return f"*{text}*"
    return text


def html_rich(rich: Rich) -> Markup:
    out: list[str] = []
    for s in rich:
        text = str(escape(s.text))
        if s.kind == "code":
            out.append(f"<code>{text}</code>")
        elif s.kind == "strong":
            out.append(f"<strong>{text}</strong>")
        elif s.kind == "em":
            out.append(f"<em>{text}</em>")
        elif s.kind == "br":
            out.append("<br>")
        elif s.kind == "ref":
            out.append(f'<a class="xref" href="#{escape(s.target)}">{text}</a>')
        else:
            out.append(text)
    return Markup("".join(out))


#: Tables with at most this many rows are kept on one page (PDF) when they fit.
SMALL_TABLE_ROWS = 12


def _small_table(block: object) -> bool:
    rows = getattr(block, "rows", ())
    return len(rows) <= SMALL_TABLE_ROWS


def _md_number(text: str) -> MdSafe:
    """A heading number at the start of a list item: ``4.`` would open an ordered
    list, so its dot is escaped (``4\\.``)."""
    return MdSafe(re.sub(r"^(\d+)\.", r"\1\\.", md_escape(text)))


def _md_cell(rich: Rich) -> MdSafe:
    return MdSafe(md_rich(rich).replace("\n", " ") or " ")


def _finalize_md(value: object) -> object:
    if isinstance(value, MdSafe):
        return value
    if isinstance(value, str):
        return md_escape(value)
    return value


def environment(
    kind: str, template_dir: str | os.PathLike[str] | None = None
) -> jinja2.Environment:
    """The Jinja environment for ``md`` or ``html`` output (the shared sandboxed
    setup of :mod:`pactlang.present.templating`, with the annex's filters)."""
    source = loader("pactlang.render", template_dir)
    if kind == "html":
        env = templating(source)
        env.filters["rich"] = html_rich
        env.tests["small"] = _small_table
    elif kind == "md":
        env = templating(source, autoescape=False, finalize=_finalize_md)
        env.filters["rich"] = md_rich
        env.filters["cell"] = _md_cell
        env.filters["code"] = lambda s: MdSafe(_md_code(str(s)))
        env.filters["raw"] = lambda s: MdSafe(str(s))
        env.filters["fenced"] = _md_fenced
        env.filters["number"] = _md_number
    else:  # pragma: no cover - callers pass md or html
        raise ValueError(kind)
    return env


def _render(
    kind: str, name: str, doc: Document, template_dir: str | os.PathLike[str] | None
) -> str:
    env = environment(kind, template_dir)
    template = env.get_template(name)
    try:
        text = template.render(doc=doc)
    except jinja2.TemplateError:
        raise
    except RecursionError:
        raise jinja2.TemplateRuntimeError("templates nested or recursing too deeply") from None
    except Exception as exc:  # a user template's own failure (1/0, 1.0e300 ** 9, …)
        raise jinja2.TemplateRuntimeError(f"{type(exc).__name__}: {exc}") from None
    return _tidy(text)


def _tidy(text: str) -> str:
    """Collapse runs of blank lines and end with exactly one newline."""
    lines = [line.rstrip(" \t") for line in text.split("\n")]  # \n only: not U+2028 in a label
    out: list[str] = []
    for line in lines:
        if not line and (not out or not out[-1]):
            continue
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n"


def render_markdown(doc: Document, template_dir: str | os.PathLike[str] | None = None) -> str:
    return _render("md", "annex.md.j2", doc, template_dir)


def render_html(doc: Document, template_dir: str | os.PathLike[str] | None = None) -> str:
    return _render("html", "annex.html.j2", doc, template_dir)


Renderer = Callable[[Document, "str | os.PathLike[str] | None"], str]
