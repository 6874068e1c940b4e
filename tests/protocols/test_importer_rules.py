"""One rule of the protocol importer per test (DESIGN.md, Protocols: numbering read whatever its
form, continuity checked, extraction glitches handled), on small documents written here."""

import io
import zipfile

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from protocols.importer import ImportRefused, parse_protocol, text_from_upload


def numbers(text: str, **kwargs) -> list[str]:
    return [clause.number for clause in parse_protocol(text, **kwargs).clauses]


def clause(text: str, number: str, **kwargs):
    return next(c for c in parse_protocol(text, **kwargs).clauses if c.number == number)


def anomaly_kinds(text: str, **kwargs) -> list[tuple[int, str]]:
    return [(a.line, a.kind) for a in parse_protocol(text, **kwargs).anomalies]


# --- Numbering forms ------------------------------------------------------------------------


def test_bulleted_numbers_with_a_trailing_dot():
    text = "1. INTRODUCTION\n\n- 1.1. First.\n- 1.2. Second.\n"
    assert numbers(text) == ["1", "1.1", "1.2"]
    assert clause(text, "1.2").text == "Second."


def test_plain_numbers_without_bullets_or_dots():
    assert numbers("1 Scope\n\n1.1 First.\n\n1.2 Second.\n") == ["1", "1.1", "1.2"]


def test_three_level_numbers_under_a_bullet():
    text = "5. Groups\n\n- 5.1 Officers are neutral.\n- 5.1.1 Fair dealing.\n- 5.1.2 Attendance.\n"
    result = parse_protocol(text)
    assert [c.number for c in result.clauses] == ["5", "5.1", "5.1.1", "5.1.2"]
    assert result.clauses[2].parent == "5.1"


def test_markdown_section_heading_gives_number_and_heading():
    section = clause("## 5. Member enquiries\n\n5.1 Officers answer.\n", "5")
    assert (section.heading, section.text, section.parent) == ("Member enquiries", "", None)


def test_markdown_bold_clause_heading():
    text = "## **10. COMMUNICATIONS**\n\n### **10.1 Correspondence**\n\n- 10.1.1 Letters.\n"
    assert clause(text, "10.1").heading == "Correspondence"
    assert clause(text, "10").heading == "COMMUNICATIONS"


def test_bold_heading_after_the_number():
    assert clause("10. Communications\n\n10.1 **Correspondence**\n", "10.1").heading == (
        "Correspondence"
    )


def test_bold_lead_sentence_is_the_heading_and_the_rest_the_text():
    found = clause("1. Roles\n\n1.1 **Courtesy.** Be courteous at all times.\n", "1.1")
    assert (found.heading, found.text) == ("Courtesy", "Be courteous at all times.")


def test_bare_section_number_in_a_heading():
    assert clause("### **3 THE EMPLOYMENT RELATIONSHIP**\n\n- 3.1 Text.\n", "3").heading == (
        "THE EMPLOYMENT RELATIONSHIP"
    )


def test_plain_numbered_paragraph_has_empty_heading_and_its_sentence_as_text():
    found = clause("1. Roles\n\n1.1 Members and officers depend upon each other.\n", "1.1")
    assert (found.heading, found.text) == ("", "Members and officers depend upon each other.")


def test_one_point_nought_is_the_section_itself():
    assert numbers("1.0 Introduction\n\n1.1 Text.\n") == ["1", "1.1"]


def test_lettered_items_under_a_clause():
    text = "4. Provision of Advice\n\n- (a) Officers advise.\n- (b) Members decide.\n"
    result = parse_protocol(text)
    assert [c.number for c in result.clauses] == ["4", "4(a)", "4(b)"]
    assert result.clauses[2].parent == "4"


def test_lettered_items_restarting_under_headings_make_inferred_sections():
    text = (
        "1. General\n\nRespect\n\n(a) One.\n\n(b) Two.\n\nPressure\n\n(a) Three.\n\n"
        "Familiarity\n\nAvoid it.\n\n2. Next\n"
    )
    assert numbers(text) == ["1", "1.1", "1.1(a)", "1.1(b)", "1.2", "1.2(a)", "1.3", "2"]
    assert clause(text, "1.3").text == "Avoid it."
    assert anomaly_kinds(text) == [(line, "inferred_section") for line in (3, 9, 13)]


