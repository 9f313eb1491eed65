"""The WordprocessingML package a Word file is: its parts, their relationships, the zip.

fedplan writes one kind of Word file (docx.py lays it out), so the package is fixed: the
document, two page-number footers (odd and even pages), the styles the document names, the
settings, the font table and the document properties. Writing them here with lxml rather
than through python-docx costs a report a tenth of what python-docx did: importing
python-docx took longer than the rest of ``report -o x.docx`` put together, and its default
template carries 440 KB of styles (twice) that were parsed, written out and compressed again
for every report, though the document names two of them.

The parts follow ECMA-376 Part 1 (WordprocessingML) and Part 2 (Open Packaging Conventions).
Everything a reader needs is here: Word, WPS and LibreOffice open the package; python-docx
reads it back in the tests.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from io import BytesIO
from typing import Any

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML = "http://www.w3.org/XML/1998/namespace"
_PREFIXES = {"w": W, "r": R, "xml": XML}
_NSMAP = {"w": W}
_ROOT_NSMAP = {"w": W, "r": R}


def qn(name: str) -> str:
    """``w:tag`` (or ``r:``, ``xml:``) as lxml's Clark name ``{namespace}tag``."""
    prefix, local = name.split(":")
    return f"{{{_PREFIXES[prefix]}}}{local}"


def element(name: str, attrs: dict[str, str] | None = None) -> Any:
    """A new ``w:`` element (``name`` is ``w:tag``); ``attrs`` by their Clark names."""
    return etree.Element(qn(name), attrs, nsmap=_NSMAP)


def child(parent: Any, name: str, attrs: dict[str, str] | None = None) -> Any:
    """A new ``w:`` element appended to ``parent``, in its namespaces (r:id takes r:)."""
    return etree.SubElement(parent, qn(name), attrs)


def root(name: str) -> Any:
    """The root element of a part, declaring w: and r: for everything below it."""
    return etree.Element(qn(name), nsmap=_ROOT_NSMAP)


def serialize(el: Any) -> bytes:
    return etree.tostring(el, encoding="UTF-8", standalone=True)


# ---------------------------------------------------------------------------------------
# Styles: the defaults every reader starts from, and the four a document needs to exist
# (paragraph, character, table, numbering defaults) plus the footer's. docx.py fills in the
# body face, size and line pitch (docDefaults and Normal).

_STYLES = (
    '<w:styles xmlns:w="' + W + '">'
    "<w:docDefaults><w:rPrDefault><w:rPr/></w:rPrDefault><w:pPrDefault><w:pPr/></w:pPrDefault></w:docDefaults>"
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>'
    '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
    '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>'
    '<w:style w:type="table" w:default="1" w:styleId="TableNormal">'
    '<w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/>'
    '<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>'
    '<w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>'
    "</w:tblCellMar></w:tblPr></w:style>"
    '<w:style w:type="numbering" w:default="1" w:styleId="NoList">'
    '<w:name w:val="No List"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style>'
    '<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/>'
    '<w:uiPriority w:val="99"/><w:unhideWhenUsed/>'
    '<w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:style>'
    "</w:styles>"
)


def styles() -> Any:
    return etree.fromstring(_STYLES)


# ---------------------------------------------------------------------------------------
# The package

_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml."
_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
# The document's relationships, by id: footerReference/@r:id names FOOTER_IDS.
_DOCUMENT_RELS = (
    ("rId1", "styles", "styles.xml"),
    ("rId2", "settings", "settings.xml"),
    ("rId3", "fontTable", "fontTable.xml"),
    ("rId4", "footer", "footer1.xml"),
    ("rId5", "footer", "footer2.xml"),
)
FOOTER_IDS = ("rId4", "rId5")  # odd (default) pages, even pages
_OVERRIDES = (
    ("/word/document.xml", _CT + "document.main+xml"),
    ("/word/styles.xml", _CT + "styles+xml"),
    ("/word/settings.xml", _CT + "settings+xml"),
    ("/word/fontTable.xml", _CT + "fontTable+xml"),
    ("/word/footer1.xml", _CT + "footer+xml"),
    ("/word/footer2.xml", _CT + "footer+xml"),
    ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
    ("/docProps/app.xml", "application/vnd.openxmlformats-officedocument.extended-properties+xml"),
)


