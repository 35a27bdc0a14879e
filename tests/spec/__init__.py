"""The conformance suite: tests written from the words of the requirements (see docs/conformance.md)."""