def test_roman_items_under_a_lettered_item():
    text = "2. Rules\n\n2.1 Officers must:\n\n(a) listen; and\n\n(i) note;\n\n(ii) reply.\n\n"
    text += "(b) act.\n"
    assert numbers(text) == ["2", "2.1", "2.1(a)", "2.1(a)(i)", "2.1(a)(ii)", "2.1(b)"]


def test_clause_without_its_section_infers_the_section_with_the_heading_above():
    text = "1. Scope\n\n1.1 Text.\n\n## Roles\n\n2.1 Members lead.\n"
    result = parse_protocol(text)
    assert [c.number for c in result.clauses] == ["1", "1.1", "2", "2.1"]
    assert (result.clauses[2].heading, result.clauses[2].line) == ("Roles", 5)
    assert [(a.line, a.kind) for a in result.anomalies] == [(5, "inferred_section")]
    assert "1.1 Text." not in result.clauses[1].text and "Roles" not in result.clauses[1].text


def test_document_starting_at_a_subclause_infers_its_section():
    result = parse_protocol("1.1 First.\n\n1.2 Second.\n")
    assert [c.number for c in result.clauses] == ["1", "1.1", "1.2"]
    assert [a.kind for a in result.anomalies] == ["inferred_section"]


def test_indented_bullets_belong_to_the_clause_above():
    text = "1. Mail\n\n- 1.1 Members must say what is:-\n- Public\n  - Internal\n    • Secret\n"
    assert clause(text, "1.1").text.split("\n") == [
        "Members must say what is:-",
        "- Public",
        "- Internal",
        "- Secret",
    ]


# --- Extraction glitches --------------------------------------------------------------------


def test_number_run_into_its_text_is_split_and_reported():
    text = "1. Members\n\n1.1 One.\n\n1.2If a member asks, answer.\n"
    found = clause(text, "1.2")
    assert found.text == "If a member asks, answer."
    assert anomaly_kinds(text) == [(5, "glitch")]
    assert numbers("10. A\n\n10.13If a member asks.\n")[-1] == "10.13"


def test_tracked_change_lines_are_dropped_and_reported():
    text = (
        "1. Advice\n\n1.1 Officers have the right to have that\n\nDeleted: should\n\n"
        "Formatted: Font: Bold\n\nInserted: their\n\nadvice recorded.\n"
    )
    assert clause(text, "1.1").text == "Officers have the right to have that advice recorded."
    assert anomaly_kinds(text) == [(5, "glitch")]


def test_tracked_change_balloon_over_several_lines_is_dropped():
    text = "1. End\n\nLast words.\n\nDeleted: ¶\nThe response will be:- ¶\n¶\n<#>kind; ¶\n"
    assert clause(text, "1").text == "Last words."


def test_contents_lines_are_never_clauses():
    text = (
        "Contents\n\n1. Introduction ........ 2\n2. Roles ........ 3\n\n"
        "1. Introduction\n\n1.1 Text.\n\n2. Roles\n\n2.1 Text.\n"
    )
    result = parse_protocol(text)
    assert [c.number for c in result.clauses] == ["1", "1.1", "2", "2.1"]
    assert result.clauses[0].line == 6
    assert result.anomalies == []


def test_contents_lines_with_plain_page_numbers():
    text = "1 Introduction 2\n1.1 Purpose 2\n2 Roles 3\n\n1 Introduction\n\n1.1 Purpose.\n"
    assert numbers(text) == ["1", "1.1"]


def test_page_footer_and_page_number_inside_a_clause():
    text = (
        "1. Meetings\n\n1.1 The Officer, not the Chair, takes\n\nPage 3 of 12\n\n7\n\n"
        "the action.\n\n1.2 Next.\n"
    )
    assert clause(text, "1.1").text == "The Officer, not the Chair, takes the action."


def test_form_feed_page_break_inside_a_clause():
    text = "1. Meetings\n\n1.1 The Officer takes\n\x0cthe action.\n1.2 Next.\n"
    assert clause(text, "1.1").text == "The Officer takes the action."
    assert numbers(text) == ["1", "1.1", "1.2"]


def test_running_header_repeated_on_every_page_is_dropped():
    header = "Helston Town Council Officer Member Protocol"
    text = f"{header}\n\n1. A\n\n1.1 One.\n\n{header}\n\n1.2 Two\n\n{header}\n\ncontinued.\n"
    assert clause(text, "1.2").text == "Two continued."


