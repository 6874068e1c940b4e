"""Property tests of the protocol importer (DESIGN.md, Protocols).

1. Documents generated as random trees of sections, clauses, sub-clauses and lettered items,
   rendered in the numbering styles of the seeds with extraction noise between and inside
   clauses (page footers, form feeds, Deleted: lines, blank lines, bullets), and sometimes
   with sections, clauses and sub-clauses inserted by an amendment (``2A``, ``10.4A``,
   ``10.4B``, ``1.2.3A``) after the one they follow and its children, import to exactly
   the numbering they were built with, with no continuity anomalies; a clause cut by a page
   break keeps its whole sentence.
2. Any bytes given to ``text_from_upload`` then ``parse_protocol`` give a result or
   ImportRefused, never another exception; and whatever is read keeps the result's
   invariants (numbers unique, every parent present and before its children).
"""

from __future__ import annotations

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from protocols.importer import ImportRefused, ParsedProtocol, parse_protocol, text_from_upload

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# No unit words ("days", "per cent"): a number before one is prose, by design.
WORDS = [
    "council",
    "member",
    "officer",
    "meeting",
    "advice",
    "report",
    "group",
    "policy",
    "service",
    "record",
    "party",
    "decision",
    "confidential",
    "ward",
    "information",
    "committee",
    "protocol",
    "duty",
    "respect",
    "procedure",
    "chair",
    "public",
    "relationship",
    "conduct",
    "standards",
    "the",
    "and",
    "of",
    "with",
    "to",
    "must",
    "should",
    "will",
]
HEADING_WORDS = [
    "Roles",
    "Members",
    "Officers",
    "Advice",
    "Communications",
    "Correspondence",
    "Meetings",
    "Groups",
    "Disputes",
    "Publicity",
    "Relationships",
    "Conduct",
    "Information",
    "Access",
    "Redress",
    "Courtesy",
    "Principles",
]
NOISE = [
    "Page {page} of 12",
    "{page}",
    "- {page} -",
    "\f",
    "Deleted: should",
    "Formatted: Font: Bold",
    "Inserted: their",
    "---",
    "This page is intentionally left blank",
]

words = st.lists(st.sampled_from(WORDS), min_size=2, max_size=12)
heading = st.lists(st.sampled_from(HEADING_WORDS), min_size=1, max_size=4).map(" ".join)


@st.composite
def sentence(draw):
    """Prose: a capitalised sentence with a full stop; sometimes cut by a page break (returned
    as two halves, the second starting in lower case)."""
    chosen = draw(words)
    text = " ".join(chosen)
    text = text[0].upper() + text[1:] + "."
    cut = draw(st.none() | st.integers(1, len(chosen) - 1))
    if cut is None:
        return (text,)
    first = " ".join(chosen[:cut])
    return (first[0].upper() + first[1:], " ".join(chosen[cut:]) + ".")


# How many clauses an amendment inserted after a clause (10.4A, 10.4B): mostly none.
inserted_count = st.sampled_from([0, 0, 0, 0, 1, 2])


@st.composite
def tree(draw):
    """[(heading, [children])]; a section's children are clauses or lettered items; a clause's
    are sub-clauses or items. Leaves carry (sentence, bullets); sections, clauses and
    sub-clauses carry ``inserted``, the leaves (or, for a section, headings) of the clauses
    an amendment inserted after them (in about half the documents: the others were never
    amended that way)."""
    amended = draw(st.booleans())

    def leaf():
        return {
            "text": draw(sentence()),
            "bullets": draw(st.lists(words, max_size=2)),
            "inserted": [],
        }

    def inserted():
        return [leaf() for _ in range(draw(inserted_count))] if amended else []

    sections = []
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["clauses", "items", "none"]))
        children = []
        if kind == "clauses":
            for _ in range(draw(st.integers(1, 5))):
                clause = leaf()
                clause["heading"] = draw(st.none() | heading)
                sub_kind = draw(st.sampled_from(["subclauses", "items", "none", "none"]))
                count = draw(st.integers(1, 4)) if sub_kind != "none" else 0
                clause[sub_kind] = [leaf() for _ in range(count)]
                for sub in clause.get("subclauses", []):
                    sub["inserted"] = inserted()
                clause["inserted"] = inserted()
                children.append(clause)
        elif kind == "items":
            children = [leaf() for _ in range(draw(st.integers(1, 6)))]
        sections.append(
            {
                "heading": draw(heading),
                kind: children,
                "inserted": [draw(heading) for _ in range(draw(inserted_count) if amended else 0)],
            }
        )
    return sections


