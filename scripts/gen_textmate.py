"""Write the TextMate grammar of .pact files, generated from grammar/pact.lark.

    python scripts/gen_textmate.py            # rewrite editors/vscode/syntaxes/pact.tmLanguage.json
    python scripts/gen_textmate.py --check    # exit 1 if the committed file is out of date

The keyword categories and the patterns are defined in src/pactlang/highlight.py;
tests/editors/test_textmate.py fails while the committed file differs.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pactlang.highlight import textmate_grammar

TARGET = Path(__file__).resolve().parents[1] / "editors" / "vscode" / "syntaxes" / "pact.tmLanguage.json"


def render() -> str:
    return json.dumps(textmate_grammar(), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print(f"{TARGET}: out of date; run python scripts/gen_textmate.py", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