def test_paragraph_after_a_clause_belongs_to_it():
    text = "7. Committees\n\n- 7.4 Members decide.\n\nChairs accept briefings.\n\n- 7.5 Next.\n"
    assert clause(text, "7.4").text == "Members decide.\nChairs accept briefings."


def test_table_rows_belong_to_the_clause_above():
    text = "3. Employment\n\n- 3.2 Members:\n\n"
    text += "Do\tDon't\nObserve the law.\t\nPromote equality\tCanvass\n"
    assert clause(text, "3.2").text.split("\n") == [
        "Members:",
        "Do | Don't",
        "Observe the law.",
        "Promote equality | Canvass",
    ]


def test_dates_money_times_and_decimals_are_not_clauses():
    text = (
        "1. Fees\n\n1.1 The fee is set each year.\n\n1.1.2020 was the date of the last review.\n\n"
        "£1.50 is charged per copy.\n\n10.30 am is the deadline.\n\n2.5 per cent is added.\n\n"
        "15 March 2010 was the date of approval.\n\n1.2 Next.\n"
    )
    assert numbers(text) == ["1", "1.1", "1.2"]


def test_number_at_the_start_of_a_wrapped_line_is_prose():
    text = "1. Deadlines\n\n1.1 Officers respond within\n3 working days and within\n10.5 days.\n"
    assert numbers(text) == ["1", "1.1"]
    assert (
        clause(text, "1.1").text == "Officers respond within 3 working days and within 10.5 days."
    )


def test_expected_next_number_on_a_wrapped_line_is_a_clause():
    assert numbers("1. A\n1.1 One text\nwrapped.\n1.2 Two.\n") == ["1", "1.1", "1.2"]


# --- Continuity -----------------------------------------------------------------------------


def test_gap_in_numbering_is_reported():
    result = parse_protocol("1. A\n\n1.1 One.\n\n1.3 Three.\n")
    assert [(a.line, a.kind) for a in result.anomalies] == [(5, "gap")]
    assert "1.2 is missing" in result.anomalies[0].message


def test_repeated_number_is_reported_and_kept_as_text():
    text = "1. A\n\n1.1 One.\n\n1.2 Two.\n\n1.2 Again.\n\n1.3 Three.\n"
    assert numbers(text) == ["1", "1.1", "1.2", "1.3"]
    assert clause(text, "1.2").text == "Two.\n1.2 Again."
    assert anomaly_kinds(text) == [(7, "repeat")]


def test_number_out_of_order_is_reported():
    assert anomaly_kinds("1. A\n\n1.1 One.\n\n1.3 Three.\n\n1.2 Two.\n") == [
        (5, "gap"),
        (7, "out_of_order"),
    ]


def test_lettered_gap_is_reported():
    assert anomaly_kinds("1. A\n\n(a) One.\n\n(c) Three.\n") == [(5, "gap")]


def test_numbering_starting_again_at_one_ends_the_import():
    text = "1. Report\n\n1.1 Approve.\n\n2. Next\n\nProtocol\n\n1. Introduction\n\nText.\n"
    result = parse_protocol(text)
    assert [c.number for c in result.clauses] == ["1", "1.1", "2"]
    assert [(a.line, a.kind) for a in result.anomalies] == [(9, "repeat")]
    assert result.clauses[-1].text == ""  # the title of the second document is not kept


# --- Inserted clauses: letter suffixes --------------------------------------------------------

AMENDED = (
    "10. Communications\n\n10.1 Letters are answered.\n\n10.2 Calls are logged.\n\n"
    "10.2A E-mails are answered as letters.\n\n10.2B Texts are not answered.\n\n"
    "10.3 Visits are booked.\n"
)


def test_clauses_inserted_with_a_letter_are_read_in_document_order():
    result = parse_protocol(AMENDED)
    assert [c.number for c in result.clauses] == ["10", "10.1", "10.2", "10.2A", "10.2B", "10.3"]
    assert clause(AMENDED, "10.2A").text == "E-mails are answered as letters."
    assert clause(AMENDED, "10.2B").parent == "10"


