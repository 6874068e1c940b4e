"""The three seed protocols import to the clauses a person reads in them (DESIGN.md, Protocols).

The expected numbers were written by reading each document line by line, not copied from the
importer's output. Documents are in tests/protocols/documents/ (see its README).
"""

from pathlib import Path

import pytest

from protocols.importer import ImportRefused, parse_protocol, text_from_upload

DOCUMENTS = Path(__file__).parent / "documents"
TAUNTON_PROTOCOL = "Protocol for Member/Officer Relations"
TAUNTON_HARASSMENT = "Protocol on Harassment, Intimidation and Unacceptable Behaviour"


def read(name: str) -> str:
    return text_from_upload((DOCUMENTS / name).read_bytes(), name)


def clauses_of(result):
    return {clause.number: clause for clause in result.clauses}


def kinds(result):
    return [(anomaly.line, anomaly.kind) for anomaly in result.anomalies]


@pytest.fixture(scope="module")
def city():
    return parse_protocol(read("city-council-protocol.txt"))


@pytest.fixture(scope="module")
def helston():
    return parse_protocol(read("helston-town-council-protocol.txt"))


@pytest.fixture(scope="module")
def taunton():
    return parse_protocol(
        read("taunton-deane-protocol-report-2010.txt"), start_marker=TAUNTON_PROTOCOL
    )


def _series(prefix: str, last: int) -> list[str]:
    return [f"{prefix}{n}" for n in range(1, last + 1)]


CITY_NUMBERS = [
    "1",
    "2",
    "3",
    *_series("3.", 2),
    "4",
    *_series("4.", 6),
    "5",
    "5.1",
    *_series("5.1.", 16),
    "6",
    *_series("6.", 2),
    "7",
    *_series("7.", 5),
    "8",
    *_series("8.", 7),
    "9",
    *_series("9.", 2),
    "10",
    "10.1",
    *_series("10.1.", 5),
    "10.2",
    *_series("10.2.", 3),
    "10.3",
    *_series("10.3.", 2),
    "11",
    *_series("11.", 4),
    "12",
    *_series("12.", 7),
    "13",
    *_series("13.", 2),
    "14",
    *_series("14.", 11),
    "15",
]

HELSTON_NUMBERS = [
    "1",
    *_series("1.", 4),
    "2",
    *_series("2.", 4),
    "3",
    *_series("3.", 8),
    "4",
    *_series("4.", 4),
    "5",
    *_series("5.", 3),
    "6",
    *_series("6.", 4),
    "7",
    "7.1",
    "8",
    "8.1",
    "9",
    "9.1",
    "10",
    "10.1",
]


def _letters(prefix: str, last: str) -> list[str]:
    return [f"{prefix}({chr(c)})" for c in range(ord("a"), ord(last) + 1)]


TAUNTON_NUMBERS = [
    "1",
    "2",
    "3",
    "3.1",
    *_letters("3.1", "c"),
    "3.2",
    *_letters("3.2", "c"),
    "3.3",
    "4",
    *_letters("4", "g"),
    "4.1",
    *_letters("4.1", "h"),
    "4.2",
    *_letters("4.2", "i"),
    "5",
    "6",
    *_letters("6", "f"),
    "7",
]


def test_city_council_protocol_has_the_clauses_a_reader_counts(city):
    assert [c.number for c in city.clauses] == CITY_NUMBERS
    assert len(city.clauses) == 93


def test_city_council_protocol_has_no_anomalies(city):
    assert city.anomalies == []


def test_city_section_headings_come_from_markdown_and_bold_lines(city):
    clauses = clauses_of(city)
    assert clauses["1"].heading == "DEFINING THE MEMBER AND OFFICER ROLES"
    assert clauses["3"].heading == "THE EMPLOYMENT RELATIONSHIP"  # "### **3 THE ..." no dot
    assert clauses["4"].heading == "PERSONAL RELATIONSHIPS"  # "#### 4."
    assert clauses["10.1"].heading == "Correspondence"  # "### **10.1 Correspondence**"
    assert clauses["10.2"].heading == "Email Communications"
    assert clauses["10.3"].heading == "Casework/Service Complaints"
    assert (clauses["10.3"].line, clauses["10.3.1"].line) == (216, 218)


def test_city_numbered_paragraphs_have_no_heading_and_their_sentence_as_text(city):
    clause = clauses_of(city)["10.3.1"]
    assert clause.heading == ""
    assert clause.parent == "10.3"
    assert "provide a response within 3 working days" in clause.text
    assert clause.text.endswith("available within 10 working days.")


def test_city_clause_5_1_7_continues_across_the_page_break(city):
    assert clauses_of(city)["5.1.7"].text == (
        "Where Officers provide factual information and advice to a party group in relation "
        "to a matter of Council business this is not a substitute for providing all the "
        "necessary information and advice when the matter in question is formally considered "
        "by the relevant part of the Council."
    )


def test_city_clause_7_5_continues_across_the_page_break(city):
    text = clauses_of(city)["7.5"].text
    assert "In these circumstances it is the Officer, not the Chair, who takes the action" in text
    assert "\n" not in text


def test_city_unnumbered_paragraph_belongs_to_the_clause_above(city):
    assert (
        clauses_of(city)["7.4"]
        .text.split("\n")[1]
        .startswith("Chairs, Deputy Chairs, Group Spokespersons")
    )


def test_city_bullets_belong_to_clause_10_2_3(city):
    assert clauses_of(city)["10.2.3"].text.split("\n")[1:] == [
        "- Public information which can be shared with third parties",
        "- Internal Council Business which is confidential.",
    ]


