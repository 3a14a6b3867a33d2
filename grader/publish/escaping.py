"""Student-controlled text made safe for each output: HTML display and links, CSV cells, XML, Markdown, consoles.

Student ids are folder names and answers are free text, so either can hold
markup, quotes, URL schemes, newlines, control characters, bidi overrides or
bytes that are not UTF-8. Every writer goes through one helper here per format,
so a new field in an output is safe as soon as it is written through it.
"""
from __future__ import annotations

import re
from urllib.parse import quote

# Cc controls except TAB and LF, DEL, C1 controls, bidi embeddings/overrides/isolates and marks, lone surrogates
# (a folder name that is not UTF-8 arrives as surrogate escapes).
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
# What XML 1.0 allows: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# OWASP CSV injection: a cell beginning with one of these is read as a formula by spreadsheets.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def visible(value: str) -> str:
    """``value`` with control, bidi and undecodable characters shown as ``<U+202E>`` instead of acting."""
    return _INVISIBLE.sub(lambda m: f"<U+{ord(m.group()):04X}>", value)


def one_line(value: str) -> str:
    """``visible(value)`` on one line (for consoles and table cells): newlines and tabs become spaces."""
    return visible(value.replace("\r\n", " ").replace("\n", " ").replace("\t", " "))


def href_segment(name: str) -> str:
    """One path segment of a relative link, percent-encoded: never a scheme, a query or another folder."""
    return quote(name.encode("utf-8", "surrogateescape"), safe="")


def relative_href(*segments: str) -> str:
    """A relative URL ``./a/b`` from path segments (student ids included), safe in an HTML attribute once escaped."""
    return "./" + "/".join(href_segment(s) for s in segments)


def csv_cell(value):
    """A CSV cell: numbers stay numbers; text that a spreadsheet would run as a formula gets a leading quote."""
    if value is None or isinstance(value, bool):
        return "" if value is None else str(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, (int, float)):
        return value
    text = visible(str(value).replace("\r\n", "\n")) if _INVISIBLE.search(str(value)) else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_row(values) -> list:
    """Every cell of a row through :func:`csv_cell`."""
    return [csv_cell(v) for v in values]


def xml_text(value: str) -> str:
    """``value`` without the characters XML 1.0 cannot hold (controls, lone surrogates, U+FFFE/FFFF)."""
    return _NOT_XML.sub("", value)


def xml_clean(root):
    """Every text, tail, attribute name and value of an ElementTree passed through :func:`xml_text`, in place."""
    for el in root.iter():
        if el.text:
            el.text = xml_text(el.text)
        if el.tail:
            el.tail = xml_text(el.tail)
        if el.attrib:
            el.attrib = {xml_text(k): xml_text(str(v)) for k, v in el.attrib.items()}
    return root


def xml_string(root) -> str:
    """A well-formed XML document (with declaration) from an ElementTree element, whatever text it holds."""
    import xml.etree.ElementTree as ET
    return ET.tostring(xml_clean(root), encoding="unicode", xml_declaration=True)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def markdown_text(value: str) -> str:
    """Plain text for one Markdown table cell or line: one line, visible controls, no links, markup or pipes."""
    return _MD_SPECIAL.sub(r"\\\1", one_line(value))
