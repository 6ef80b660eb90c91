"""The pure renderers of the chat message and the "Bronnen" panel."""

from __future__ import annotations

import re

import pytest

from rag.types import Answer, Citation
from ui import render

pytestmark = pytest.mark.unit


def _cite(n: int = 1, **kw) -> Citation:
    base = dict(n=n, source="docs/brief.txt", title="Brief", date="2021-04-01", page=3,
                char_start=100, char_end=118, quote="de menselijke maat", score=0.5,
                verified=True, context_before="herstel van\n", context_after=" en vertrouwen")
    base.update(kw)
    return Citation(**base)


def _answer(text: str = "Zie [1] en [2].", cites=None, **kw) -> Answer:
    return Answer(question="Wat?", answer=text, citations=cites or [_cite(1), _cite(2)], **kw)


def test_markers_become_links_to_their_turns_source():
    msg = render.render_message(_answer(), turn=3)
    assert msg == "Zie [[1]](#bron-3-1) en [[2]](#bron-3-2)."


def test_unknown_marker_and_list_marker():
    msg = render.render_message(_answer("Zie [1, 2] maar niet [7]."))
    assert msg == r"Zie [[1]](#bron-1-1), [[2]](#bron-1-2) maar niet \[7\]."


def test_message_escapes_html():
    msg = render.render_message(_answer("<script>alert(1)</script> & [1]"))
    assert "<script>" not in msg
    assert msg.startswith(r"&lt;script&gt;alert\(1\)&lt;/script&gt; &amp; [[1]]")


def test_markdown_in_an_answer_shows_as_text():
    msg = render.render_message(_answer(
        "Zie [klik](javascript:alert(1)) en ![x](http://example.com/x.png) *echt* [1]"))
    assert "](javascript:" not in msg and "![x](" not in msg
    assert r"\[klik\]\(javascript:alert\(1\)\)" in msg and r"\*echt\*" in msg
    assert msg.endswith("[[1]](#bron-1-1)")


def test_source_block_marks_quote_inside_context():
    html = render.render_sources(_answer(), turn=2)
    block = re.search(r'<section class="vb-bron" id="bron-2-1".*?</section>', html, re.S)
    assert block is not None
    passage = re.search(r'<div class="vb-passage">(.*?)</div>', block.group(0), re.S).group(1)
    assert passage == "herstel van\n<mark>de menselijke maat</mark> en vertrouwen"
    for text in ("[1]", "Brief", "Datum: 2021-04-01", "pagina 3", "tekens 100–118",
                 "letterlijk gecontroleerd"):
        assert text in block.group(0)
    assert 'id="bron-2-2"' in html


def test_sources_escape_html_everywhere():
    c = _cite(title="<b>T</b>", quote="a < b", context_before="<i>", context_after="&",
              source='x"><script>.txt', date=None, page=None, verified=False)
    html = render.render_sources(_answer("[1]", [c]))
    assert "<b>T</b>" not in html and "&lt;b&gt;T&lt;/b&gt;" in html
    assert "&lt;i&gt;<mark>a &lt; b</mark>&amp;" in html
    assert "<script>" not in html and '>x&quot;&gt;&lt;script&gt;.txt</div>' in html
    assert "Datum onbekend" in html and "pagina" not in html
    assert "niet gecontroleerd" in html


def test_sources_show_the_file_name_never_the_server_path():
    c = _cite(source="/srv/geheim/pad/brief aan Rutte.txt", title="Brief")
    html = render.render_sources(_answer("[1]", [c]))
    assert "brief aan Rutte.txt" in html and "/srv/geheim" not in html


def test_refusal_has_no_links_and_an_empty_panel():
    ans = _answer("Geen antwoord [1].", cites=[], refused=True)
    assert render.render_message(ans) == r"Geen antwoord \[1\]."  # shown as "[1]"
    html = render.render_sources(ans)
    assert render.REFUSAL_NOTE in html
    assert "vb-bron\"" not in html and "<mark>" not in html


def test_empty_panel_before_any_question():
    html = render.render_sources(None)
    assert render.NO_SOURCES_YET in html and "<mark>" not in html


def test_markdown_heading_marks_are_stripped_from_the_context_not_the_quote():
    from ui.render import render_citation, strip_markup

    assert strip_markup("### Artikel 9\n####Paspoorten\ntekst") == "Artikel 9\nPaspoorten\ntekst"
    c = Citation(n=1, source="/w/p.md", title="Paspoortwet", date=None, page=None,
                 char_start=30, char_end=60, quote="Een paspoort is tien jaar geldig.",
                 score=1.0, verified=True, context_before="### Artikel 9\n\n",
                 context_after="\n#### Paspoorten")
    html = render_citation(c)
    assert "###" not in html and "Artikel 9" in html and "Paspoorten" in html
    assert "<mark>Een paspoort is tien jaar geldig.</mark>" in html