class Renderer:
    """Writes a tree in one of the seeds' styles and records the numbers it wrote."""

    def __init__(self, draw, style):
        self.draw, self.style = draw, style
        self.lines: list[str] = []
        self.numbers: list[str] = []
        self.texts: dict[str, str] = {}
        self.page = 2

    def blank(self):
        self.lines.append("")
        if self.draw(st.integers(0, 5)) == 0:
            self.noise()

    def noise(self):
        line = self.draw(st.sampled_from(NOISE)).format(page=self.page)
        self.page += 1
        self.lines.extend([line, ""])

    def numbered(self, number, first_line, leaf):
        """A numbered line, the rest of its sentence after a page break, and its bullets."""
        parts = leaf["text"]
        self.numbers.append(number)
        self.texts[number] = " ".join(parts)
        self.lines.append(first_line + parts[0])
        if len(parts) == 2:
            self.lines.append("")
            self.noise()
            self.lines.append(parts[1])
        for bullet in leaf["bullets"]:
            indent = self.draw(st.sampled_from(["", "  ", "    "]))
            marker = self.draw(st.sampled_from(["-", "•", "*"]))
            self.lines.append(f"{indent}{marker} {' '.join(bullet)}.")
        self.blank()

    def item(self, parent, index, leaf):
        letter = "abcdefgh"[index]
        bullet = self.draw(st.sampled_from(["- ", ""]))
        self.numbered(f"{parent}({letter})", f"{bullet}({letter}) ", leaf)

    def section_line(self, n, title):
        if self.style == "helston":
            return f"{n}. {title.upper()}"
        if self.style == "city":
            return self.draw(
                st.sampled_from(
                    [
                        f"## **{n}. {title.upper()}**",
                        f"### **{n} {title.upper()}**",
                        f"## {n}. {title}",
                    ]
                )
            )
        return f"{n}. {title}"

    def clause_prefix(self, number):
        if self.style == "helston":
            return f"- {number}. "
        if self.style == "city":
            return f"- {number} "
        return f"{number} "

    def inserted(self, number, leaves):
        """The clauses an amendment inserted after clause ``number``: 10.4A, 10.4B."""
        for letter, leaf in zip("ABC", leaves, strict=False):
            self.numbered(f"{number}{letter}", self.clause_prefix(f"{number}{letter}"), leaf)

    def render(self, sections):
        self.lines.extend(["Title Of The Protocol", ""])
        for n, section in enumerate(sections, start=1):
            self.render_section(n, section)
            for letter, title in zip("ABC", section["inserted"], strict=False):
                self.numbers.append(f"{n}{letter}")
                self.lines.append(self.section_line(f"{n}{letter}", title))
                self.blank()
        return "\n".join(self.lines) + "\n"

    def render_section(self, n, section):
        self.numbers.append(str(n))
        self.lines.append(self.section_line(n, section["heading"]))
        self.blank()
        for i, leaf in enumerate(section.get("items", [])):
            self.item(str(n), i, leaf)
        for m, clause in enumerate(section.get("clauses", []), start=1):
            number = f"{n}.{m}"
            if clause["heading"] and self.style == "city":
                self.numbers.append(number)
                self.lines.append(f"### **{number} {clause['heading']}**")
                self.blank()
                self.numbers.append(f"{number}.1")
                self.numbered_without_record(f"{number}.1", clause)
                offset = 1
            else:
                self.numbered(number, self.clause_prefix(number), clause)
                offset = 0
            for k, sub in enumerate(clause.get("subclauses", []), start=1 + offset):
                sub_number = f"{number}.{k}"
                self.numbered(sub_number, self.clause_prefix(sub_number), sub)
                self.inserted(sub_number, sub["inserted"])
            for i, leaf in enumerate(clause.get("items", [])):
                parent = f"{number}.1" if offset else number
                self.item(parent, i, leaf)
            self.inserted(number, clause["inserted"])

    def numbered_without_record(self, number, leaf):
        self.numbered(number, self.clause_prefix(number), leaf)
        self.numbers.pop()


