"""Reading a council's protocol document into numbered clauses (DESIGN.md, Protocols).

A pure module: text in, clauses and anomalies out, no database. ``protocols.services``
turns a ``ParsedProtocol`` into a draft version in one transaction.

The interface below is the contract between the importer and the rest of the app.

Councils have their protocol as a Word file or a PDF; what reaches us is a .docx or the text
someone extracted from either. That text is messy in the ways the three seeds show, and the
importer reads it as a person would (DESIGN.md: "numbering is read whatever its form ...
continuity is checked and anomalies reported, and extraction glitches ... are handled"):

- a covering report before the protocol is skipped with ``start_marker`` (Taunton Deane's
  2010 report to the Corporate Governance Committee); contents lines ending in page numbers
  are never clauses;
- a clause number is taken from the start of a line in any of the seeds' forms (``- 1.1.``,
  ``1.1``, ``- 5.1.1``, ``## 5.``, ``### **10.1 Heading**``, ``3 HEADING``), lettered and
  roman items ``(a)``, ``(ii)`` hang under the clause above them. A part of a number may
  carry a capital letter (``10.4A``, ``3A``, ``12.1A.2``): councils amending a protocol insert
  clauses between existing ones that way, so ``10.4A`` follows ``10.4`` (and its children)
  and comes before ``10.5``, and ``10.4B`` follows ``10.4A``. "10.4A member ..." may also be
  clause 10.4 run into the sentence "A member ..."; it is read as 10.4A when 10.4 has
  already been read, as 10.4 run into its text otherwise (and reported, ``glitch``). A
  number in prose (a date "1.1.2020", money "£1.50", a time "10.30 am", "2.5 per cent") is
  not a clause: numbers followed by a digit, a unit or a month are refused, and a number
  followed by a lower-case word, or in the middle of a paragraph, is only taken when it is
  the next number expected;
- a number run into its text (``10.13If``) is split and reported (``glitch``); Word's tracked
  change notes (``Deleted: ...``, ``Formatted: ...``) and page furniture ("Page 3 of 12",
  lone page numbers, form feeds, rules, running headers repeated on every page) are dropped,
  and a sentence cut by them is joined again; paragraphs, bullets and table rows belong to
  the clause above them;
- headings: a numbered line that reads as a heading (Markdown ``#``, bold, or a short title)
  gives the clause's heading; a numbered sentence gives its text with an empty heading;
- continuity: gaps, repeats, numbers out of order and guesses (a section inferred from its
  first clause, an unnumbered sub-heading numbered because the lettered items under it start
  again at (a)) are anomalies with the line to check. A repeated number is kept as text of
  the clause above, so numbers stay unique; numbering that starts again at 1 ends the import
  (a second document, such as an appended protocol, begins there) with a ``repeat`` anomaly.

A .docx is read by ``protocols.docx_text``: paragraphs and tables in body order, with Word's
automatic list numbers (which are not in the text python-docx gives) recomputed from
numbering.xml for the common formats; its docstring lists what is not interpreted.

Everything is one pass over the lines with regular expressions compiled once, so time is
linear in the size of the document (bench/protocol_import.py measures it).
"""

from __future__ import annotations

import codecs
import html
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field


class ImportRefused(ValueError):
    """The document cannot be imported; ``str(error)`` is a message for the person importing
    it (e.g. "The document has no numbered clauses", "The file is not text or .docx")."""


# A clause number as the importer writes it (``ParsedClause.number``): "10", "10.3.1",
# "10.4A", "12.1A.2", "10.3(a)", "10.3(a)(ii)".
CLAUSE_NUMBER = re.compile(r"\d{1,3}[A-Z]?(?:\.\d{1,3}[A-Z]?){0,5}(?:\((?:[a-z]|[ivx]{2,5})\))*")


@dataclass(frozen=True)
class ParsedClause:
    """One numbered clause. ``number`` is normalised: ``"10"``, ``"10.3"``, ``"10.3.1"``, an
    inserted clause ``"10.3A"``, and a lettered item under a clause as ``"10.3(a)"``.
    ``parent`` is the number of the enclosing clause, or None for a top-level section.
    ``line`` is the 1-based line of the source (in the whole text, before any start marker
    is applied) where the clause starts."""

    number: str
    heading: str
    text: str
    line: int
    parent: str | None = None


@dataclass(frozen=True)
class Anomaly:
    """Something a person should check before committing the import. ``kind`` is one of
    ``gap``, ``repeat``, ``out_of_order``, ``inferred_section``, ``glitch``."""

    line: int
    kind: str
    message: str


@dataclass(frozen=True)
class ParsedProtocol:
    """Clauses in document order (a parent always before its children) and anomalies."""

    clauses: list[ParsedClause]
    anomalies: list[Anomaly] = field(default_factory=list)


