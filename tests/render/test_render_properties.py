"""Properties over generated contracts: every declared label is in the annex, in
every format, and rendering is a pure function of its inputs."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from render_helpers import EXAMPLE_NAMES, Page, docx_text, load, md_text, shown, spaced

import pactlang
from pactlang.render import render
from pactlang.render.model import build

# Labels: letters (accented too), digits and the characters that mean something in
# Markdown, HTML, CSS, str.format or .pact strings.
ALPHABET = "abcdeéèçàXYZ019 <>&\"'*_|#\\`[](){}-.%€«»:;/"


def _label() -> st.SearchStrategy[str]:
    return (
        st.text(alphabet=ALPHABET, min_size=1, max_size=14)
        .map(lambda s: " ".join(s.split()))
        .filter(lambda s: s.strip() != "")
    )


def _quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass
class Gen:
    lang: str
    lines: list[str] = field(default_factory=list)
    labels: list[tuple[str, str, str | None]] = field(default_factory=list)  # what, primary, other

    def labelled(self, what: str, primary: str, other: str | None) -> str:
        self.labels.append((what, primary, other))
        other_lang = "fr" if self.lang == "en" else "en"
        text = _quote(primary)
        if other is not None:
            text += f" {other_lang} {_quote(other)}"
        return text

    def expected(self, lang: str) -> list[str]:
        return [p if lang == self.lang or o is None else o for _, p, o in self.labels]


@st.composite
def contracts(draw: st.DrawFn) -> Gen:
    lang = draw(st.sampled_from(["en", "fr"]))
    g = Gen(lang)

    def lab(what: str) -> str:
        primary = draw(_label())
        other = draw(st.one_of(st.none(), _label()))
        return g.labelled(what, primary, other)

    n_parties = draw(st.integers(2, 3))  # a payment needs two parties
    parties = [f"p{i}" for i in range(n_parties)]
    body = [f"  party {p} {lab(p)}" for p in parties]
    n_numbers = draw(st.integers(1, 3))
    numbers = [f"m{i}" for i in range(n_numbers)]
    for m in numbers:
        owner = draw(st.sampled_from([*parties, None]))
        attrs = f" {{ owner {owner} }}" if owner else ""
        body.append(f"  measure {m} {lab(m)}: number{attrs}")
    body.append(f"  measure cash {lab('cash')}: money")
    exprs = [
        "{a} / {b}",
        "sum({a}, 3 months)",
        "avg({a}, 2 quarters)",
        "{a} + {b} - 1",
        "previous({a}, 12 months)",
        "{a} otherwise 0",
        "if {a} > {b} then {a} else {b}",
        "max({a}, {b}, 2)",
        "round({a} * 12.5%, 2)",
        "sum({a}, year to date)",
    ]
    for i in range(draw(st.integers(0, 3))):
        e = draw(st.sampled_from(exprs)).format(
            a=draw(st.sampled_from(numbers)), b=draw(st.sampled_from(numbers))
        )
        body.append(f"  kpi k{i} {lab(f'k{i}')}: number = {e}")
    if draw(st.booleans()):
        cadence = draw(st.sampled_from(["monthly", "quarterly", "yearly"]))
        unit = {"monthly": "months", "quarterly": "quarters", "yearly": "years"}[cadence]
        n = draw(st.integers(1, 3))
        body += [
            f"  threshold t {lab('t')} {{",
            f"    checked {cadence}",
            f"    when {numbers[0]} < 5 for {n} {unit}: breach",
            f"      => pay 10 EUR from {parties[0]} to {parties[-1]} {_quote(draw(_label()))}",
            f"      => notify {', '.join(parties)}",
            f"    when {numbers[0]} >= 50: bonus => once action {_quote(draw(_label()))}",
            "    otherwise: ok",
            "  }",
        ]
    if draw(st.booleans()):
        body.append(f"  committee c {lab('c')} {{")
        for p in parties:
            body.append(f"    member {p} weight {draw(st.integers(1, 9))}")
        body.append(f"    quorum {draw(st.integers(1, n_parties))} members")
        rules = ["majority", "unanimity", ">= 2/3 of weight", "> 50% of present", ">= 3/4 of cast"]
        for j in range(draw(st.integers(1, 3))):
            rule = draw(st.sampled_from(rules))
            veto = f" veto {parties[0]}" if draw(st.booleans()) else ""
            body.append(f"    decision d{j} {lab(f'c.d{j}')} requires {rule}{veto}")
        body.append("  }")
    if draw(st.booleans()):
        body.append(f"  escalation e {lab('e')} {{")
        n_steps = draw(st.integers(1, 3))
        for j in range(n_steps - 1):
            unit = draw(st.sampled_from(["days", "business days"]))
            body.append(f"    step s{j} {lab(f'e.s{j}')} within {draw(st.integers(1, 40))} {unit}")
        body.append(f"    step last {lab('e.last')} final {{ seat {_quote(draw(_label()))} }}")
        body.append("  }")
    if draw(st.booleans()):
        body.append(f"  waterfall w {lab('w')} {{")
        body.append("    distributes cash")
        body.append(f"    tier first {lab('w.first')} {{ pay {parties[0]} up to 100 EUR }}")
        split = f"split {parties[0]} 50%, {parties[1]} 50%"
        cap = " up to 1_000 EUR" if draw(st.booleans()) else ""
        body.append(f"    tier {lab('w#2')} {{ {split}{cap} }}")
        body.append("  }")
    header = [
        f"contract {_quote(draw(_label()))} {{",
        "  currency EUR",
        f"  language {lang}",
        "  effective 2026-01-01 until 2027-12-31",
    ]
    g.lines = header + body + ["}"]
    return g


SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@SETTINGS
@given(contracts(), st.sampled_from(["en", "fr"]))
def test_every_declared_label_is_in_every_format(g: Gen, lang: str) -> None:
    text = "\n".join(g.lines) + "\n"
    contract = pactlang.loads(text, "generated.pact")
    html = spaced(Page(render(contract, lang=lang, fmt="html").decode()).text)
    md = spaced(md_text(render(contract, lang=lang, fmt="md").decode()))
    docx = spaced(docx_text(render(contract, lang=lang, fmt="docx")))
    for label in g.expected(lang):
        label = shown(label, lang)
        assert label in html, label
        assert label in md, label
        assert label in docx, label
    # and the model lists every construct that was given a label
    keys = {k for k, _ in build(contract.checked).labels()}
    assert {what for what, _, _ in g.labels} <= keys


@SETTINGS
@given(contracts(), st.sampled_from(["en", "fr"]), st.sampled_from(["md", "html", "docx"]))
def test_rendering_is_deterministic(g: Gen, lang: str, fmt: str) -> None:
    text = "\n".join(g.lines) + "\n"
    a = render(pactlang.loads(text, "generated.pact"), lang=lang, fmt=fmt)
    b = render(pactlang.loads(text, "generated.pact"), lang=lang, fmt=fmt)
    assert a == b


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_example_label_is_in_the_annex(name: str, lang: str) -> None:
    c = load(name)
    annex = build(c.checked)
    html = spaced(Page(render(c, lang=lang, fmt="html").decode()).text)
    md = spaced(md_text(render(c, lang=lang, fmt="md").decode()))
    labels = annex.labels()
    assert len(labels) >= 15
    for key, label in labels:
        expected = (
            label.primary
            if lang == c.checked.language
            else (label.translation(lang) or label.primary)
        )
        if expected is None:
            continue
        expected = shown(expected, lang)
        assert expected in html, (key, expected)
        assert expected in md, (key, expected)
