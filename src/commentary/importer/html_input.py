"""A saved web page -> Document: the main text by trafilatura (a maintained extraction
library — no regular expressions over HTML), footnote links and <sup> numbers as note
markers, the notes list as notes, hyperlinks in the running text as Markdown links.

The page is turned into the same plain-text form the text importer reads (title, blank
lines between blocks, '## ' headings, a notes heading, one numbered note per line), with
private-use placeholders for links and explicit markers, so both share one layout step.
"""

from __future__ import annotations

import re

from .layout import notes_heading, read_layout
from .model import LINK_CLOSE, LINK_OPEN, MARK_CLOSE, MARK_OPEN, Document

_BACKLINK = re.compile(r"^\s*(?:↩︎?|↩|\^|↑|⤴|zurück|back|return)\s*$", re.I)


class _Writer:
    def __init__(self, document: Document):
        self.document = document
        self.targets: list[str] = []  # footnote targets (#id) of the markers, in order

    def link(self, text: str, url: str) -> str:
        self.document.links.append((text, url))
        return f"{LINK_OPEN}{len(self.document.links) - 1}{LINK_CLOSE}"

    def inline(self, element, in_note: bool = False) -> str:
        """The text of an element with links and markers."""
        parts = [element.text or ""]
        for child in element:
            parts.append(self.child(child, in_note))
            parts.append(child.tail or "")
        return "".join(parts)

    def child(self, child, in_note: bool) -> str:
        tag = child.tag
        if tag == "lb":
            return "\n" if not in_note else " "
        if tag == "ref":
            target = (child.get("target") or "").strip()
            text = self.inline(child, in_note)
            digits = text.strip().strip("[]()")
            if target.startswith("#") or not target:
                if digits.isdigit() and not in_note:
                    self.targets.append(target[1:])
                    return f"{MARK_OPEN}{int(digits)}{MARK_CLOSE}"
                if in_note and _BACKLINK.match(text):
                    return ""
                return text
            if in_note:
                if text.strip() in (target, target.removeprefix("https://"), target.removeprefix("http://")) or not text.strip():
                    return target
                return f"{text} [{target}]"
            marks = "".join(re.findall(re.escape(MARK_OPEN) + r"\d+" + re.escape(MARK_CLOSE), text))
            if marks:  # <a …>Studie<sup>1</sup></a>: the marker follows the link
                text = re.sub(re.escape(MARK_OPEN) + r"\d+" + re.escape(MARK_CLOSE), "", text)
                return self.link(text, target) + marks
            return self.link(text, target)
        if tag == "hi" and "sup" in (child.get("rend") or ""):
            text = self.inline(child, in_note)
            digits = text.strip().strip("[]()")
            if re.fullmatch(r"\d{1,3}", digits) and not in_note:
                return f"{MARK_OPEN}{int(digits)}{MARK_CLOSE}"
            if MARK_OPEN in text:
                return text
            return text
        if tag == "graphic":
            return ""
        return self.inline(child, in_note)


def _blocks(writer: _Writer, body) -> list[str]:
    lines: list[str] = []
    in_notes = False
    for element in body:
        tag = element.tag
        if tag == "head":
            text = " ".join(writer.inline(element).split())
            if notes_heading(text):
                in_notes = True
                lines += [text, ""]
            else:
                in_notes = False
                lines += ["## " + text, ""]
        elif tag == "list":
            items = [e for e in element if e.tag == "item"]
            marked = len(dict.fromkeys(writer.targets))
            if not in_notes and marked and element.get("rend") == "ol" and len(items) == marked:
                # the list the markers point to, without a heading of its own
                in_notes = True
                lines += ["Anmerkungen", ""]
            for number, item in enumerate(items, 1):
                text = " ".join(writer.inline(item, in_note=True).split())
                if in_notes or element.get("rend") == "ol":
                    lines.append(f"{number}. {text}" if not re.match(r"^\s*\[?\(?\d{1,3}[.)\]]", text) else text)
                else:
                    lines.append(f"- {text}")
            lines.append("")
        elif tag == "table":
            for row in element.iter("row"):
                cells = [" ".join(writer.inline(cell).split()) for cell in row if cell.tag == "cell"]
                lines += [" | ".join(c for c in cells if c), ""]
        elif tag in ("p", "quote", "code"):
            text = writer.inline(element, in_note=in_notes)
            text = "\n".join(" ".join(l.split()) for l in text.split("\n"))
            if text.strip():
                lines += [text.strip(), ""]
        else:
            text = " ".join(writer.inline(element, in_note=in_notes).split())
            if text:
                lines += [text, ""]
    return lines