def text_from_upload(data: bytes, filename: str | None = None) -> str:
    """The text of an uploaded document: UTF-8 (or Windows-1252) plain text or Markdown, or a
    .docx (its paragraphs, numbering and tables as lines). Raises ImportRefused otherwise."""
    if not data:
        raise ImportRefused("The file is empty.")
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08"):
        from protocols.docx_text import docx_text

        return docx_text(data)
    if data.startswith(b"%PDF"):
        raise ImportRefused(
            "The file is a PDF. Save the protocol from Word as .docx, or copy its text into a "
            ".txt file, and import that."
        )
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise ImportRefused(
            "The file is an old Word .doc (or another Office binary file). Save it from Word "
            "as .docx and import that."
        )
    if (filename or "").lower().endswith(".docx"):
        raise ImportRefused("The file is named .docx but is not a Word document.")
    return _decode(data)


_NOT_TEXT = (
    "The file is not a text file or a Word .docx document. Import the protocol as plain text "
    "or Markdown (UTF-8 or Windows-1252), or as .docx."
)
# Control characters other than tab, line feed, vertical tab, form feed and carriage return.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def _decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise ImportRefused(_NOT_TEXT) from error
    else:
        if b"\x00" in data:
            raise ImportRefused(f"The file contains NUL bytes. {_NOT_TEXT}")
        data = data.removeprefix(codecs.BOM_UTF8)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError as error:
                raise ImportRefused(_NOT_TEXT) from error
    text = text.removeprefix("\ufeff")
    controls = len(_CONTROL.findall(text))
    if "\x00" in text or controls > len(text) // 200:
        raise ImportRefused(f"The file holds binary data. {_NOT_TEXT}")
    text = _CONTROL.sub("", text)
    if not text.strip():
        raise ImportRefused("The file has no text.")
    return text


def parse_protocol(
    text: str,
    *,
    start_marker: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ParsedProtocol:
    """Read ``text`` as a person would. ``start_marker``: a line at which the protocol begins
    (everything before it is skipped; ImportRefused if it is not found). ``progress(done,
    total)`` is called now and then with lines read. Raises ImportRefused for a document with
    no numbered clauses."""
    lines = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).split("\n")
    start = _find_start(lines, start_marker)
    reader = _Reader(lines, start)
    tokens = reader.tokens(progress)
    builder = _Builder()
    builder.build(tokens)
    if not builder.clauses:
        where = " after the start marker" if start else ""
        raise ImportRefused(
            f"The document has no numbered clauses{where}. The importer reads clauses numbered "
            "like 1., 1.1, 1.1.1 or (a) at the start of a line."
        )
    end = builder.stopped_at or len(lines) + 1
    read = [anomaly for anomaly in reader.anomalies if anomaly.line < end]
    anomalies = sorted(read + builder.anomalies, key=lambda a: a.line)
    return ParsedProtocol(clauses=[c.parsed() for c in builder.clauses], anomalies=anomalies)


# --- Lines -------------------------------------------------------------------------------------