def test_an_inserted_clause_is_neither_a_gap_nor_out_of_order():
    assert anomaly_kinds(AMENDED.replace("10. Comm", "1. Intro\n\n10. Comm")) == [(3, "gap")]
    assert parse_protocol("1. A\n\n1.1 One.\n\n1.1A Inserted.\n\n1.2 Two.\n").anomalies == []


def test_an_inserted_clause_repeated_is_a_repeat_kept_as_text():
    text = "1. A\n\n1.1 One.\n\n1.1A Inserted.\n\n1.1A Again.\n\n1.2 Two.\n"
    assert numbers(text) == ["1", "1.1", "1.1A", "1.2"]
    assert clause(text, "1.1A").text == "Inserted.\n1.1A Again."
    assert anomaly_kinds(text) == [(7, "repeat")]


def test_a_skipped_inserted_letter_is_a_gap():
    result = parse_protocol("1. A\n\n1.1 One.\n\n1.1B Inserted.\n\n1.2 Two.\n")
    assert [(a.line, a.kind) for a in result.anomalies] == [(5, "gap")]
    assert "1.1A is missing" in result.anomalies[0].message


def test_an_inserted_clause_without_the_clause_it_follows_is_a_gap():
    result = parse_protocol("1. A\n\n1.1 One.\n\n1.2B Inserted.\n\n1.3 Two.\n")
    assert [(a.line, a.kind) for a in result.anomalies] == [(5, "gap")]
    assert "1.2 to 1.2A is missing" in result.anomalies[0].message


def test_inserted_letters_in_the_wrong_order_are_out_of_order():
    text = "1. A\n\n1.1 One.\n\n1.1A First.\n\n1.1C Third.\n\n1.1B Second.\n\n1.2 Two.\n"
    assert anomaly_kinds(text) == [(7, "gap"), (9, "out_of_order")]


def test_the_clause_a_letter_was_inserted_after_may_have_children_first():
    text = (
        "1. A\n\n1.1 One.\n\n1.1.1 Sub one.\n\n1.1.2 Sub two.\n\n"
        "1.1A Inserted.\n\n1.1A.1 Its sub.\n\n1.2 Two.\n"
    )
    result = parse_protocol(text)
    assert [c.number for c in result.clauses] == [
        "1",
        "1.1",
        "1.1.1",
        "1.1.2",
        "1.1A",
        "1.1A.1",
        "1.2",
    ]
    assert [c.parent for c in result.clauses][-2:] == ["1.1A", "1"]
    assert result.anomalies == []


def test_a_letter_inside_a_number_and_an_inserted_section():
    text = (
        "1. Intro\n\n1.1 One.\n\n2. Roles\n\n2.1 One.\n\n2A. Inserted section\n\n"
        "2A.1 Its clause.\n\n2A.1A Its inserted clause.\n\n3. End\n\n3.1 One.\n"
    )
    result = parse_protocol(text)
    numbered = [c.number for c in result.clauses]
    assert numbered == ["1", "1.1", "2", "2.1", "2A", "2A.1", "2A.1A", "3", "3.1"]
    assert clause(text, "2A").heading == "Inserted section"
    assert result.anomalies == []


def test_a_number_with_letters_in_the_middle_of_three_levels():
    text = "12. X\n\n12.1 One.\n\n12.1A Inserted.\n\n12.1A.1 A.\n\n12.1A.2 B.\n\n12.2 Two.\n"
    assert numbers(text)[3:5] == ["12.1A.1", "12.1A.2"]
    assert clause(text, "12.1A.2").parent == "12.1A"


def test_items_hang_under_an_inserted_clause():
    text = "1. A\n\n1.1 One.\n\n1.1A Inserted:\n\n(a) first;\n\n(b) second.\n\n1.2 Two.\n"
    assert numbers(text) == ["1", "1.1", "1.1A", "1.1A(a)", "1.1A(b)", "1.2"]


def test_markdown_and_bold_inserted_headings():
    text = "## **10. COMMS**\n\n### **10.1 Letters**\n\n### **10.1A E-mails**\n\n- 10.1A.1 Text.\n"
    assert clause(text, "10.1A").heading == "E-mails"
    assert clause(text, "10.1A.1").parent == "10.1A"


def test_a_capital_a_after_a_new_number_is_the_clause_run_into_its_text():
    text = "1. A\n\n1.1 One.\n\n1.2A member may ask.\n\n1.3 Three.\n"
    assert numbers(text) == ["1", "1.1", "1.2", "1.3"]
    assert clause(text, "1.2").text == "A member may ask."
    assert anomaly_kinds(text) == [(5, "glitch")]


