"""Syntax: the Lark grammar, the typed AST, the parser and the formatter."""

from pactlang.syntax.parser import ParseResult, parse, parse_source

__all__ = ["ParseResult", "parse", "parse_source"]
