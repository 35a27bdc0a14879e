"""Static analysis of a contract (``pact analyze``, CLI.md; LANGUAGE.md §7 analysis).

* committees: voting power, effective vetoes, dictators, powerless members
  (:mod:`.committees`, over :mod:`pactlang.kernel.committees`);
* thresholds: rules that can never hold or never apply, overlaps, gaps
  (:mod:`.thresholds`, exact interval sets from :mod:`.intervals`);
* waterfalls: tiers that can never pay, money that may be retained
  (:mod:`.waterfalls`, over :mod:`pactlang.kernel.waterfalls`);
* unused declarations (:mod:`.unused`).

Findings are warnings (likely problems; ``--fail-on warning`` fails on them) or
notes (information).
"""

from pactlang.analysis.analyze import (
    ContractAnalysis,
    analyze,
    render_analysis_text,
)
from pactlang.analysis.findings import Finding

__all__ = ["ContractAnalysis", "Finding", "analyze", "render_analysis_text"]
