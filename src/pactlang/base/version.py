"""The version of pactlang, for outputs that state it (the report's footer, the
journal's header, the language server), without importing the package's
façade."""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