def test_a_capital_a_after_a_number_already_read_is_an_inserted_clause():
    text = "1. A\n\n1.1 One.\n\n1.1A Member enquiries by e-mail.\n\n1.2 Two.\n"
    assert numbers(text) == ["1", "1.1", "1.1A", "1.2"]


def test_a_word_run_into_a_number_is_no_letter_suffix():
    assert numbers("1. A\n\n1.1 One.\n\n1.2If asked, answer.\n")[-1] == "1.2"
    assert numbers("1. A\n\n1.1 One.\n\n1.1a lower case is prose.\n") == ["1", "1.1"]


def test_contents_lines_of_inserted_clauses_are_not_clauses():
    text = (
        "Contents\n\n10.4 Letters 3\n10.4A E-mails 4\n\n10. Communications\n\n"
        "10.4 Letters are answered.\n\n10.4A E-mails are answered.\n"
    )
    assert [c.line for c in parse_protocol(text).clauses] == [6, 8, 10]


def test_docx_with_a_typed_inserted_clause_between_automatic_numbers():
    document = docx.Document()
    add_multilevel_list(document)
    add_numbered(document, "Communications", 0)
    add_numbered(document, "Letters are answered.", 1)
    document.add_paragraph("1.1A\tE-mails are answered as letters.")
    add_numbered(document, "Calls are logged.", 1)
    result = parse_protocol(text_from_upload(docx_bytes(document), "protocol.docx"))
    assert [c.number for c in result.clauses] == ["1", "1.1", "1.1A", "1.2"]
    assert result.clauses[2].text == "E-mails are answered as letters."
    assert result.anomalies == []


# --- Start marker, refusals, progress -------------------------------------------------------


def test_start_marker_skips_the_covering_report():
    text = "1. Purpose\n\n1.1 Approve.\n\n**Protocol**\n\n1. Introduction\n\n1.1 Text.\n"
    result = parse_protocol(text, start_marker="protocol")
    assert [(c.number, c.line) for c in result.clauses] == [("1", 7), ("1.1", 9)]


def test_start_marker_not_found_is_refused():
    with pytest.raises(ImportRefused, match='start marker "Appendix A" is not a line'):
        parse_protocol("1. A\n\n1.1 Text.\n", start_marker="Appendix A")


def test_document_without_numbered_clauses_is_refused():
    with pytest.raises(ImportRefused, match="no numbered clauses"):
        parse_protocol("Protocol\n\nMembers and officers respect each other.\n")


def test_progress_is_reported_at_most_about_a_hundred_times():
    calls = []
    text = "1. A\n\n" + "".join(f"1.{n} Clause {n}.\n" for n in range(1, 1001))
    parse_protocol(text, progress=lambda done, total: calls.append((done, total)))
    assert 50 <= len(calls) <= 101
    assert calls[-1] == (1003, 1003)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


# --- Uploads --------------------------------------------------------------------------------


def test_utf8_with_bom_is_read():
    assert text_from_upload("\ufeff1. Règles\n".encode()) == "1. Règles\n"


def test_utf16_with_bom_is_read():
    assert text_from_upload("1. Règles\n".encode("utf-16")) == "1. Règles\n"


def test_windows_1252_text_is_read():
    data = "1. Members\u2019 enquiries\n\n1.1 A fee of £5 \u2013 payable.\n".encode("cp1252")
    assert data[10:11] == b"\x92"  # the Windows-1252 apostrophe, invalid as UTF-8
    text = text_from_upload(data, "protocol.txt")
    assert clause(text, "1").heading == "Members\u2019 enquiries"
    assert clause(text, "1.1").text == "A fee of £5 \u2013 payable."


def test_nul_bytes_are_refused():
    with pytest.raises(ImportRefused, match="NUL"):
        text_from_upload(b"1. A\x00\x00 text")


def test_binary_garbage_is_refused():
    with pytest.raises(ImportRefused, match="not a text file"):
        text_from_upload(bytes(range(1, 32)) * 20)


def test_empty_file_is_refused():
    with pytest.raises(ImportRefused, match="empty"):
        text_from_upload(b"")


