"""Go to definition, find references, rename: across a contract and its test files.

A contract's names are used in its own file and in the files that test it
(``tests for "alliance.pact"``).  The **family** of a contract is its file
and every such test file found among the open documents and the ``.pact``
files of the contract's folder; references and renames cover the whole
family, each file read from the editor when it is open there, else from
disk.  Symbols are matched by their key (``revenue``, ``steering.budget``),
so each file is indexed on its own text.

A rename is refused (with a message) when the new name is not a valid name,
is a keyword or a built-in function, or is already declared (for a part: by
another part of the same declaration).  It changes ``.pact`` files only: a
measure's column in CSV and JSON data files keeps its old name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from pactlang.diagnostics import Span
from pactlang.lsp.document import Analysis
from pactlang.lsp.index import FUNCTION, Symbol
from pactlang.sema.context import BUILTINS
from pactlang.syntax.grammar import NAME_RE, keywords

_TESTS_FOR = re.compile(r'^[ \t]*tests[ \t]+for[ \t]+"((?:\\.|[^"\\\n])*)"', re.MULTILINE)


class Files(Protocol):
    """What navigation needs from the server: documents by path."""

    def analysis_of(self, path: str) -> Analysis | None:
        """The analysis of a file (its editor text when open, else its text on disk)."""

    def text_of(self, path: str) -> str | None:
        """A file's text (from the editor when open, else from disk; None if unreadable)."""

    def open_paths(self) -> Iterable[str]:
        """The paths of the open documents."""


@dataclass(frozen=True, slots=True)
class Place:
    """A span in a file, with the analysis whose text it indexes."""

    analysis: Analysis
    path: str
    span: Span


class RenameError(ValueError):
    """A rename that cannot be done; the message says why."""


def symbol_at(an: Analysis, offset: int) -> Symbol | None:
    occ = an.index.at(offset)
    if occ is None or occ.kind == FUNCTION:
        return None
    return an.index.symbols.get(occ.key)


def definition(an: Analysis, offset: int, files: Files) -> Place | None:
    """Where the name under ``offset`` is declared."""
    sym = symbol_at(an, offset)
    if sym is None:
        return None
    if sym.path == an.path:
        return Place(an, sym.path, sym.ident.span)
    owner = files.analysis_of(sym.path)
    if owner is not None:
        for occ in owner.index.of(sym.key):
            if occ.is_def:
                return Place(owner, sym.path, occ.span)
    return Place(an, sym.path, sym.ident.span)  # as loaded with this document


def tests_for_target(path: str, text: str) -> str | None:
    """The resolved path of the contract a ``tests for`` file tests, else None."""
    m = _TESTS_FOR.search(text)
    if m is None:
        return None
    return str((Path(path).parent / m.group(1)).resolve())


def family(an: Analysis, files: Files) -> list[Analysis]:
    """The analyses of the contract whose names ``an`` uses and of every file testing it."""
    cc = an.contract
    if cc is None:
        return [an]
    contract_path = str(Path(cc.path).resolve())
    members: dict[str, Analysis] = {}
    if str(Path(an.path).resolve()) == contract_path:
        members[contract_path] = an
    else:
        owner = files.analysis_of(cc.path)
        if owner is not None:
            members[contract_path] = owner
        members[str(Path(an.path).resolve())] = an
    candidates = set(files.open_paths())
    folder = Path(contract_path).parent
    if folder.is_dir():
        candidates.update(str(p) for p in folder.glob("*.pact"))
    for path in sorted(candidates):
        resolved = str(Path(path).resolve())
        if resolved in members:
            continue
        text = files.text_of(path)
        if text is None or tests_for_target(path, text) != contract_path:
            continue
        other = files.analysis_of(path)
        if other is not None:
            members[resolved] = other
    return list(members.values())


def references(
    an: Analysis, offset: int, files: Files, include_declaration: bool = True
) -> list[Place]:
    """Every occurrence of the name under ``offset`` in its family of files."""
    sym = symbol_at(an, offset)
    if sym is None:
        return []
    out = []
    for member in family(an, files):
        for occ in member.index.of(sym.key):
            if occ.is_def and not include_declaration:
                continue
            out.append(Place(member, member.path, occ.span))
    return out


def prepare_rename(an: Analysis, offset: int) -> Span | None:
    """The span of the name a rename at ``offset`` would change, or None."""
    occ = an.index.at(offset)
    if occ is None or occ.kind == FUNCTION or occ.key not in an.index.symbols:
        return None
    return occ.span


def rename(an: Analysis, offset: int, new_name: str, files: Files) -> list[Place]:
    """The places to rewrite with ``new_name``; :class:`RenameError` when it is not allowed."""
    sym = symbol_at(an, offset)
    if sym is None:
        raise RenameError("there is no declared name here to rename")
    check_new_name(an, sym, new_name)
    return references(an, offset, files, include_declaration=True)


def check_new_name(an: Analysis, sym: Symbol, new_name: str) -> None:
    if not NAME_RE.match(new_name):
        raise RenameError(
            f"`{new_name}` is not a name: names are lower-case letters, digits and `_`, "
            "starting with a letter or `_`"
        )
    if new_name in keywords():
        raise RenameError(f"`{new_name}` is a reserved keyword")
    if new_name in BUILTINS and sym.parent is None:
        raise RenameError(f"`{new_name}` is the name of a built-in function")
    if new_name == sym.name:
        return
    key = new_name if sym.parent is None else f"{sym.parent}.{new_name}"
    taken = an.index.symbols.get(key)
    if taken is not None:
        what = "a part of the same declaration" if sym.parent else "another declaration"
        raise RenameError(
            f"`{new_name}` is already the name of {what} (line {taken.ident.span.line})"
        )
