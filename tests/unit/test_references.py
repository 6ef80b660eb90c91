"""Official references (issue 18) against the text of real files from ../shared/data: an
article with members from the Grondwet, an Awb article (`artikel 3:4`), a Handelingen
spreekbeurt; a Kamerstuk from an XML file the test writes; phrase search and the answering
chain carry them into the citation a civil servant pastes."""

from __future__ import annotations

import pytest

from ingest.loaders import load_document
from rag.references import References, law_name, official_reference
from tests.conftest import SHARED, need

pytestmark = pytest.mark.unit

LAWS = SHARED / "data" / "wetten_2017"
HANDELINGEN = SHARED / "data" / "handelingen_2018-04-05"


def _ref(doc, phrase: str) -> str | None:
    at = doc.original.index(phrase)
    return official_reference(doc.title, doc.identifier, doc.original, at)


def test_grondwet_article_and_member():
    doc = load_document(need(LAWS / "grondwet_BWBR0001840.md"))
    assert _ref(doc, "De wet regelt de toelating en de uitzetting") == (
        "artikel 2, tweede lid, Grondwet")
    assert _ref(doc, "De wet regelt wie Nederlander is") == "artikel 2, eerste lid, Grondwet"
    assert _ref(doc, "Allen die zich in Nederland bevinden") == "artikel 1, Grondwet"
    assert _ref(doc, "Alle Nederlanders zijn op gelijke voet") == "artikel 3, Grondwet"


def test_awb_article_numbers_are_kept_as_written():
    doc = load_document(need(LAWS / "algemene_wet_bestuursrecht_BWBR0005537.md"))
    assert law_name(doc.title) == "Algemene wet bestuursrecht"
    assert _ref(doc, "De voor een of meer belanghebbenden nadelige gevolgen") == (
        "artikel 3:4, tweede lid, Algemene wet bestuursrecht")
    # the heading of the next afdeling is not inside artikel 3:4
    assert _ref(doc, "Advisering") is None


def test_handelingen_spreekbeurt_with_speaker():
    doc = load_document(need(HANDELINGEN / "h-tk-20172018-70-10.xml"))
    assert doc.identifier == "h-tk-20172018-70-10"  # from the XML's metadata
    assert _ref(doc, "Vestia is natuurlijk een ramp geweest") == (
        "Handelingen II 2017/18, nr. 70, item 10, spreker: de heer Nijboer (PvdA)")
    assert _ref(doc, "Ik heropen de vergadering") == (
        "Handelingen II 2017/18, nr. 70, item 10, spreker: de voorzitter")


def test_kamerstuk_from_its_identifier_and_vergaderjaar(tmp_path):
    xml = tmp_path / "stuk.xml"
    xml.write_text(
        '<?xml version="1.0" encoding="utf-8"?><officiele-publicatie><metadata><meta '
        'name="OVERHEIDop.externMetadataRecord" content="https://zoek.officielebekendmakingen'
        '.nl/kst-35570-3/metadata.xml"/></metadata><kamerstuk><kop><titel>Tweede Kamer der '
        "Staten-Generaal</titel></kop><al>Vergaderjaar 2020–2021</al><al>De regering stelt "
        "voor de begroting te verhogen.</al></kamerstuk></officiele-publicatie>",
        encoding="utf-8")
    doc = load_document(xml)
    assert doc.identifier == "kst-35570-3"
    at = doc.original.index("De regering")
    assert official_reference(doc.title, doc.identifier, doc.original, at, page=4) == (
        "Kamerstukken II 2020/21, 35 570, nr. 3, p. 4")


@pytest.mark.parametrize(("identifier", "page", "expected"), [
    ("stcrt-2018-12345", 2, "Stcrt. 2018, 12345, p. 2"),
    ("stb-2017-82", None, "Stb. 2017, 82"),
])
def test_staatscourant_and_staatsblad(identifier, page, expected):
    assert official_reference("Regeling", identifier, "Tekst.", 0, page) == expected


def test_other_documents_keep_the_title_form():
    doc = load_document(need(SHARED / "corpus" / "000_a0185afebb45fdde.txt"))
    assert _ref(doc, doc.original[:20]) is None