def _notes_from_targets(writer: _Writer, html: str) -> list[str]:
    """The notes behind the markers' links (#fn1 …) when the extraction left them out."""
    import lxml.html

    try:
        tree = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return []
    lines = []
    for number, target in enumerate(dict.fromkeys(writer.targets), 1):
        found = tree.xpath("//*[@id=$id]", id=target) or tree.xpath("//*[@name=$id]", id=target)
        if not found:
            return []
        element = found[0]
        if element.tag == "a" and not (element.text_content() or "").strip() and element.getparent() is not None:
            element = element.getparent()
        parts = []
        for node in element.iter():
            if node is element:
                parts.append(node.text or "")
                continue
            if node.tag == "a":
                href = (node.get("href") or "").strip()
                text = node.text_content()
                if href.startswith("#"):
                    parts.append("" if _BACKLINK.match(text) or text.strip().isdigit() else text)
                elif text.strip() in (href, href.removeprefix("https://")) or not text.strip():
                    parts.append(href)
                else:
                    parts.append(f"{text} [{href}]")
                parts.append(node.tail or "")
            elif node.getparent() is not None and node.getparent().tag == "a":
                continue
            else:
                parts.append((node.text or "") if node.tag != "a" else "")
                parts.append(node.tail or "")
        text = " ".join("".join(parts).split())
        text = re.sub(r"^\[?\(?%d[.)\]]?\s*" % number, "", text)
        lines.append(f"{number}. {text}")
    return lines


def read_html(html: str, document: Document) -> Document:
    import trafilatura

    extracted = trafilatura.bare_extraction(html, include_links=True, include_formatting=True, favor_recall=True,
                                            with_metadata=True, include_tables=True, include_comments=False)
    if extracted is None or extracted.body is None or not len(extracted.body):
        document.error(1, "no article text found in this web page")
        return document
    writer = _Writer(document)
    body = list(extracted.body)
    title = (extracted.title or "").strip()
    if body and body[0].tag == "head" and (not title or " ".join(writer.inline(body[0]).split()) == title
                                           or body[0].get("rend") == "h1"):
        title = " ".join(writer.inline(body[0]).split()) or title
        body = body[1:]
    if not title:
        document.error(1, "the web page has no title")
        return document
    container = extracted.body.makeelement("body", {})
    for element in body:
        container.append(element)
    lines = [title, ""] + _blocks(writer, container)
    text = "\n".join(lines)
    if writer.targets and not any(notes_heading(l) for l in lines):
        notes = _notes_from_targets(writer, html)
        if notes:
            lines += ["Anmerkungen", ""] + notes
            text = "\n".join(lines)
    document.source_text = text
    read_layout(text, document)
    # links inside notes (when the notes stood in an ordinary paragraph): 'text [URL]', as the source parser reads them
    placeholder = re.compile(re.escape(LINK_OPEN) + r"(\d+)" + re.escape(LINK_CLOSE))

    def as_text(match: re.Match) -> str:
        link_text, url = document.links[int(match.group(1))]
        return url if link_text.strip() in (url, url.removeprefix("https://"), url.removeprefix("http://"), "") else f"{link_text} [{url}]"

    for note_list in document.lists:
        for note in note_list.notes:
            note.text = placeholder.sub(as_text, note.text)
            note.text = re.sub(re.escape(MARK_OPEN) + r"(\d+)" + re.escape(MARK_CLOSE), r"\1", note.text)
    if extracted.author and not document.author_line:
        document.author_line = extracted.author.split(";")[0].strip()
        document.warn(1, f"author '{document.author_line}' taken from the web page's metadata")
    if extracted.date and not document.date_line and re.fullmatch(r"\d{4}-\d{2}-\d{2}", extracted.date):
        document.date_line = extracted.date
        document.warn(1, f"date {extracted.date} taken from the web page's metadata — check it")
    if extracted.url and not document.original_url and extracted.url.startswith(("http://", "https://")):
        document.original_url = extracted.url
    return document