_MD_HEADING = re.compile(r"#{1,6}(?![^\s*_\d])\s*")
# Bullet glyphs: ASCII, typographic, and the Symbol/Wingdings private-use ones Word exports.
_BULLET = re.compile(
    r"(?:[-*\u2022\u00b7\u2013\u2014\u25aa\u25a0\u25e6\u2023\u27a2\u25ba"
    r"\uf0b7\uf0a7\uf0d8\uf076]|o(?=\s))\s+"
)
# A part of a clause number: digits, and perhaps a capital letter of an inserted clause
# ("10.4A"); not a letter that begins a word run into the number ("10.13If").
_PART = r"\d{1,3}(?:[A-Z](?![A-Za-z]))?"
_NUMBER = re.compile(rf"({_PART}(?:\.{_PART}){{0,5}})(\.?)")
_ITEM = re.compile(r"(?:\(([a-z]|[ivx]{2,5})\)|([a-z]|[ivx]{2,5})\))(?=\s|$)")
_ROMAN = re.compile(r"(x{0,3})(ix|iv|v?i{0,3})")
_TRACKED = re.compile(
    r"(?:(?:Deleted|Inserted|Formatted|Moved\s*\((?:insertion|deletion)\)|Moved\s+(?:up|down)"
    r"|Comment(?:ed)?\s*\[[^\]]*\]|Style\s+Definition)\s*:|Formatted\s+Table\s*$"
    r"|Field\s+Code\s+Changed\s*$)",
    re.IGNORECASE,
)
_NOISE = re.compile(
    r"page\s+\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|\d{1,4}\s*(?:of|/)\s*\d{1,4}|\d{1,4}"
    r"|[-\u2013\u2014]\s*\d{1,4}\s*[-\u2013\u2014]|[-\u2013\u2014_*=\u2022\u00b7.\s]+|<!--.*-->"
    r"|\[?page\s*break\]?"
    r"|this\s+page\s+(?:is\s+)?(?:intentionally|deliberately)\s+(?:left\s+)?blank\.?",
    re.IGNORECASE,
)
_CONTENTS_HEADING = re.compile(r"(?:table\s+of\s+)?contents|index", re.IGNORECASE)
_LEADER_PAGE = re.compile(r"(.*?[^\s.])\s*(?:(?:\.\s*){2,}|…+\s*)(\d{1,3})")
_SPACED_PAGE = re.compile(r"(.*?[^\s.;,:])(?:\t+|\s+)(\d{1,3})")
_CONTENTS_TITLE = re.compile(
    rf"(?:{_PART}(?:\.{_PART})*\.?|appendix|annex|schedule|part|section)(?:\s|$)", re.IGNORECASE
)
_TIME_OR_PERCENT = re.compile(r"(?:[ap]\.?m\b\.?|%|per\s*cent\b|percent\b)", re.IGNORECASE)
_UNIT = re.compile(
    r"(?:hrs?|hours?|mins?|minutes?|seconds?|days?|weeks?|months?|years?|metres?|meters?|m|km"
    r"|kg|miles?|million|billion|bn|pence|p|times|x)\b"
)
_MONTH = re.compile(
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?(?:\s+\d|$)", re.I
)
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>|<#>")
_ITALIC = re.compile(r"(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])")
_SPACES = re.compile(r"\s+")
_TERMINAL = (*".!?:;\"\u201d\u2019')", ":-")


def _clean(text: str) -> str:
    """Inline clean-up of a line's text: HTML left by the PDF conversion, Markdown emphasis,
    table cells (tabs) as `` | ``, runs of spaces."""
    if "<" in text:
        text = _HTML_TAG.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    if "*" in text or "__" in text:
        text = _ITALIC.sub(r"\1", text.replace("**", "").replace("__", ""))
    if "\t" in text:
        text = " | ".join(cell for cell in (c.strip() for c in text.split("\t")) if cell)
    return _SPACES.sub(" ", text).strip()


def _plain(line: str) -> str:
    """A line without Markdown heading marks and bold, for comparisons."""
    line = line.strip().lstrip("#").replace("**", "").replace("__", "")
    if "  " in line or "\t" in line or "\xa0" in line:
        line = _SPACES.sub(" ", line)
    return line.strip()


def _find_start(lines: list[str], marker: str | None) -> int:
    if marker is None or not marker.strip():
        return 0
    wanted = _plain(marker).casefold()
    for index, line in enumerate(lines):
        if _plain(line).casefold() == wanted:
            return index
    raise ImportRefused(
        f'The start marker "{marker.strip()}" is not a line of the document. Give the heading '
        "at which the protocol begins, as it appears on its own line."
    )


def _heading_like(text: str, max_words: int) -> bool:
    """A short title rather than a sentence: no closing full stop, and mostly capitalised
    words ("Undue Pressure", "The Relationship between Members and Officers: General")."""
    if not text or len(text) > 120 or text[-1] in '.;,:!-\u2013"\u201d':
        return False
    words = text.split()
    if len(words) > max_words:
        return False
    if not (text[0].isupper() or text[0].isdigit() or text[0] in "\u201c\u2018\"'("):
        return False
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    if all(c.isupper() for c in letters):
        return True
    long_words = [w for w in words if len(w) > 3 and w[0].isalpha()]
    return sum(w[0].isupper() for w in long_words) * 2 >= len(long_words)


def _split_heading(rest: str, *, markdown: bool, bold: bool, depth: int) -> tuple[str, str, bool]:
    """The heading and the text of a numbered line, from what follows its number, and whether
    the heading is only a guess from its looks (a short capitalised line, no full stop)."""
    heading, text, guessed = "", rest, False
    if bold:  # the bold began before the number: "**10.1 Correspondence**"
        close = min((i for i in (rest.find("**"), rest.find("__")) if i >= 0), default=-1)
        heading, text = (rest[:close], rest[close + 2 :]) if close >= 0 else (rest, "")
    elif rest.startswith(("**", "__")):  # "10.1 **Correspondence**", a bold lead sentence
        close = rest.find(rest[:2], 2)
        if close >= 0:
            heading, text = rest[2:close], rest[close + 2 :]
    elif markdown:
        heading, text = rest, ""
    elif _heading_like(_clean(rest), 12 if depth == 1 else 8):
        heading, text, guessed = rest, "", True
    heading = _clean(heading).rstrip(" .:\u2013-").strip()
    text = _clean(text).lstrip(" .:\u2013-")
    return heading, text, guessed


