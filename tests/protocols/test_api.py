"""The protocols API (API.md, Protocols): protocols, versions with their clause trees, the
status actions, comparison, search, and who may do what."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from protocols import services
from protocols.models import Clause, Protocol, ProtocolVersion

from .conftest import (
    ADOPTED_ON,
    BASE_CLAUSES,
    BY,
    GAPPED_DOCUMENT,
    LINE_OF_2_1,
    SMALL_DOCUMENT,
    START_MARKER,
    changed,
    import_clauses,
)


def url(name, **kwargs):
    return reverse(name, kwargs=kwargs)


# Reading -------------------------------------------------------------------------------------


def test_protocol_lists_its_versions(client_as, protocol, adopted):
    response = client_as("member").get(url("protocol-detail", pk=protocol.pk))
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == protocol.pk and body["title"] == protocol.title
    assert [v["id"] for v in body["versions"]] == [adopted.pk]
    assert body["versions"][0]["status"] == "adopted"


def test_version_has_its_clauses_as_a_tree(client_as, adopted):
    body = client_as("member").get(url("protocol-version-detail", pk=adopted.pk)).json()
    assert {key: body[key] for key in ("id", "protocol", "label", "status", "adopted_on")} == {
        "id": adopted.pk,
        "protocol": adopted.protocol_id,
        "label": "2025 edition",
        "status": "adopted",
        "adopted_on": "2025-04-01",
    }
    assert body["next_review_on"] == "2026-04-01"
    assert [c["number"] for c in body["clauses"]] == ["1", "2"]
    section = body["clauses"][1]
    assert section["heading"] == "Member enquiries"
    assert [c["number"] for c in section["children"]] == ["2.1", "2.2"]
    assert section["children"][1]["children"][0] == {
        "number": "2.2(a)",
        "heading": "",
        "text": "The Member is told the reasons for the delay.",
        "line": 7,
        "children": [],
    }


def test_drafts_are_hidden_from_people_who_may_not_change_protocols(client_as, draft):
    member = client_as("member")
    assert member.get(url("protocol-version-detail", pk=draft.pk)).status_code == 404
    body = member.get(url("protocol-detail", pk=draft.protocol_id)).json()
    assert body["versions"] == []


def test_drafts_are_shown_to_the_monitoring_officer(monitoring_officer, draft):
    response = monitoring_officer.get(url("protocol-version-detail", pk=draft.pk))
    assert response.status_code == 200


def test_versions_out_for_consultation_are_read_by_everyone(client_as, draft):
    services.consult_on_version(version=draft, by=BY)
    assert client_as("officer").get(url("protocol-version-detail", pk=draft.pk)).status_code == 200


def test_other_councils_protocols_are_not_found(client_as, other_protocol):
    client = client_as("administrator")
    version = other_protocol.versions.get()
    clause = version.clauses.first()
    assert client.get(url("protocol-detail", pk=other_protocol.pk)).status_code == 404
    assert client.get(url("protocol-version-detail", pk=version.pk)).status_code == 404
    assert client.get(url("clause-detail", pk=clause.pk)).status_code == 404
    assert client.get(url("protocol-list")).json()["results"] == []
    found = client.get(url("clause-list"), {"search": "respect"}).json()["results"]
    assert found == []


@pytest.mark.parametrize("versions", [1, 8])
def test_version_list_query_count_is_constant(
    monitoring_officer, protocol, versions, django_assert_num_queries
):
    for _ in range(versions):
        import_clauses(protocol)
    # the audit actor, the session with the account (its officer and member records), the versions,
    # their clauses
    with django_assert_num_queries(4):
        response = monitoring_officer.get(url("protocol-version-list"))
    assert len(response.json()["results"]) == versions


@pytest.mark.parametrize("protocols", [1, 6])
def test_protocol_list_query_count_is_constant(
    monitoring_officer, council, protocols, django_assert_num_queries
):
    for number in range(protocols):
        created = services.create_protocol(council=council, by=BY, title=f"Protocol {number}")
        import_clauses(created)
    # the audit actor, the session with the account (its officer and member records), the protocols,
    # their versions
    with django_assert_num_queries(4):
        response = monitoring_officer.get(url("protocol-list"))
    assert len(response.json()["results"]) == protocols


def test_version_list_filters_by_protocol_and_status(monitoring_officer, protocol, adopted):
    import_clauses(protocol)
    response = monitoring_officer.get(
        url("protocol-version-list"), {"protocol": protocol.pk, "status": "adopted"}
    )
    assert [v["id"] for v in response.json()["results"]] == [adopted.pk]
    bad = monitoring_officer.get(url("protocol-version-list"), {"status": "repealed"})
    assert bad.status_code == 400


# Creating and changing ---------------------------------------------------------------------


def test_monitoring_officer_creates_a_protocol(monitoring_officer, council):
    response = monitoring_officer.post(url("protocol-list"), {"title": "Planning protocol"})
    assert response.status_code == 201
    assert Protocol.objects.get(pk=response.json()["id"]).council == council


def test_protocol_titles_are_unique_in_a_council(monitoring_officer, protocol):
    response = monitoring_officer.post(url("protocol-list"), {"title": protocol.title.upper()})
    assert response.status_code == 400
    assert "already has a protocol" in response.json()["errors"]["title"][0]


@pytest.mark.parametrize("role", ["member", "officer", "casework", "hr"])
def test_only_those_who_maintain_the_protocol_may_create_one(client_as, role):
    assert client_as(role).post(url("protocol-list"), {"title": "Mine"}).status_code == 403


def test_token_with_protocols_write_may_adopt(token_client, draft):
    client = token_client(["protocols:write"])
    response = client.post(
        url("protocol-version-adopt", pk=draft.pk),
        {"adopted_on": "2025-04-01", "approving_body": "Full Council"},
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "adopted"


def test_token_with_protocols_read_may_not_adopt(token_client, council, draft):
    client = token_client(["protocols:read"])
    response = client.post(
        url("protocol-version-adopt", pk=draft.pk),
        {"adopted_on": "2025-04-01", "approving_body": "Full Council"},
    )
    assert response.status_code == 403


def test_adopt_supersedes_the_version_in_force(monitoring_officer, protocol, adopted):
    second = import_clauses(protocol)
    response = monitoring_officer.post(
        url("protocol-version-adopt", pk=second.pk),
        {
            "adopted_on": "2025-10-01",
            "approving_body": "Full Council",
            "next_review_on": "2027-01-01",
        },
    )
    assert response.status_code == 200
    assert response.json()["next_review_on"] == "2027-01-01"
    adopted.refresh_from_db()
    assert adopted.status == "superseded"
    assert adopted.superseded_on == datetime.date(2025, 10, 1)


def test_adopting_an_adopted_version_is_a_conflict(monitoring_officer, adopted):
    response = monitoring_officer.post(
        url("protocol-version-adopt", pk=adopted.pk),
        {"adopted_on": "2025-04-02", "approving_body": "Cabinet"},
    )
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"


def test_adopt_needs_a_date_and_a_body(monitoring_officer, draft):
    response = monitoring_officer.post(url("protocol-version-adopt", pk=draft.pk), {})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"adopted_on", "approving_body"}
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_adopt_with_a_stale_if_match_changes_nothing(monitoring_officer, draft):
    response = monitoring_officer.post(
        url("protocol-version-adopt", pk=draft.pk),
        {"adopted_on": "2025-04-01", "approving_body": "Full Council"},
        headers={"If-Match": '"0"'},
    )
    assert response.status_code == 412
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_consult_then_withdraw(monitoring_officer, draft):
    consulted = monitoring_officer.post(url("protocol-version-consult", pk=draft.pk))
    assert consulted.json()["status"] == "consultation"
    again = monitoring_officer.post(url("protocol-version-consult", pk=draft.pk))
    assert again.status_code == 409
    back = monitoring_officer.post(url("protocol-version-withdraw-consultation", pk=draft.pk))
    assert back.json()["status"] == "draft"


def test_next_review_date_of_an_adopted_version_can_be_set(monitoring_officer, adopted):
    response = monitoring_officer.patch(
        url("protocol-version-detail", pk=adopted.pk), {"next_review_on": "2027-06-30"}
    )
    assert response.status_code == 200
    assert response.json()["next_review_on"] == "2027-06-30"


def test_a_superseded_version_does_not_change(monitoring_officer, protocol, adopted):
    second = import_clauses(protocol)
    services.adopt_version(
        version=second, by=BY, adopted_on=ADOPTED_ON, approving_body="Full Council"
    )
    response = monitoring_officer.patch(
        url("protocol-version-detail", pk=adopted.pk), {"label": "Old"}
    )
    assert response.status_code == 409


# Comparing ---------------------------------------------------------------------------------


def test_diff_lists_added_removed_and_changed_clauses(monitoring_officer, protocol, adopted):
    rows = changed(BASE_CLAUSES, "2.1", text="Officers should acknowledge within 2 working days.")
    rows = [row for row in rows if row[0] != "1.2"] + [("3", "Reviews", "Reviewed yearly.", None)]
    second = import_clauses(protocol, rows)
    response = monitoring_officer.get(
        url("protocol-version-diff", pk=second.pk), {"against": adopted.pk}
    )
    assert response.status_code == 200
    body = response.json()
    assert [c["number"] for c in body["added"]] == ["3"]
    assert [c["number"] for c in body["removed"]] == ["1.2"]
    (change,) = body["changed"]
    assert change["number"] == "2.1"
    assert change["text"] == "Officers should acknowledge within 2 working days."
    assert (
        change["before"]["text"] == "Officers should acknowledge an enquiry within 3 working days."
    )
    assert body["unchanged"] == 5


def test_diff_needs_a_version_to_compare_with(monitoring_officer, adopted):
    response = monitoring_officer.get(url("protocol-version-diff", pk=adopted.pk))
    assert response.status_code == 400
    assert "against" in response.json()["errors"]


def test_diff_against_another_councils_version_is_not_found(
    monitoring_officer, adopted, other_protocol
):
    response = monitoring_officer.get(
        url("protocol-version-diff", pk=adopted.pk),
        {"against": other_protocol.versions.get().pk},
    )
    assert response.status_code == 404


# Search --------------------------------------------------------------------------------------


def test_search_ranks_a_heading_match_above_a_text_match(client_as, protocol):
    rows = [
        ("1", "Enquiries", "", None),
        ("1.1", "", "Officers answer enquiries promptly.", "1"),
        ("2", "Courtesy", "", None),
        (
            "2.1",
            "",
            "Members are courteous. Enquiries about conduct go to the Monitoring Officer.",
            "2",
        ),
        ("2.2", "", "Nothing about it here.", "2"),
    ]
    version = import_clauses(protocol, rows)
    services.adopt_version(version=version, by=BY, adopted_on=ADOPTED_ON, approving_body="Council")
    response = client_as("member").get(url("clause-list"), {"search": "enquiries"})
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["number"] for r in results] == ["1", "1.1", "2.1"]
    assert results[0]["version"] == version.pk
    assert results[0]["rank"] > results[1]["rank"]


def test_search_highlights_matched_words_and_escapes_the_rest(client_as, protocol):
    text = (
        "Members <b>must</b> not bully any person <script>x</script> & R&D. Quite a few more "
        "words follow this sentence, so that it is long enough for the headline to cut it."
    )
    version = import_clauses(protocol, [("1", "Conduct", text, None)])
    services.adopt_version(version=version, by=BY, adopted_on=ADOPTED_ON, approving_body="Council")
    (result,) = (
        client_as("member").get(url("clause-list"), {"search": "bullying"}).json()["results"]
    )
    assert "<mark>bully</mark>" in result["headline"]
    assert "&amp;" in result["headline"]
    assert "<" not in result["headline"].replace("<mark>", "").replace("</mark>", "")
    assert result["text"] == text


def test_search_within_one_version(client_as, protocol, adopted):
    second = import_clauses(protocol)
    services.consult_on_version(version=second, by=BY)
    response = client_as("member").get(
        url("clause-list"), {"search": "acknowledge", "version": second.pk}
    )
    assert [(r["number"], r["version"]) for r in response.json()["results"]] == [("2.1", second.pk)]


def test_search_leaves_out_drafts_for_readers(client_as, protocol, draft):
    assert (
        client_as("member").get(url("clause-list"), {"search": "respect"}).json()["results"] == []
    )


def test_search_pages_by_offset(client_as, protocol):
    rows = [(str(n), "", f"Respect clause {n}.", None) for n in range(1, 6)]
    version = import_clauses(protocol, rows)
    services.adopt_version(version=version, by=BY, adopted_on=ADOPTED_ON, approving_body="Council")
    client = client_as("member")
    first = client.get(url("clause-list"), {"search": "respect", "page_size": 3}).json()
    assert len(first["results"]) == 3 and first["previous"] is None
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 2 and second["next"] is None
    numbers = [r["number"] for r in first["results"] + second["results"]]
    assert sorted(numbers) == ["1", "2", "3", "4", "5"]


@pytest.mark.parametrize("versions", [1, 6])
def test_search_query_count_is_constant(client_as, protocol, versions, django_assert_num_queries):
    for _ in range(versions):
        version = import_clauses(protocol)
        services.consult_on_version(version=version, by=BY)
    client = client_as("member")
    # the session with the account (its records), the ranked page, its headlines
    with django_assert_num_queries(3):
        response = client.get(url("clause-list"), {"search": "days"})
    assert len(response.json()["results"]) == 2 * versions


def test_clause_list_without_search_is_every_visible_clause(client_as, adopted):
    results = client_as("member").get(url("clause-list"), {"version": adopted.pk}).json()["results"]
    assert [r["number"] for r in results] == [row[0] for row in BASE_CLAUSES]
    assert results[-1]["parent"] == "2.2"


# Clauses inserted by an amendment (letter suffixes) ---------------------------------------

AMENDED_DOCUMENT = SMALL_DOCUMENT.replace(
    "2.2 Where",
    "2.1A Officers acknowledge an enquiry by e-mail on the day it arrives.\n\n2.2 Where",
)


def test_an_inserted_clause_goes_through_import_tree_search_and_diff(
    monitoring_officer, protocol, adopted
):
    response = monitoring_officer.post(
        url("protocol-import", pk=protocol.pk),
        {"text": AMENDED_DOCUMENT, "start_marker": START_MARKER},
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["anomalies"] == []
    section = body["clauses"][1]
    assert [c["number"] for c in section["children"]] == ["2.1", "2.1A", "2.2"]
    amended = body["id"]
    found = monitoring_officer.get(url("clause-list"), {"search": "2.1a", "version": amended})
    results = found.json()["results"]
    assert results[0]["number"] == "2.1A" and results[0]["parent"] == "2"
    detail = monitoring_officer.get(url("clause-detail", pk=results[0]["id"])).json()
    assert detail["number"] == "2.1A"
    diff = monitoring_officer.get(
        url("protocol-version-diff", pk=amended), {"against": adopted.pk}
    ).json()
    assert [c["number"] for c in diff["added"]] == ["2.1A"]


# Import ------------------------------------------------------------------------------------
# These go through the importer (protocols.importer) with a small document.


def test_import_text_creates_a_draft(monitoring_officer, protocol):
    response = monitoring_officer.post(
        url("protocol-import", pk=protocol.pk),
        {"text": SMALL_DOCUMENT, "label": "Draft 2026", "start_marker": START_MARKER},
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft" and body["label"] == "Draft 2026"
    assert body["anomalies"] == []
    numbers = [c["number"] for c in body["clauses"]]
    assert numbers == ["1", "2"]
    version = ProtocolVersion.objects.get(pk=body["id"])
    assert version.clauses.count() == 7
    assert version.clauses.get(number="2.1").line == LINE_OF_2_1


def test_import_answers_the_anomalies_with_their_lines(monitoring_officer, protocol):
    response = monitoring_officer.post(
        url("protocol-import", pk=protocol.pk), {"text": GAPPED_DOCUMENT}
    )
    assert response.status_code == 201
    assert response.json()["anomalies"] == [
        {"line": 15, "kind": "gap", "message": "Clause 2.3 follows 2.1: 2.2 is missing."}
    ]
    assert ProtocolVersion.objects.get().anomalies[0]["line"] == 15


def test_import_a_file_upload(monitoring_officer, protocol):

    upload = SimpleUploadedFile("protocol.txt", SMALL_DOCUMENT.encode(), "text/plain")
    response = monitoring_officer.post(
        url("protocol-import", pk=protocol.pk), {"file": upload}, format="multipart"
    )
    assert response.status_code == 201, response.json()
    assert ProtocolVersion.objects.get(pk=response.json()["id"]).source_name == "protocol.txt"


def test_import_a_word_document(monitoring_officer, protocol):
    import io

    import docx

    document = docx.Document()
    document.add_heading("1. Introduction", level=2)
    document.add_paragraph("1.1 This protocol guides members and officers.")
    document.add_paragraph("1.2 It is part of the constitution.")
    document.add_heading("2. Enquiries", level=2)
    document.add_paragraph("2.1 Officers answer within ten working days.")
    data = io.BytesIO()
    document.save(data)
    upload = SimpleUploadedFile(
        "protocol.docx",
        data.getvalue(),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response = monitoring_officer.post(
        url("protocol-import", pk=protocol.pk), {"file": upload}, format="multipart"
    )
    assert response.status_code == 201, response.json()
    version = ProtocolVersion.objects.get(pk=response.json()["id"])
    numbers = list(version.clauses.order_by("order").values_list("number", flat=True))
    assert numbers == ["1", "1.1", "1.2", "2", "2.1"]


def test_import_of_a_document_without_clauses_is_refused_and_writes_nothing(
    monitoring_officer, protocol
):
    response = monitoring_officer.post(
        url("protocol-import", pk=protocol.pk), {"text": "Minutes of the meeting.\nNothing."}
    )
    assert response.status_code == 400
    assert response.json()["errors"]["text"]
    assert not ProtocolVersion.objects.exists() and not Clause.objects.exists()


def test_import_of_a_file_that_is_not_a_document_is_refused(monitoring_officer, protocol):
    upload = SimpleUploadedFile("protocol.pdf", b"%PDF-1.4\x00\x01\x02\xff", "application/pdf")
    response = monitoring_officer.post(
        url("protocol-import", pk=protocol.pk), {"file": upload}, format="multipart"
    )
    assert response.status_code == 400
    assert response.json()["errors"]["file"]
    assert not ProtocolVersion.objects.exists()


def test_import_with_a_start_marker_not_in_the_document_is_refused(monitoring_officer, protocol):

    response = monitoring_officer.post(
        url("protocol-import", pk=protocol.pk),
        {"text": SMALL_DOCUMENT, "start_marker": "NO SUCH HEADING"},
    )
    assert response.status_code == 400
    assert not ProtocolVersion.objects.exists()


def test_import_without_a_document_is_refused(monitoring_officer, protocol):
    response = monitoring_officer.post(url("protocol-import", pk=protocol.pk), {})
    assert response.status_code == 400
    assert response.json()["errors"]["text"]


def test_import_by_a_member_is_forbidden(client_as, protocol):

    response = client_as("member").post(
        url("protocol-import", pk=protocol.pk), {"text": SMALL_DOCUMENT}
    )
    assert response.status_code == 403
    assert not ProtocolVersion.objects.exists()
