"""Reading a council's protocol document into numbered clauses (DESIGN.md, Protocols).

A pure module: text in, clauses and anomalies out, no database. ``protocols.services``
turns a ``ParsedProtocol`` into a draft version in one transaction.

The interface below is the contract between the importer and the rest of the app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


class ImportRefused(ValueError):
    """The document cannot be imported; ``str(error)`` is a message for the person importing
    it (e.g. "The document has no numbered clauses", "The file is not text or .docx")."""


@dataclass(frozen=True)
class ParsedClause:
    """One numbered clause. ``number`` is normalised: ``"10"``, ``"10.3"``, ``"10.3.1"``, and a
    lettered item under a clause as ``"10.3(a)"``. ``parent`` is the number of the enclosing
    clause, or None for a top-level section. ``line`` is the 1-based line of the source (in the
    whole text, before any start marker is applied) where the clause starts."""

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
    raise NotImplementedError


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
    raise NotImplementedError