def test_phrase_search_and_the_chain_cite_officially(fake_indexer):
    from rag.phrase import PhraseIndex

    report = fake_indexer.ingest([need(LAWS / "grondwet_BWBR0001840.md"),
                                  need(HANDELINGEN / "h-tk-20172018-70-10.xml")])
    assert not report.failed
    store = fake_indexer.store
    hit = PhraseIndex(store).find("De wet regelt de toelating")[0]
    assert hit.reference == "artikel 2, tweede lid, Grondwet"
    assert hit.citation() == ("“De wet regelt de toelating” — artikel 2, tweede lid, "
                              "Grondwet")
    refs = References(store.document, store.original, store.read)
    speech = PhraseIndex(store).find("Vestia is natuurlijk een ramp")[0]
    assert refs.reference(speech.source, speech.char_start) == (
        "Handelingen II 2017/18, nr. 70, item 10, spreker: de heer Nijboer (PvdA)")


def test_the_chain_adds_the_reference_to_each_verified_citation():
    from rag.chain import QAChain
    from rag.types import Answer, Citation
    from vectorstore.records import DocumentRecord

    doc = load_document(need(LAWS / "grondwet_BWBR0001840.md"))
    quote = "De wet regelt de toelating en de uitzetting van vreemdelingen."
    at = doc.original.index(quote)
    rec = DocumentRecord(doc.source, doc.title, None, "md", doc.sha256, 1, "", {})

    class Answerer:
        def answer(self, question, hits, on_token=None):
            c = Citation(1, doc.source, doc.title, None, None, at, at + len(quote), quote, 1.0)
            return Answer(question=question, answer=quote + " [1]", citations=[c])

    class Retriever:
        def retrieve(self, query, k, filters=None):
            return []

    refs = References(lambda s: rec if s == doc.source else None,
                      lambda s: doc.original if s == doc.source else None,
                      lambda ss: {s: (rec, doc.original) for s in ss if s == doc.source})
    chain = QAChain(Retriever(), Answerer(), refs.check_all)
    cited = chain.ask("Wat regelt de wet over vreemdelingen?").citations[0]
    assert cited.verified and cited.reference == "artikel 2, tweede lid, Grondwet"
    assert cited.cite() == f"“{quote}” — artikel 2, tweede lid, Grondwet"
    assert cited.as_json()["reference"] == "artikel 2, tweede lid, Grondwet"


def test_check_all_reads_the_documents_once_and_verifies_each_quote():
    from rag.types import Citation
    from vectorstore.records import DocumentRecord

    doc = load_document(need(LAWS / "grondwet_BWBR0001840.md"))
    quote = "De wet regelt de toelating en de uitzetting van vreemdelingen."
    at = doc.original.index(quote)
    rec = DocumentRecord(doc.source, doc.title, None, "md", doc.sha256, 1, "", {})
    reads: list[list[str]] = []

    def read(sources):
        reads.append(sources)
        return {s: (rec, doc.original) for s in sources if s == doc.source}

    refs = References(lambda s: None, lambda s: None, read)
    good = Citation(1, doc.source, doc.title, None, None, at, at + len(quote), quote, 1.0)
    bad = Citation(2, doc.source, doc.title, None, None, at, at + len(quote), quote + "!", 1.0)
    gone = Citation(3, "/weg.md", "Weg", None, None, 0, 4, "Weg.", 1.0)
    out = refs.check_all([good, bad, gone])
    assert reads == [[doc.source, "/weg.md"]]  # one request for all documents
    assert [c.verified for c in out] == [True, False, False]
    assert out[0].reference == "artikel 2, tweede lid, Grondwet"
    assert out[0].version == doc.sha256[:12] and out[2].version is None
    assert refs.check_all([]) == [] and len(reads) == 1


def test_the_originals_kept_for_references_are_bounded():
    from rag.references import MAX_ORIGINALS
    from vectorstore.records import DocumentRecord

    reads: list[str] = []

    def record(source: str) -> DocumentRecord:
        return DocumentRecord(source, "Wet", None, "md", source[-8:].rjust(8, "0"), 1, "c", {})

    def original(source: str) -> str:
        reads.append(source)
        return "### Artikel 1\nTekst."

    refs = References(record, original, lambda sources: {})
    sources = [f"/w/{n}.md" for n in range(MAX_ORIGINALS + 8)]
    for s in sources:
        refs.reference(s, 15)
    refs.reference(sources[-1], 15)  # kept: not read again
    assert reads == sources
    refs.reference(sources[0], 15)  # the oldest was let go: read again
    assert reads == [*sources, sources[0]]