def test_zip_that_is_not_a_docx_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("protocol.txt", "1. A\n")
    with pytest.raises(ImportRefused, match="zip archive but not a Word document"):
        text_from_upload(buffer.getvalue(), "protocol.docx")


def test_damaged_zip_is_refused():
    with pytest.raises(ImportRefused):
        text_from_upload(b"PK\x03\x04" + b"\x01" * 100, "protocol.docx")


def test_pdf_is_refused_with_advice():
    with pytest.raises(ImportRefused, match="PDF"):
        text_from_upload(b"%PDF-1.7\n...")


def docx_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_paragraphs_headings_and_a_table_inside_a_clause():
    document = docx.Document()
    document.add_heading("1. Employment", level=2)
    document.add_paragraph("1.1 When appointing, Members:")
    table = document.add_table(rows=2, cols=2)
    for row, cells in zip(
        table.rows, [("Do", "Don't"), ("Observe the law", "Canvass")], strict=True
    ):
        for cell, value in zip(row.cells, cells, strict=True):
            cell.text = value
    document.add_paragraph("and the rest of the clause.")
    document.add_paragraph("1.2 Next clause.")
    result = parse_protocol(text_from_upload(docx_bytes(document), "protocol.docx"))
    assert [c.number for c in result.clauses] == ["1", "1.1", "1.2"]
    assert result.clauses[0].heading == "Employment"
    assert result.clauses[1].text.split("\n") == [
        "When appointing, Members:",
        "Do | Don't",
        "Observe the law | Canvass",
        "and the rest of the clause.",
    ]


def add_multilevel_list(document, num_id: int = 90) -> None:
    """A list like a council's Word protocol: "1." sections, "1.1" clauses, "(a)" items."""
    levels = "".join(
        f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="{kind}"/>'
        f'<w:lvlText w:val="{text}"/></w:lvl>'
        for level, kind, text in [
            (0, "decimal", "%1."),
            (1, "decimal", "%1.%2"),
            (2, "lowerLetter", "(%3)"),
        ]
    )
    numbering = document.part.numbering_part.element
    numbering.find(qn("w:num")).addprevious(
        parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{num_id}">{levels}</w:abstractNum>'
        )
    )
    numbering.append(
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{num_id}"/></w:num>'
        )
    )


def add_numbered(document, text: str, level: int, num_id: int = 90):
    paragraph = document.add_paragraph(text)
    numbering = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    numbering.get_or_add_ilvl().val = level
    numbering.get_or_add_numId().val = num_id
    return paragraph


def test_docx_automatic_numbering_is_recomputed():
    document = docx.Document()
    add_multilevel_list(document)
    for text, level in [
        ("Introduction", 0),
        ("Members and officers respect each other.", 1),
        ("Officers advise Members:", 1),
        ("Impartially.", 2),
        ("In writing.", 2),
        ("Roles", 0),
        ("Members lead.", 1),
    ]:
        add_numbered(document, text, level)
    text = text_from_upload(docx_bytes(document), "protocol.docx")
    assert "1.2 Officers advise Members:" in text.split("\n")
    result = parse_protocol(text)
    assert [c.number for c in result.clauses] == ["1", "1.1", "1.2", "1.2(a)", "1.2(b)", "2", "2.1"]
    assert result.clauses[0].heading == "Introduction"
    assert result.anomalies == []


def tracked_run(kind: str, text: str):
    """A run inside a tracked change: ``w:del`` holds ``w:delText``, ``w:ins`` holds ``w:t``."""
    tag = "delText" if kind == "del" else "t"
    return parse_xml(
        f'<w:{kind} {nsdecls("w")} w:id="1" w:author="Clerk">'
        f"<w:r><w:{tag}>{text}</w:{tag}></w:r></w:{kind}>"
    )


def test_docx_bullet_style_and_tracked_changes_read_as_final():
    document = docx.Document()
    document.add_paragraph("1. Scope")
    paragraph = document.add_paragraph("1.1 Members ")
    paragraph._p.append(tracked_run("del", "should"))
    paragraph._p.append(tracked_run("ins", "must"))
    paragraph.add_run(" declare.")
    document.add_paragraph("Family relationships.", style="List Bullet")
    result = parse_protocol(text_from_upload(docx_bytes(document)))
    assert result.clauses[1].text == "Members must declare.\n- Family relationships."