def test_city_table_rows_stay_in_their_clause(city):
    lines = clauses_of(city)["3.2"].text.split("\n")
    assert "When Acting in this Capacity Members" in lines
    assert "Promote equality | Canvass support for any candidate for a job" in lines
    assert "Attend relevant learning and development" in lines  # a row with an empty cell


def test_city_bold_is_dropped_from_text_and_trailing_page_note_ignored(city):
    clauses = clauses_of(city)
    assert "very importantly any Council information provided" in clauses["14.10"].text
    assert "**" not in "".join(c.text for c in city.clauses)
    assert "intentionally left blank" not in clauses["15"].text


def test_helston_protocol_has_the_clauses_a_reader_counts(helston):
    assert [c.number for c in helston.clauses] == HELSTON_NUMBERS
    assert len(helston.clauses) == 41
    assert helston.anomalies == []


def test_helston_headings_and_dotted_clause_numbers(helston):
    clauses = clauses_of(helston)
    assert clauses["1"].heading == "INTRODUCTION"
    assert clauses["10"].heading == "DISPUTES"
    assert clauses["1.1"].text.startswith("Helston Town Council exists to serve")
    assert clauses["1.1"].line == 15


def test_helston_examples_list_belongs_to_clause_3_8(helston):
    lines = clauses_of(helston)["3.8"].text.split("\n")
    assert lines[1].startswith("When defining behaviour in cases of harassment")
    assert (
        lines[2]
        == "- Using aggressive language, threatening, ridiculing, ignoring people, or shouting"
    )
    assert lines[-1] == "- Coercing someone to join the harassment/bullying of another person"
    assert len(lines) == 20


def test_taunton_protocol_from_its_start_marker(taunton):
    assert [c.number for c in taunton.clauses] == TAUNTON_NUMBERS
    assert len(taunton.clauses) == 48


def test_taunton_unnumbered_subheadings_are_inferred_sections(taunton):
    clauses = clauses_of(taunton)
    assert clauses["3"].heading == "The Relationship between Members and Officers: General"
    assert [clauses[n].heading for n in ("3.1", "3.2", "3.3", "4.1", "4.2")] == [
        "Respect and Courtesy",
        "Undue Pressure",
        "Familiarity",
        "Information and the Political Perspective",
        "Party Group Meetings and Officers",
    ]
    assert clauses["3.2(b)"].parent == "3.2"
    assert clauses["4(g)"].parent == "4"
    assert clauses["3.3"].text.startswith("Close familiarity between Members and officers")


def test_taunton_anomalies(taunton):
    assert kinds(taunton) == [
        (69, "inferred_section"),
        (78, "inferred_section"),
        (84, "glitch"),  # five "Deleted:" notes, lines 84-92
        (94, "inferred_section"),
        (102, "glitch"),
        (113, "inferred_section"),
        (125, "inferred_section"),
        (160, "repeat"),  # the harassment protocol starts again at 1
    ]
    assert "lines 84 to 92" in taunton.anomalies[2].message


def test_taunton_clause_continues_across_a_deleted_line(taunton):
    assert clauses_of(taunton)["4(a)"].text == (
        "Members must recognise that officers have the duty and right to provide appropriate "
        "professional advice, and the right to have that advice recorded, so that all Members "
        "are fully aware of the implications of their decisions."
    )


def test_taunton_clauses_continue_across_page_breaks(taunton):
    clauses = clauses_of(taunton)
    assert "respective obligations to enhance the Council's reputation" in clauses["3.1(a)"].text
    assert "will take such action as is appropriate" in clauses["6(d)"].text
    assert "Deleted" not in "".join(c.text for c in taunton.clauses)


def test_taunton_item_i_after_h_is_a_letter_not_a_roman_one(taunton):
    assert clauses_of(taunton)["4.2(i)"].text.startswith("An officer should be given")


def test_taunton_harassment_protocol_imports_with_its_own_start_marker():
    result = parse_protocol(
        read("taunton-deane-protocol-report-2010.txt"), start_marker=TAUNTON_HARASSMENT
    )
    clauses = clauses_of(result)
    assert list(clauses) == ["1", "2", "3", "4", "5"]
    assert clauses["4"].heading == "Making a Complaint"
    assert "referred in the first instance to their Group Leader" in clauses["4"].text
    assert clauses["2"].heading == "What is Harassment and Intimidation?"
    assert (
        clauses["2"].text.split("\n")[-1]
        == "- misuse of powers in order to intimidate or undermine."
    )
    assert clauses["5"].text.endswith("personal and professional development.")
    assert "complaint of harassment will be" not in clauses["5"].text  # a deleted passage
    assert kinds(result) == [(184, "glitch"), (190, "glitch"), (213, "glitch")]


def test_taunton_without_start_marker_reads_the_report_and_stops_at_the_protocol():
    result = parse_protocol(read("taunton-deane-protocol-report-2010.txt"))
    assert [c.number for c in result.clauses] == [
        "1",
        "1.1",
        "2",
        *_series("2.", 4),
        "3",
        "3.1",
    ]
    assert kinds(result) == [(40, "repeat")]
    assert "start marker" in result.anomalies[0].message


def test_taunton_start_marker_is_matched_ignoring_case_and_markdown():
    result = parse_protocol(
        read("taunton-deane-protocol-report-2010.txt"),
        start_marker="## **protocol for member/officer relations**",
    )
    assert [c.number for c in result.clauses] == TAUNTON_NUMBERS


def test_a_start_marker_that_is_not_a_line_is_refused():
    with pytest.raises(ImportRefused, match="start marker"):
        parse_protocol(read("helston-town-council-protocol.txt"), start_marker="Appendix Z")
