"""Completion in context, on the text before the cursor (no server needed)."""

from __future__ import annotations

import pytest
from lsp_helpers import EXAMPLES, marked

from pactlang.lsp.completion import BLOCK_ITEMS, CONTRACT_ITEMS, candidates, context_at
from pactlang.lsp.document import analyse
from pactlang.syntax.grammar import keywords

ALLIANCE = EXAMPLES / "alliance.pact"
SOURCE = ALLIANCE.read_text(encoding="utf-8")
ANALYSIS = analyse(ALLIANCE.as_uri(), SOURCE)
CONTRACT_END = SOURCE.index("  # ------------------------------------------------ Article 9")
PARTIES = ["acme", "orbis"]
VALUES = {"revenue", "leads_total", "conversion", "penalty", "revenue_3m"}


def offer(snippet: str, where: str = "contract") -> list[str]:
    """Labels offered at the ‸ of ``snippet`` put inside the alliance contract (or after it)."""
    if where == "contract":
        text = SOURCE[:CONTRACT_END] + snippet + "\n" + SOURCE[CONTRACT_END:]
    else:
        text = SOURCE + "\n" + snippet + "\n"
    text, offset = marked(text)
    cc = ANALYSIS.contract
    assert cc is not None
    return [c.label for c in candidates(text, offset, ANALYSIS.index.symbols, cc.value_types)]


CASES = [
    ("  ‸", "contract", CONTRACT_ITEMS),
    ('  kpi x "X": ‸', "contract", ("number", "count", "percent", "money")),
    ('  threshold t "T" {\n    ‸\n  }', "contract", ("when", "otherwise", "checked")),
    ('  threshold t "T" {\n    when conversion < 5%: ‸\n  }', "contract", ("ok", "watch", "breach", "bonus")),
    ('  threshold t "T" {\n    when conversion < 5%: breach\n      => ‸\n  }', "contract", ("pay", "escalate", "notify", "action", "once")),
    ('  threshold t "T" {\n    when conversion < 5%: breach\n      => pay penalty from ‸\n  }', "contract", PARTIES),
    ('  threshold t "T" {\n    when conversion < 5%: breach\n      => pay penalty from orbis to ‸\n  }', "contract", PARTIES),
    ('  threshold t "T" {\n    when conversion < 5%: breach\n      => notify acme, ‸\n  }', "contract", PARTIES),
    ('  threshold t "T" {\n    when conversion < 5%: breach\n      => escalate ‸\n  }', "contract", ("disputes",)),
    ('  threshold t "T" {\n    checked ‸\n  }', "contract", ("monthly", "quarterly", "yearly")),
    ('  committee c "C" {\n    ‸\n  }', "contract", ("member", "quorum", "meets", "consensus", "decision")),
    ('  committee c "C" {\n    member ‸\n  }', "contract", PARTIES),
    ('  committee c "C" {\n    decision d "D" requires ‸\n  }', "contract", ("majority", "unanimity", ">=", ">")),
    ('  committee c "C" {\n    decision d "D" requires >= 2/3 of ‸\n  }', "contract", ("weight", "present", "cast")),
    ('  committee c "C" {\n    decision d "D" requires majority veto ‸\n  }', "contract", PARTIES),
    ('  measure m "M": money {\n    ‸\n  }', "contract", ("owner", "source", "frequency", "target", "unit", "description")),
    ('  measure m "M": money {\n    owner ‸\n  }', "contract", PARTIES),
    ('  measure m "M": money {\n    frequency ‸\n  }', "contract", ("monthly", "quarterly", "yearly")),
    ('  escalation e "E" {\n    ‸\n  }', "contract", ("step",)),
    ('  waterfall w "W" {\n    ‸\n  }', "contract", ("distributes", "tier")),
    ('  waterfall w "W" {\n    distributes proceeds\n    tier a "A" {\n      ‸\n    }\n  }', "contract", BLOCK_ITEMS["tier"]),
    ('  waterfall w "W" {\n    distributes proceeds\n    tier a "A" {\n      split ‸\n    }\n  }', "contract", PARTIES),
    ('  waterfall w "W" {\n    distributes proceeds\n    tier a "A" {\n      split acme 50%, ‸\n    }\n  }', "contract", PARTIES),
    ("  let x = status(‸", "contract", ("conversion_floor", "revenue_review", "csat_quality")),
    ("  let x = distributed(‸", "contract", ("fund",)),
    ("  let x = paid(acme, ‸", "contract", (*PARTIES, "to date")),
    ("  let x = banzhaf(‸", "contract", ("steering",)),
    ("  let x = banzhaf(steering.‸", "contract", ("budget", "scope", "brand", "data_sharing", "exit")),
    ("  let x = banzhaf(steering.budget, ‸", "contract", PARTIES),
    ("  let x = distributed(fund.‸", "contract", ("repay", "surplus")),
    ('test "t" {\n  ‸\n}', "after", ("data", "expect")),
    ('test "t" {\n  expect conversion_floor at 2026-01 is ‸\n}', "after", ("ok", "watch", "breach", "bonus", "no-data", "missing")),
    ('test "t" {\n  expect vote ‸\n}', "after", ("steering",)),
    ('test "t" {\n  expect vote steering.budget { ‸\n}', "after", PARTIES),
    ('test "t" {\n  expect vote steering.budget { acme ‸\n}', "after", ("yes", "no", "abstain", "absent")),
    ('test "t" {\n  expect vote steering.budget { acme yes } is ‸\n}', "after", ("passed", "rejected", "vetoed", "no-quorum")),
    ('test "t" {\n  expect escalation ‸\n}', "after", ("disputes",)),
    ('test "t" {\n  expect escalation disputes opened 2026-01-05 deadline ‸\n}', "after", ("managers", "executives", "mediation", "arbitration")),
    ('test "t" {\n  expect escalation disputes opened 2026-01-05 on 2026-03-01 is ‸\n}', "after", ("managers", "arbitration", "resolved")),
    ('test "t" {\n  data {\n    2026-01: ‸\n  }\n}', "after", ("revenue", "leads_total", "csat")),
    ("‸", "file", ("contract", "tests for", "test")),
]


