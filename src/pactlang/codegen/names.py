"""Python identifiers for the names of a contract (``pact compile``).

Every identifier the code generator writes belongs to exactly one of three
disjoint families, so none can collide with another, with a Python keyword,
a builtin or a name of the runtime:

* **DSL-derived**: ``ROLE + "_" + escape(name)``, where ``ROLE`` is a short
  run of lowercase ASCII letters saying what the variable holds (``v`` the
  current month's value, ``c`` its column, …).  The role never contains an
  underscore, so the first ``_`` of the identifier ends the role and the rest
  decodes back to the DSL name: ``x`` → ``v_x``, ``v_x`` → ``v_v__x``,
  ``class`` → ``v_class``, ``sum_`` → ``v_sum__``.
* **numbered**: lowercase letters followed by digits and no underscore
  (``x12``, ``k3``): temporaries and constants.
* **fixed**: the few names of the generated code's skeleton (``t``, ``months``,
  ``evaluate``), never of the other two forms, and names starting with ``_``
  for imports (``_rt``).

``escape`` keeps ASCII letters and digits, doubles ``_`` and writes any other
character as ``_u<hex>_``.  The result is pure ASCII, so Python's NFKC
normalization of identifiers cannot merge two distinct names (``ﬁ`` and
``fi`` stay apart), and the escaping is injective: at each ``_``, the next
character says whether it is a doubled underscore or an escape.
"""

from __future__ import annotations

import builtins
import keyword
import re

__all__ = ["NameError_", "escape", "is_safe_identifier", "mangle", "unescape"]

_ROLE = re.compile(r"^[a-z]+$")
_KEEP = re.compile(r"[A-Za-z0-9]")


class NameError_(ValueError):  # noqa: N801 - not the builtin NameError
    """An identifier that the generator must not write."""


def escape(name: str) -> str:
    """``name`` as ASCII letters, digits and underscores (see the module docs)."""
    out: list[str] = []
    for ch in name:
        if ch == "_":
            out.append("__")
        elif ch.isascii() and _KEEP.match(ch):
            out.append(ch)
        else:
            out.append(f"_u{ord(ch):x}_")
    return "".join(out)


def unescape(text: str) -> str:
    """The inverse of :func:`escape`."""
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch != "_":
            out.append(ch)
            i += 1
            continue
        nxt = text[i + 1]
        if nxt == "_":
            out.append("_")
            i += 2
            continue
        if nxt != "u":
            raise ValueError(f"not an escaped name: {text!r}")
        end = text.index("_", i + 2)
        out.append(chr(int(text[i + 2 : end], 16)))
        i = end + 1
    return "".join(out)


def mangle(role: str, name: str) -> str:
    """The identifier of DSL name ``name`` in role ``role`` (``mangle("v", "x") == "v_x"``)."""
    if not _ROLE.match(role):
        raise NameError_(f"bad role {role!r}")
    return check(f"{role}_{escape(name)}")


def is_safe_identifier(ident: str) -> bool:
    """Whether the generator may write ``ident``: an ASCII identifier that is no
    keyword (hard or soft) and no builtin."""
    return (
        ident.isascii()
        and ident.isidentifier()
        and not keyword.iskeyword(ident)
        and not keyword.issoftkeyword(ident)
        and not hasattr(builtins, ident)
    )


def check(ident: str) -> str:
    if not is_safe_identifier(ident):
        raise NameError_(f"refusing to write the identifier {ident!r}")
    return ident
