"""Finding the version a contract ``amends`` (E085): the one ``.pact`` file of
the amending file's folder whose contract has that ``id``, checked."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from pactlang.diagnostics import Diagnostic
    from pactlang.sema.model import CheckedContract

#: names of texts that have no file (their amended version cannot be looked for)
NO_PATH = ("<input>", "<stdin>")


class Checked(Protocol):
    """What is read of a candidate file once checked
    (:class:`pactlang.contract.CheckResult`)."""

    path: str
    contract: CheckedContract | None
    diagnostics: list[Diagnostic]

    @property
    def ok(self) -> bool: ...


#: the front end that checks a candidate: ``(text, path, seen) -> result``
#: (:func:`pactlang.contract.check_source`, which calls this module back for
#: the candidate's own ``amends``)
Check = Callable[[str, str, frozenset[str]], Checked]


def resolve_amended(
    contract: CheckedContract, path: str, seen: frozenset[str], check: Check
) -> list[Diagnostic]:
    """Find the version ``amends "ID"`` names — the one ``.pact`` file of the
    amending file's folder whose contract has that ``id`` — and attach it,
    checked by ``check``, to ``contract.amended``; diagnostics E085 when it
    cannot be had."""
    from pactlang.diagnostics import DiagnosticBag, Related

    decl = contract.amends
    assert decl is not None
    bag = DiagnosticBag(path)
    target = decl.target.value
    here = Path(path).resolve() if path not in NO_PATH else None
    if here is None:
        bag.error(
            "E085",
            f"cannot look for the amended version {target!r}: this text has no file path",
            decl.target.span,
            help="check the file itself: the amended version is looked for in its folder",
        )
        return bag.items
    found: list[Checked] = []
    broken: list[Checked] = []
    for candidate in sorted(here.parent.glob("*.pact")):
        if candidate == here or candidate.name.endswith(".test.pact"):
            continue
        try:
            text = candidate.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue
        if f'"{target}"' not in text:
            continue
        key = str(candidate.resolve())
        if key in seen:
            bag.error(
                "E085",
                f"amendments go round in a circle: {candidate.name} amends, directly or not, this file",
                decl.span,
            )
            return bag.items
        res = check(text, str(Path(path).parent / candidate.name), seen | {str(here)})
        if res.contract is None or res.contract.id != target:
            continue
        (found if res.ok else broken).append(res)
    if broken and not found:
        errors = sum(1 for d in broken[0].diagnostics if d.is_error)
        bag.error(
            "E085",
            f"the amended version {target!r} ({broken[0].path}) has {errors} error(s)",
            decl.target.span,
            help=f"run `pact check {broken[0].path}`",
        )
        return bag.items
    if not found:
        bag.error(
            "E085",
            f"no contract with id {target!r} in {here.parent.name or '.'}/",
            decl.target.span,
            help="the amended version is the `.pact` file of this folder whose `id` is the one written here",
        )
        return bag.items
    if len(found) > 1:
        names = ", ".join(Path(r.path).name for r in found)
        bag.error("E085", f"several contracts have the id {target!r}: {names}", decl.target.span)
        return bag.items
    base = found[0].contract
    assert base is not None
    if base.currency != contract.currency:
        bag.error(
            "E085",
            f"the amended version {target!r} is in {base.currency}, this one in {contract.currency}: "
            "amounts paid before the amendment would not add up with those after it",
            decl.target.span,
        )
    for name, m in contract.measures.items():
        old = base.measures.get(name)
        if old is not None and old.type.name != m.type.name:
            bag.error(
                "E085",
                f"measure `{name}` is {m.type.name} here and {old.type.name} in the amended version {target!r}: "
                "one data file cannot feed both",
                m.span,
                related=[Related(decl.span, "the amendment")],
            )
    if not bag.items:
        contract.amended = base
    return bag.items


_AMENDS = re.compile(r'^[ \t]*amends[ \t]+"((?:[^"\\\n]|\\.)*)"', re.MULTILINE)


def amended_files(path: str) -> list[str]:
    """The files a contract's ``amends`` chain reads: for each ``amends "ID"``,
    the ``.pact`` files of the folder (test files aside) with an ``id "ID"``
    line, and theirs in turn. Found from the text, before anything is checked,
    so that a command refuses an output that would overwrite one of them (an
    input of the command, CLI.md); it may name a file that the checker would
    then pass over (one with errors), never miss one it reads."""
    if path in NO_PATH:
        return []
    found: list[str] = []
    seen = {str(Path(path).resolve())}
    todo = [Path(path)]
    while todo:
        here = todo.pop()
        try:
            text = here.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue
        for target in _AMENDS.findall(text):
            line = re.compile(r'^[ \t]*id[ \t]+"' + re.escape(target) + '"', re.MULTILINE)
            for candidate in sorted(here.parent.glob("*.pact")):
                key = str(candidate.resolve())
                if key in seen or candidate.name.endswith(".test.pact"):
                    continue
                try:
                    if not line.search(candidate.read_text(encoding="utf-8-sig")):
                        continue
                except (OSError, UnicodeDecodeError):
                    continue
                seen.add(key)
                found.append(str(candidate))
                todo.append(candidate)
    return found