@st.composite
def document(draw):
    style = draw(st.sampled_from(["helston", "city", "plain"]))
    renderer = Renderer(draw, style)
    text = renderer.render(draw(tree()))
    return text, renderer.numbers, renderer.texts


@SETTINGS
@given(document())
def test_generated_documents_import_to_the_numbering_they_were_built_with(built):
    text, numbers, texts = built
    result = parse_protocol(text)
    assert [clause.number for clause in result.clauses] == numbers
    assert {a.kind for a in result.anomalies} <= {"glitch"}
    by_number = {clause.number: clause for clause in result.clauses}
    for number, sentence_text in texts.items():
        first_line = by_number[number].text.split("\n")[0]
        heading = by_number[number].heading
        # A short clause in Title Case may read as a heading; the words are all there.
        assert sentence_text == first_line or sentence_text.rstrip(".") == heading


def assert_invariants(result: ParsedProtocol) -> None:
    numbers = [clause.number for clause in result.clauses]
    assert len(numbers) == len(set(numbers))
    seen = set()
    for clause in result.clauses:
        assert clause.parent is None or clause.parent in seen
        assert clause.line >= 1
        seen.add(clause.number)
    assert all(
        a.kind in {"gap", "repeat", "out_of_order", "inferred_section", "glitch"}
        for a in result.anomalies
    )


def read_or_refuse(data: bytes):
    try:
        return parse_protocol(text_from_upload(data, "upload.txt"))
    except ImportRefused as refusal:
        assert str(refusal)
        return None


@SETTINGS
@given(st.binary(max_size=2000))
def test_any_bytes_give_a_result_or_a_refusal(data):
    result = read_or_refuse(data)
    if result is not None:
        assert_invariants(result)


FRAGMENTS = [
    "1.",
    "1.1",
    "2. Roles",
    "- 1.1. Text.",
    "## 5.",
    "### **10.1 Heading**",
    "10.13If a member asks.",
    "10.4A Inserted.",
    "1.1A member asks.",
    "## 2A. Inserted",
    "12.1A.2 Text.",
    "1.1B",
    "(a) Item.",
    "- (i) item",
    "(ii)",
    "(b)",
    "3 HEADING",
    "1.1.2020 was a date.",
    "£1.50",
    "10.30 am",
    "Deleted: x ¶",
    "<#>residue ¶",
    "Page 3 of 12",
    "\f",
    "7",
    "Introduction ........ 3",
    "1 Introduction 3",
    "Heading",
    "**",
    "**Bold lead** text",
    "\tcell\t",
    "",
    "",
    "words in a sentence",
]


@SETTINGS
@given(
    st.lists(
        st.sampled_from(FRAGMENTS)
        | st.text(alphabet=string.printable + "£\u2013\u2019•¶", max_size=30),
        max_size=60,
    ),
    st.none() | st.sampled_from(["Heading", "2. Roles", "Nowhere"]),
)
def test_any_jumble_of_seed_fragments_keeps_the_invariants(lines, marker):
    try:
        result = parse_protocol("\n".join(lines), start_marker=marker)
    except ImportRefused:
        return
    assert_invariants(result)