def _content_types() -> bytes:
    ns = "http://schemas.openxmlformats.org/package/2006/content-types"
    types = etree.Element(f"{{{ns}}}Types", nsmap={None: ns})
    for extension, content_type in (
        ("rels", "application/vnd.openxmlformats-package.relationships+xml"),
        ("xml", "application/xml"),
    ):
        etree.SubElement(types, f"{{{ns}}}Default", Extension=extension, ContentType=content_type)
    for name, content_type in _OVERRIDES:
        etree.SubElement(types, f"{{{ns}}}Override", PartName=name, ContentType=content_type)
    return serialize(types)


def _relationships(rels: tuple[tuple[str, str, str], ...]) -> bytes:
    ns = "http://schemas.openxmlformats.org/package/2006/relationships"
    out = etree.Element(f"{{{ns}}}Relationships", nsmap={None: ns})
    for rid, kind, target in rels:
        etree.SubElement(out, f"{{{ns}}}Relationship", Id=rid, Type=kind, Target=target)
    return serialize(out)


def core_properties(*, title: str, language: str, stamp: dt.datetime) -> bytes:
    """docProps/core.xml: the title and language readers show, no author, one revision."""
    cp = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
    dc = "http://purl.org/dc/elements/1.1/"
    dcterms = "http://purl.org/dc/terms/"
    xsi = "http://www.w3.org/2001/XMLSchema-instance"
    props = etree.Element(
        f"{{{cp}}}coreProperties", nsmap={"cp": cp, "dc": dc, "dcterms": dcterms, "xsi": xsi}
    )
    etree.SubElement(props, f"{{{dc}}}title").text = title
    etree.SubElement(props, f"{{{dc}}}creator").text = ""
    etree.SubElement(props, f"{{{dc}}}description").text = ""
    etree.SubElement(props, f"{{{cp}}}lastModifiedBy").text = ""
    etree.SubElement(props, f"{{{cp}}}revision").text = "1"
    when = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    for name in ("created", "modified"):
        el = etree.SubElement(props, f"{{{dcterms}}}{name}", {f"{{{xsi}}}type": "dcterms:W3CDTF"})
        el.text = when
    etree.SubElement(props, f"{{{dc}}}language").text = language
    return serialize(props)


def _app_properties() -> bytes:
    ns = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
    props = etree.Element(f"{{{ns}}}Properties", nsmap={None: ns})
    etree.SubElement(props, f"{{{ns}}}Application").text = "fedplan"
    return serialize(props)


def package(
    *,
    document: Any,
    styles: Any,
    settings: Any,
    fonts: Any,
    footers: tuple[Any, Any],
    core: bytes,
    stamp: dt.datetime,
) -> bytes:
    """The .docx bytes. Every member carries ``stamp`` as its time, so the same document
    written twice is the same file (a report kept in git does not change on every run)."""
    members = (
        ("[Content_Types].xml", _content_types()),
        (
            "_rels/.rels",
            _relationships(
                (
                    ("rId1", _RT + "officeDocument", "word/document.xml"),
                    (
                        "rId2",
                        "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
                        "docProps/core.xml",
                    ),
                    ("rId3", _RT + "extended-properties", "docProps/app.xml"),
                )
            ),
        ),
        ("docProps/core.xml", core),
        ("docProps/app.xml", _app_properties()),
        ("word/document.xml", serialize(document)),
        (
            "word/_rels/document.xml.rels",
            _relationships(tuple((i, _RT + k, t) for i, k, t in _DOCUMENT_RELS)),
        ),
        ("word/styles.xml", serialize(styles)),
        ("word/settings.xml", serialize(settings)),
        ("word/fontTable.xml", serialize(fonts)),
        ("word/footer1.xml", serialize(footers[0])),
        ("word/footer2.xml", serialize(footers[1])),
    )
    # A zip's clock starts in 1980.
    when = max(stamp, dt.datetime(1980, 1, 1)).timetuple()[:6]
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return out.getvalue()