@pytest.mark.parametrize("snippet,where,expected", CASES, ids=[c[0].strip()[:50] for c in CASES])
def test_offers_in_context(snippet: str, where: str, expected: tuple[str, ...]) -> None:
    if where == "file":
        text, offset = marked(snippet)
        labels = [c.label for c in candidates(text, offset, {}, {})]
    else:
        labels = offer(snippet, where)
    assert set(expected) <= set(labels), labels


def test_expressions_offer_values_functions_and_keywords() -> None:
    labels = set(offer("  let x = ‸"))
    assert VALUES <= labels
    assert {"sum", "avg", "previous", "round", "if", "not", "missing"} <= labels
    assert "acme" not in labels and "steering" not in labels  # not values


def test_party_places_offer_only_parties() -> None:
    labels = offer('  committee c "C" {\n    member ‸\n  }')
    assert labels == PARTIES


def test_nothing_inside_strings_and_comments() -> None:
    assert offer('  measure m "Chiffre d\'aff‸') == []
    assert offer("  # a comment about reven‸") == []
    assert context_at('x "closed" ‸'.replace("‸", ""), 11) is not None


def test_typed_prefix_is_left_to_the_editor() -> None:
    text = 'contract "x" {\n  kpi k "K": money = reve'
    ctx = context_at(text, len(text))
    assert ctx is not None and ctx.word == "reve" and ctx.block == "contract"


def test_block_items_are_keywords_of_the_grammar() -> None:
    words = {w for items in BLOCK_ITEMS.values() for item in items for w in item.split()}
    attrs = {"owner", "source", "frequency", "target", "unit", "description"}
    attrs |= {"institution", "seat", "arbitrators", "rules", "law"}
    # `non-binding` is a terminal of its own (hyphenated, like `no-data`), not a keyword
    assert words - attrs - {"non-binding"} <= keywords()


def test_clause_and_party_blocks_complete_their_items() -> None:
    assert {"signed", "clause"} <= set(CONTRACT_ITEMS)
    assert BLOCK_ITEMS["clause"] == ("text", "governs", "binding", "non-binding")
    assert "represented_by" in BLOCK_ITEMS["party"]
