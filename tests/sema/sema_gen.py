"""Generators of synthetic contracts for the sema tests."""

from __future__ import annotations


def big_contract(n_blocks: int) -> str:
    """A valid contract of about ``12 * n_blocks`` lines using every construct."""
    out = [
        'contract "Big" {',
        "  currency EUR",
        "  effective 2026-01-01 until 2030-12-31",
        '  party acme "ACME"',
        '  party orbis "Orbis"',
        "  escalation disputes {",
        '    step talks "Talks" within 10 days',
        '    step court "Court" final',
        "  }",
    ]
    for i in range(n_blocks):
        prev = f"k{i - 1}" if i else "0%"
        out += [
            f'  measure won{i} "Won {i}": count',
            f'  measure total{i} "Total {i}": count',
            f'  measure rev{i} "Revenue {i}": money',
            f"  let base{i} = sum(rev{i}, 3 months) / 3 + 5 EUR",
            f'  kpi k{i} "KPI {i}": percent = won{i} / total{i} + {prev} {{ owner acme source "CRM" frequency monthly }}',
            f"  threshold t{i} {{",
            f"    when k{i} < 5% and base{i} > 10 EUR for 3 months: breach",
            f'      => pay round(base{i} * 2%, 2) from orbis to acme "Penalty"',
            "      => escalate disputes",
            "    otherwise: ok",
            "  }",
            f"  waterfall w{i} {{ distributes rev{i} tier a {{ pay acme up to 100 EUR }} tier {{ split acme 60%, orbis 40% }} }}",
        ]
    out.append("}")
    return "\n".join(out) + "\n"