def _first_letter_lower(text: str) -> bool:
    for char in text:
        if char.isalpha():
            return char.islower()
        if char not in "*_\"\u201c\u2018'( ":
            return False
    return False


def _roman_value(label: str) -> int | None:
    match = _ROMAN.fullmatch(label)
    if not label or match is None:
        return None
    tens, units = match.groups()
    unit_values = {"": 0, "i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7}
    unit_values |= {"viii": 8, "ix": 9}
    return 10 * len(tens) + unit_values[units]


class _Token:
    """One line, classified: ``num`` (a clause number candidate), ``item`` ((a), (ii)),
    ``heading`` (an unnumbered heading), ``bullet``, ``row`` (a table row), ``text``, ``blank``
    (a paragraph break: blank lines, page furniture, tracked-change notes)."""

    __slots__ = (
        "alternative",
        "bare",
        "bold",
        "guessed",
        "heading",
        "kind",
        "label",
        "line",
        "lower",
        "markdown",
        "path",
        "raw",
        "run_in",
        "strong",
        "text",
    )

    def __init__(self, kind, line, text="", **fields):
        self.kind, self.line, self.text = kind, line, text
        self.heading = fields.get("heading", "")
        self.path = fields.get("path")
        self.label = fields.get("label")
        self.strong = fields.get("strong", False)
        self.lower = fields.get("lower", False)
        self.bare = fields.get("bare", False)
        self.markdown = fields.get("markdown", False)
        self.bold = fields.get("bold", False)
        self.run_in = fields.get("run_in", False)
        self.raw = fields.get("raw", "")
        self.guessed = fields.get("guessed", False)
        # Another reading of a "num" line ("10.4A member ..." as 10.4 run into its text).
        self.alternative: _Token | None = None

    def as_text(self) -> _Token:
        return _Token("text", self.line, _clean(self.raw))


class _Reader:
    """Classifies the lines from the start marker on (one pass after two linear pre-passes:
    running headers and contents lists need to see the lines around them)."""

    def __init__(self, lines: list[str], start: int):
        self.lines, self.start = lines, start
        self.stripped = [line.replace("\f", " ").strip() for line in lines]
        self.plain = [_plain(line) if i >= start else "" for i, line in enumerate(self.stripped)]
        self.anomalies: list[Anomaly] = []
        self._tracked: list[int] = []  # the lines of the current run of tracked-change notes

    def tokens(self, progress) -> list[_Token]:
        running = self._running_headers()
        contents = self._contents_lines()
        total = len(self.lines) - self.start
        step = max(1, -(-total // 100))
        tokens: list[_Token] = []
        after_break, in_tracked = True, False

        def brk(line):
            if not tokens or tokens[-1].kind != "blank":
                tokens.append(_Token("blank", line))

        for index in range(self.start, len(self.lines)):
            done = index - self.start + 1
            if progress is not None and done % step == 0:
                progress(done, total)
            number, line = index + 1, self.stripped[index]
            if "\f" in self.lines[index]:
                brk(number)
                after_break = True
            if not line:
                in_tracked = False
                brk(number)
                after_break = True
                continue
            if in_tracked and ("¶" in line or line.startswith("<#>")):
                self._tracked.append(number)
                continue
            in_tracked = bool(_TRACKED.match(line))
            plain = self.plain[index]
            if in_tracked:
                self._tracked.append(number)
            elif plain and not (
                (len(plain) <= 60 and _NOISE.fullmatch(plain))
                or index in contents
                or plain in running
            ):
                self._close_tracked()
                table_row = "\t" in self.lines[index].strip("\n\f ")
                tokens.append(self._classify(index, line, strong=after_break, row=table_row))
                after_break = False
                continue
            brk(number)
            after_break = True
        self._close_tracked()
        if progress is not None and total and total % step:
            progress(total, total)
        return tokens

    def _close_tracked(self) -> None:
        if not self._tracked:
            return
        first, last, count = self._tracked[0], self._tracked[-1], len(self._tracked)
        quoted = self.stripped[first - 1][:60]
        where = f'line {first}: "{quoted}"' if count == 1 else f"lines {first} to {last}"
        self.anomalies.append(
            Anomaly(
                line=first,
                kind="glitch",
                message=f"Tracked-change notes left by Word were dropped ({where}); check that "
                "the text is the final version.",
            )
        )
        self._tracked = []

    def _running_headers(self) -> set[str]:
        """Lines repeated on three or more pages: a page header or footer, not content."""
        counts = Counter(
            plain
            for plain in self.plain[self.start :]
            if 3 <= len(plain) <= 100
            and plain[0] not in "-*•#(0123456789"
            and not plain.endswith((*_TERMINAL, ","))
            and "\t" not in plain
            and "|" not in plain
        )
        return {plain for plain, count in counts.items() if count >= 3}

    def _contents_lines(self) -> set[int]:
        """A contents list: lines ending in a page number. Dot leaders are enough; otherwise a
        numbered title followed by a page number counts only next to another such line (or
        under a "Contents" heading), so a clause ending in a number is not taken for one."""
        sure, maybe, headings = set(), set(), set()
        for index in range(self.start, len(self.lines)):
            plain = self.plain[index]
            if not plain or not (plain[-1].isdigit() or len(plain) < 25):
                continue
            if _CONTENTS_HEADING.fullmatch(plain):
                headings.add(index)
                continue
            match = _LEADER_PAGE.fullmatch(plain)
            if match and not match.group(1).endswith((".", ";", ",")):
                sure.add(index)
                continue
            match = _SPACED_PAGE.fullmatch(self.stripped[index].replace("**", ""))
            if match:
                title = match.group(1).lstrip("#-*• ").strip()
                number = _CONTENTS_TITLE.match(title)
                if number and _heading_like(_clean(title[number.end() :]) or "X", 12):
                    maybe.add(index)
        found = set(sure)
        listed = maybe | sure | headings
        nonblank = [i for i in range(self.start, len(self.lines)) if self.stripped[i]]
        for position, index in enumerate(nonblank):
            if index in maybe:
                before = nonblank[position - 1] if position else None
                after = nonblank[position + 1] if position + 1 < len(nonblank) else None
                if before in listed or after in listed:
                    found.add(index)
        found |= {i for i in headings if any(j in found for j in (i + 1, i + 2, i + 3))}
        return found

    def _is_standalone(self, index: int) -> bool:
        before = self.stripped[index - 1] if index > self.start else ""
        after = self.stripped[index + 1] if index + 1 < len(self.lines) else ""
        return not before and not after

    def _classify(self, index: int, line: str, *, strong: bool, row: bool) -> _Token:
        number = index + 1
        raw = line
        markdown = bullet = bold = False
        match = _MD_HEADING.match(line)
        if match and line.startswith("#"):
            markdown, line = True, line[match.end() :]
        match = _BULLET.match(line)
        if match:
            bullet, line = True, line[match.end() :]
        body = line
        if line.startswith(("**", "__")):
            bold, body = True, line[2:].lstrip()
        strong = strong or markdown or bullet or bold
        token = self._number(body, number, raw, markdown=markdown, bold=bold, strong=strong)
        if token is not None:
            return token
        match = _ITEM.match(body)
        if match:
            rest = body[match.end() :].strip()
            heading, text = "", rest
            if rest.startswith(("**", "__")):
                heading, text, _ = _split_heading(rest, markdown=False, bold=False, depth=9)
            else:
                text = _clean(rest)
            return _Token(
                "item",
                number,
                text,
                heading=heading,
                label=match.group(1) or match.group(2),
                strong=strong,
                lower=_first_letter_lower(rest),
                raw=raw,
            )
        text = _clean(line)
        if not text:
            return _Token("blank", number)
        whole_bold = bold and line.rstrip().endswith(("**", "__")) and "**" not in line[2:-2]
        if markdown or whole_bold:
            return _Token("heading", number, text.rstrip(":"))
        if bullet:
            return _Token("bullet", number, text)
        if row:
            return _Token("row", number, text)
        if self._is_standalone(index) and _heading_like(text, 10):
            return _Token("heading", number, text)
        return _Token("text", number, text)

    def _number(self, body, line, raw, *, markdown, bold, strong) -> _Token | None:
        match = _NUMBER.match(body)
        if match is None:
            return None
        digits, dot = match.groups()
        after = body[match.end() :]
        parts = digits.split(".")
        if after[:1].isdigit() or any(len(p) > 1 and p[0] == "0" for p in parts):
            return None  # a date (1.1.2020), a time (10.05) or a decimal
        path = tuple(_part(p) for p in parts)
        if len(path) == 2 and path[1] == (0, 0):
            path = path[:1]  # "1.0 Introduction" is section 1
        elif any(n == 0 for n, _ in path):
            return None
        dotted = len(parts) > 1 or dot == "."
        fields = {"line": line, "raw": raw, "markdown": markdown, "bold": bold, "strong": strong}
        token = self._number_token(path, after, dotted=dotted, **fields)
        suffix = path[-1][1]
        if len(path) > 1 and not dot and after[:1].isspace() and suffix in _WORD_LETTERS:
            # "10.4A member ...": clause 10.4A, or 10.4 run into "A member ..." (the builder
            # decides, by whether 10.4 has been read).
            base = (*path[:-1], (path[-1][0], 0))
            alternative = self._number_token(base, body[match.end() - 1 :], dotted=True, **fields)
            if token is None:
                return alternative
            token.alternative = alternative
        return token

    def _number_token(self, path, after, *, dotted, line, raw, markdown, bold, strong):
        """The "num" token of a line whose number reads as ``path`` with ``after`` following
        it, or None when the line is not a clause after all."""
        run_in = False
        if not after:
            rest = ""
        elif after[0].isspace():
            rest = after.strip()
        elif after.startswith(("**", "__")):
            rest = after
        elif dotted and after[0].isupper():
            rest, run_in = after, True
        else:
            return None
        if _TIME_OR_PERCENT.match(rest):
            return None
        lower = _first_letter_lower(rest)
        if lower and _UNIT.match(rest):
            return None
        if not dotted and (not rest or lower or _MONTH.match(rest)):
            return None
        heading, text, guessed = _split_heading(rest, markdown=markdown, bold=bold, depth=len(path))
        return _Token(
            "num",
            line,
            text,
            heading=heading,
            path=path,
            strong=strong,
            lower=lower,
            bare=not dotted,
            markdown=markdown,
            bold=bold,
            run_in=run_in,
            raw=raw,
            guessed=guessed,
        )


# --- Clauses -----------------------------------------------------------------------------------


# A clause's path is one part per level, each part (number, suffix): 10.4A.2 is
# ((10, 0), (4, 1), (2, 0)), the suffix counting A as 1. Parts compare in document order:
# 10.4 < 10.4A < 10.4B < 10.5.
_Part = tuple[int, int]
# The suffixes that are also one-letter words ("A member", "I am"), see _Reader._number.
_WORD_LETTERS = (1, 9)


def _part(text: str) -> _Part:
    """``"4"`` as (4, 0), ``"4A"`` as (4, 1)."""
    if text[-1].isalpha():
        return int(text[:-1]), ord(text[-1]) - ord("A") + 1
    return int(text), 0


def _label(part: _Part) -> str:
    number, suffix = part
    return f"{number}{chr(ord('A') + suffix - 1)}" if suffix else str(number)


def _number(path: tuple[_Part, ...]) -> str:
    return ".".join(map(_label, path))


def _next_parts(part: _Part) -> tuple[_Part, _Part]:
    """The parts that may follow ``part`` among its siblings: the next number, or a clause
    inserted after it (10.4 → 10.5 or 10.4A; 10.4A → 10.5 or 10.4B)."""
    number, suffix = part
    return (number + 1, 0), (number, suffix + 1)


def _missing(parent: tuple[_Part, ...], previous: _Part, part: _Part) -> str:
    """The numbers between ``previous`` and a later sibling ``part`` that is not next to it,
    in words: "10.5 to 10.7", "10.4A", "10.5 and 10.6A to 10.6B"."""
    (before, before_suffix), (number, suffix) = previous, part
    pieces = []
    if number > before:
        if number > before + 1:
            pieces.append(((*parent, (before + 1, 0)), (*parent, (number - 1, 0))))
        letters = range(0, suffix)  # the clause itself, then those inserted after it
    else:
        letters = range(before_suffix + 1, suffix)
    if letters:
        pieces.append(((*parent, (number, letters[0])), (*parent, (number, letters[-1]))))
    words = [
        _number(first) if first == last else f"{_number(first)} to {_number(last)}"
        for first, last in pieces
    ]
    return " and ".join(words)


class _Clause:
    __slots__ = ("guessed_heading", "heading", "line", "number", "paragraphs", "parent", "path")

    def __init__(self, number, path, heading, line, parent):
        self.number, self.path, self.heading = number, path, heading
        self.line, self.parent = line, parent
        self.paragraphs: list[list] = []  # [kind, [parts]]
        self.guessed_heading = False

    def add(self, kind: str, text: str, *, after_break: bool) -> None:
        """A line of the clause's text. A line straight after a text line is the same
        paragraph (a wrapped line); after a break (blank line, page footer, tracked-change
        note) it is too when the sentence was cut: no full stop before, lower case after."""
        if not text:
            return
        paragraphs = self.paragraphs
        if self.guessed_heading:
            # "1.1 The Officer, not the Chair, takes" + page break + "the action.": what looked
            # like a heading was a sentence cut by the break.
            self.guessed_heading = False
            if kind == "text" and not paragraphs and _first_letter_lower(text):
                paragraphs.append(["text", [self.heading]])
                self.heading = ""
        if kind == "text" and paragraphs and paragraphs[-1][0] in ("text", "bullet"):
            tail = paragraphs[-1][1][-1]
            if not after_break or (not tail.endswith(_TERMINAL) and _first_letter_lower(text)):
                paragraphs[-1][1].append(text)
                return
        paragraphs.append([kind, ["- " + text if kind == "bullet" else text]])

    def parsed(self) -> ParsedClause:
        text = "\n".join(" ".join(parts) for _, parts in self.paragraphs)
        return ParsedClause(
            number=self.number, heading=self.heading, text=text, line=self.line, parent=self.parent
        )


_STOP = object()


class _Builder:
    """Builds the clause tree from the tokens. Tokens after a numbered clause wait in
    ``region`` until the next numbered clause, because items that start again at (a) under an
    unnumbered heading change what the headings before them were."""

    def __init__(self):
        self.clauses: list[_Clause] = []
        self.numbers: set[str] = set()
        self.last_child: dict[tuple[_Part, ...], _Part] = {}
        self.last_path: tuple[_Part, ...] | None = None
        self.top = 0
        self.anchor: _Clause | None = None
        self.region: list[_Token] = []
        self.anomalies: list[Anomaly] = []
        self.stopped_at: int | None = None  # the line where a second document begins

    def note(self, line: int, kind: str, message: str) -> None:
        self.anomalies.append(Anomaly(line=line, kind=kind, message=message))

    def build(self, tokens: list[_Token]) -> None:
        for token in tokens:
            if token.kind == "num":
                token = self._reading(token)
                if self._accepts(token):
                    if self._numbered(token) is _STOP:
                        return
                    continue
                token = token.as_text()
            self.region.append(token)
        self._flush()

    def _reading(self, token: _Token) -> _Token:
        """ "10.4A member ..." is clause 10.4A once 10.4 has been read; before that, clause
        10.4 with its number run into "A member ..."."""
        alternative = token.alternative
        if alternative is not None and _number(alternative.path) not in self.numbers:
            return alternative
        return token

    def _expected(self, path: tuple[_Part, ...]) -> bool:
        last = self.last_path
        first = (1, 0)
        if last is None:
            return path in ((first,), (first, first))
        if path == (*last, first):
            return True
        return any(
            len(path) == k + 1 and path[:k] == last[:k] and path[k] in _next_parts(last[k])
            for k in range(len(last))
        )

    def _accepts(self, token: _Token) -> bool:
        expected = self._expected(token.path)
        if token.lower:
            return expected
        if token.bare:
            return token.markdown or token.bold or expected or (token.strong and token.heading)
        return token.strong or expected

    def _numbered(self, token: _Token):
        path, line = token.path, token.line
        number = _number(path)
        if number in self.numbers:
            if self.top > 1 and all(part == (1, 0) for part in path):
                while self.region and self.region[-1].kind in ("blank", "heading"):
                    self.region.pop()
                self._flush()
                self.stopped_at = line
                self.note(
                    line,
                    "repeat",
                    f"The numbering starts again at {number} on line {line}: a second document "
                    "(an appendix or another protocol) seems to begin here, and the import "
                    "stops before it. To import that document, give its title as the start "
                    "marker.",
                )
                return _STOP
            self.note(
                line,
                "repeat",
                f"Clause {number} on line {line} repeats a number already used; the line is "
                "kept as text of the clause above.",
            )
            self.region.append(token.as_text())
            return None
        missing = [path[:k] for k in range(1, len(path)) if _number(path[:k]) not in self.numbers]
        inferred_heading, heading_line = ("", line)
        if missing:
            inferred_heading, heading_line = self._pop_heading(line)
        self._flush()
        for parent_path in missing:
            heading = inferred_heading if parent_path == missing[-1] else ""
            clause = self._add_clause(parent_path, heading, heading_line)
            described = f' with the heading "{heading}"' if heading else ""
            self.note(
                heading_line,
                "inferred_section",
                f"Clause {number} (line {line}) has no clause {clause.number} above it; "
                f"{clause.number} was inferred{described}.",
            )
        clause = self._add_clause(path, token.heading, line)
        clause.guessed_heading = token.guessed
        if token.text:
            clause.add("text", token.text, after_break=True)
        if token.run_in:
            self.note(
                line,
                "glitch",
                f"The number {number} is run into its text on line {line} "
                f'("{token.raw.strip()[:40]}"); read as clause {number}.',
            )
        self.anchor = clause
        return None

    def _add_clause(self, path, heading, line) -> _Clause:
        self._check_continuity(path, line)
        number = _number(path)
        parent = _number(path[:-1]) if len(path) > 1 else None
        clause = _Clause(number, path, heading, line, parent)
        self.clauses.append(clause)
        self.numbers.add(number)
        self.last_path = path
        self.top = max(self.top, path[0][0])
        return clause

    def _check_continuity(self, path, line) -> None:
        parent, part = path[:-1], path[-1]
        previous = self.last_child.get(parent, (0, 0))
        self.last_child[parent] = part
        number = _number(path)
        if part in _next_parts(previous):
            return
        if part > previous:
            missing = _missing(parent, previous, part)
            after = (
                f"follows {_number((*parent, previous))}"
                if previous[0]
                else (f"is the first clause under {_number(parent)}" if parent else "comes first")
            )
            self.note(line, "gap", f"Clause {number} {after}: {missing} is missing.")
        else:
            self.note(
                line,
                "out_of_order",
                f"Clause {number} comes after {_number((*parent, previous))}.",
            )

    def _pop_heading(self, line) -> tuple[str, int]:
        """An unnumbered heading straight before a clause whose section is missing is that
        section's heading ("## Roles" then "2.1 ...")."""
        region = self.region
        index = len(region) - 1
        while index >= 0 and region[index].kind == "blank":
            index -= 1
        if index >= 0 and region[index].kind == "heading":
            token = region.pop(index)
            return token.text, token.line
        return "", line

    def _flush(self) -> None:
        region, self.region = self.region, []
        anchor = self.anchor
        if anchor is None:
            return  # before the first clause: a title page, a preamble
        subsections = _items_restart_under_headings(region)
        target = item_parent = anchor
        letter: str | None = None
        letter_clause: _Clause | None = None
        roman: int | None = None
        after_break = False
        for token in region:
            kind = token.kind
            if kind == "blank":
                after_break = True
                continue
            if kind == "heading" and subsections:
                path = (*anchor.path, (self.last_child.get(anchor.path, (0, 0))[0] + 1, 0))
                clause = self._add_clause(path, token.text, token.line)
                self.note(
                    token.line,
                    "inferred_section",
                    f'The heading "{token.text}" on line {token.line} has no number; it was '
                    f"read as clause {clause.number} because the lettered items under clause "
                    f"{anchor.number} start again at (a) after such headings.",
                )
                target = item_parent = clause
                letter = letter_clause = roman = None
                after_break = False
                continue
            if kind == "item":
                placed = self._item(token, item_parent, letter, letter_clause, roman)
                if placed is not None:
                    target, letter, letter_clause, roman = placed
                    after_break = False
                    continue
                token = token.as_text()
                kind = "text"
            target.add(kind, token.text, after_break=after_break)
            after_break = False

    def _item(self, token, item_parent, letter, letter_clause, roman):
        """Places a lettered or roman item; None when the line is text after all."""
        label = token.label
        value = _roman_value(label)
        next_letter = chr(ord(letter) + 1) if letter else "a"
        if len(label) == 1 and letter is not None and label == next_letter:
            kind = "letter"
        elif value is not None and (
            (roman is not None and value == roman + 1) or (value == 1 and roman is None)
        ):
            kind = "roman"
        elif len(label) == 1:
            kind = "letter"
        else:
            return None
        expected = label == next_letter if kind == "letter" else value == (roman or 0) + 1
        if (token.lower or not token.strong) and not expected:
            return None
        if kind == "letter":
            parent = item_parent
            number = f"{parent.number}({label})"
        else:
            parent = letter_clause if letter is not None else item_parent
            number = f"{parent.number}({label})"
        if number in self.numbers:
            self.note(
                token.line,
                "repeat",
                f"Item {number} on line {token.line} repeats an item already read; the line is "
                "kept as text of the clause above.",
            )
            return None
        if not expected:
            if kind == "letter":
                wanted = f"({next_letter})"
                is_gap = label > next_letter
            else:
                wanted = f"item {(roman or 0) + 1} in roman numerals"
                is_gap = value > (roman or 0) + 1
            self.note(
                token.line,
                "gap" if is_gap else "out_of_order",
                f"Item {number} on line {token.line} is out of sequence: {wanted} was expected.",
            )
        clause = _Clause(number, None, token.heading, token.line, parent.number)
        clause.add("text", token.text, after_break=True)
        self.clauses.append(clause)
        self.numbers.add(number)
        if kind == "letter":
            return clause, label, clause, None
        return clause, letter, letter_clause, value


def _items_restart_under_headings(region: list[_Token]) -> bool:
    """True when lettered items start again at (a) after an unnumbered heading: the headings
    are then sub-clauses the document does not number (Taunton Deane protocol 3: "Respect and
    Courtesy", "Undue Pressure", "Familiarity", each with its own (a), (b), (c))."""
    letter_seen = heading_since = False
    for token in region:
        if token.kind == "heading":
            heading_since = True
        elif token.kind == "item" and len(token.label) == 1:
            if token.label == "a" and letter_seen and heading_since:
                return True
            letter_seen = True
            heading_since = False
    return False
