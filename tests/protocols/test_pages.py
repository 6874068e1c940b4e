"""The protocol pages through the Django test client: who sees what (drafts only for those
who maintain the protocols, other councils' not at all), the import's preview writing
nothing, its errors, adoption from the version page, comparison with marked words, search
with highlighting, permalinks, and pinned query counts."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.audit.models import AuditEvent
from protocols import services
from protocols.models import Clause, Protocol, ProtocolVersion
from protocols.views import word_diff
from tests import factories
from tests.pages import content

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


def url(name, *args) -> str:
    return reverse(name, args=args)


def version_url(version) -> str:
    return url("protocol-version-page", version.protocol_id, version.pk)


def clause_url(version, number) -> str:
    return url("protocol-clause-page", version.protocol_id, version.pk, number)


def signed_in(client, role, council):
    user = factories.person(role, council)
    client.force_login(user)
    return user


@pytest.fixture
def reader(client, council):
    signed_in(client, "member", council)
    return client


@pytest.fixture
def maintainer(client, council):
    signed_in(client, "monitoring_officer", council)
    return client


# Reading -------------------------------------------------------------------------------------


def test_index_lists_protocols_with_the_version_in_force(reader, adopted):
    page = content(reader.get(url("protocols")))
    assert adopted.protocol.title in page
    assert "2025 edition" in page and "1 April 2025 by Full Council" in page


def test_version_page_has_a_table_of_contents_linking_each_clause(reader, adopted):
    page = content(reader.get(version_url(adopted)))
    for number, *_ in BASE_CLAUSES:
        assert f'href="{clause_url(adopted, number)}"' in page
    assert "Record its adoption" not in page


def test_clause_permalink_shows_the_clause_and_its_parent(reader, adopted):
    response = reader.get(clause_url(adopted, "2.2(a)"))
    assert response.status_code == 200
    page = content(response)
    assert "The Member is told the reasons for the delay." in page
    assert f'href="{clause_url(adopted, "2.2")}"' in page


def test_an_inserted_clause_has_a_working_permalink(reader, protocol):
    rows = [*BASE_CLAUSES[:5], ("2.1A", "", "Acknowledged by e-mail the same day.", "2")]
    version = import_clauses(protocol, [*rows, *BASE_CLAUSES[5:]])
    services.adopt_version(version=version, by=BY, adopted_on=ADOPTED_ON, approving_body="C")
    permalink = clause_url(version, "2.1A")
    assert permalink.endswith("/clauses/2.1A/")
    assert f'href="{permalink}"' in content(reader.get(version_url(version)))
    page = content(reader.get(permalink))
    assert "Acknowledged by e-mail the same day." in page
    assert f'href="{clause_url(version, "2")}"' in page
    found = content(reader.get(url("protocol-search-page"), {"q": "2.1A"}))
    assert found.index(f'href="{permalink}"') < found.index(f'href="{clause_url(version, "2.1")}"')


def test_clause_of_a_superseded_version_points_to_the_version_in_force(reader, protocol, adopted):
    second = import_clauses(protocol)
    services.adopt_version(version=second, by=BY, adopted_on=ADOPTED_ON, approving_body="C")
    page = content(reader.get(clause_url(adopted, "2.1")))
    assert "This is not the version in force" in page
    assert f'href="{version_url(second)}"' in page


def test_unknown_clause_is_not_found(reader, adopted):
    assert reader.get(clause_url(adopted, "99.9")).status_code == 404


def test_drafts_are_not_found_by_readers(reader, draft):
    assert reader.get(version_url(draft)).status_code == 404
    assert reader.get(clause_url(draft, "1")).status_code == 404


def test_other_councils_protocols_are_not_found(reader, other_protocol):
    version = other_protocol.versions.get()
    assert reader.get(url("protocol-page", other_protocol.pk)).status_code == 404
    assert reader.get(version_url(version)).status_code == 404
    assert reader.get(clause_url(version, "1")).status_code == 404


# Query counts ----------------------------------------------------------------------------------


@pytest.mark.parametrize("protocols", [1, 5])
def test_index_query_count_is_constant(reader, council, protocols, django_assert_num_queries):
    for number in range(protocols):
        created = services.create_protocol(council=council, by=BY, title=f"Protocol {number}")
        version = import_clauses(created)
        services.adopt_version(version=version, by=BY, adopted_on=ADOPTED_ON, approving_body="C")
    # the audit actor, the session with the account (its records and unread count), protocols,
    # their versions
    with django_assert_num_queries(4):
        assert reader.get(url("protocols")).status_code == 200


@pytest.mark.parametrize("extra", [0, 40])
def test_version_page_query_count_is_constant(reader, protocol, extra, django_assert_num_queries):
    rows = BASE_CLAUSES + [(f"3.{n}", "", f"Clause {n}.", None) for n in range(1, extra + 1)]
    version = import_clauses(protocol, rows)
    services.adopt_version(version=version, by=BY, adopted_on=ADOPTED_ON, approving_body="C")
    # the audit actor, the session with the account (its records and unread count), the version,
    # its clauses
    with django_assert_num_queries(4):
        assert reader.get(version_url(version)).status_code == 200


def test_clause_page_query_count_is_pinned(reader, adopted, django_assert_num_queries):
    # the audit actor, the session with the account (its records and unread count), the version,
    # the clause and its parent, its children
    with django_assert_num_queries(5):
        assert reader.get(clause_url(adopted, "2.2")).status_code == 200


@pytest.mark.parametrize("versions", [1, 5])
def test_search_page_query_count_is_constant(reader, protocol, versions, django_assert_num_queries):
    for _ in range(versions):
        version = import_clauses(protocol)
        services.consult_on_version(version=version, by=BY)
    # the audit actor, the session with the account (its records and unread count), the results,
    # their headlines
    with django_assert_num_queries(4):
        response = reader.get(url("protocol-search-page"), {"q": "days", "all_versions": "on"})
    assert content(response).count("<mark>days</mark>") == 2 * versions


def test_compare_page_query_count_is_pinned(reader, protocol, adopted, django_assert_num_queries):
    second = import_clauses(protocol)
    services.consult_on_version(version=second, by=BY)
    params = {"version": second.pk, "against": adopted.pk}
    # the audit actor, the session with the account (its records and unread count), the protocol,
    # its versions, the clauses of each version
    with django_assert_num_queries(6):
        assert reader.get(url("protocol-compare-page", protocol.pk), params).status_code == 200


# Search ---------------------------------------------------------------------------------------


def test_search_highlights_and_searches_the_versions_in_force(reader, protocol, adopted):
    draft = import_clauses(protocol, changed(BASE_CLAUSES, "2.1", text="Acknowledge in 2 days."))
    services.consult_on_version(version=draft, by=BY)
    page = content(reader.get(url("protocol-search-page"), {"q": "acknowledge"}))
    assert "<mark>acknowledge</mark> an enquiry" in page
    assert "2 days" not in page
    everything = content(
        reader.get(url("protocol-search-page"), {"q": "acknowledge", "all_versions": "on"})
    )
    assert "<mark>Acknowledge</mark> in 2 days" in everything


def test_search_with_no_match_says_so(reader, adopted):
    page = content(reader.get(url("protocol-search-page"), {"q": "zebra crossings"}))
    assert "No clauses found" in page


# Comparing ------------------------------------------------------------------------------------


def test_compare_marks_changed_words(reader, protocol, adopted):
    rows = changed(
        BASE_CLAUSES, "2.1", text="Officers must acknowledge an enquiry within 2 working days."
    )
    second = import_clauses(protocol, [*rows, ("3", "Reviews", "", None)])
    services.consult_on_version(version=second, by=BY)
    page = content(
        reader.get(
            url("protocol-compare-page", protocol.pk), {"version": second.pk, "against": adopted.pk}
        )
    )
    assert "[removed: </span>should" in page and "[added: </span>must" in page
    assert "1 changed, 1 added and 0 removed clauses" in page


def test_compare_refuses_a_version_against_itself(reader, adopted):
    response = reader.get(
        url("protocol-compare-page", adopted.protocol_id),
        {"version": adopted.pk, "against": adopted.pk},
    )
    assert "Select a different version to compare with" in content(response)


def test_word_diff_escapes_the_text():
    marked = word_diff("Members <b>may</b> ask", "Members <b>must</b> ask & wait")
    assert "<b>" not in marked
    assert "&lt;b&gt;must&lt;/b&gt;" in marked and "&amp;" in marked


# Importing ------------------------------------------------------------------------------------


def test_import_page_is_for_those_who_maintain_the_protocols(reader):
    assert reader.get(url("protocol-import-page")).status_code == 403


def test_preview_shows_clauses_and_anomalies_and_writes_nothing(maintainer):
    before = AuditEvent.objects.count()
    response = maintainer.post(
        url("protocol-import-page"),
        {"title": "Member/Officer protocol", "text": GAPPED_DOCUMENT, "start_marker": START_MARKER},
    )
    assert response.status_code == 200
    page = content(response)
    assert "Check the import" in page and "1 thing the import asks you to check" in page
    assert "Clause 2.3 follows 2.1: 2.2 is missing." in page
    assert not Protocol.objects.exists() and not ProtocolVersion.objects.exists()
    assert AuditEvent.objects.count() == before


def test_commit_imports_the_previewed_document_as_a_draft(maintainer, council):
    response = maintainer.post(
        url("protocol-import-commit"),
        {
            "title": "Member/Officer protocol",
            "text": SMALL_DOCUMENT.replace("\n", "\r\n"),
            "start_marker": START_MARKER,
            "label": "Draft",
        },
    )
    version = ProtocolVersion.objects.get()
    assert response.status_code == 302 and response["Location"] == version_url(version)
    assert version.protocol.title == "Member/Officer protocol" and version.label == "Draft"
    assert version.clauses.get(number="2.1").line == LINE_OF_2_1
    assert version.clauses.get(number="2.1").text.endswith("3 working days.")


def test_upload_preview_then_commit_into_an_existing_protocol(maintainer, protocol, adopted):
    upload = SimpleUploadedFile("protocol.txt", SMALL_DOCUMENT.encode("cp1252"), "text/plain")
    preview = maintainer.post(
        url("protocol-import-version-page", protocol.pk), {"document": upload}
    )
    assert preview.status_code == 200
    commit_url = url("protocol-import-commit-version", protocol.pk)
    assert f'action="{commit_url}"' in content(preview)
    text = preview.context["commit_form"].initial["text"]
    maintainer.post(commit_url, {"text": text, "source_name": "protocol.txt"})
    new = protocol.versions.exclude(pk=adopted.pk).get()
    assert new.source_name == "protocol.txt" and new.status == "draft"


def test_a_document_without_clauses_is_an_error_on_the_form(maintainer):
    response = maintainer.post(
        url("protocol-import-page"), {"title": "Protocol", "text": "Just minutes.\nNo clauses."}
    )
    page = content(response)
    assert "There is a problem" in page
    assert not Protocol.objects.exists()


def test_import_form_needs_a_document(maintainer):
    page = content(maintainer.post(url("protocol-import-page"), {"title": "Protocol"}))
    assert "Upload the protocol&#x27;s document or paste its text" in page


# Moving a version through its statuses ---------------------------------------------------------


def test_monitoring_officer_adopts_from_the_version_page(maintainer, draft):
    response = maintainer.post(
        url("protocol-version-action", draft.protocol_id, draft.pk, "adopt"),
        {
            "adopt-version": draft.version,
            "adopt-adopted_on_0": "1",
            "adopt-adopted_on_1": "4",
            "adopt-adopted_on_2": "2025",
            "adopt-approving_body": "Full Council",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "adopted" and draft.next_review_on == datetime.date(2026, 4, 1)


def test_adoption_without_a_date_is_an_error_and_changes_nothing(maintainer, draft):
    response = maintainer.post(
        url("protocol-version-action", draft.protocol_id, draft.pk, "adopt"),
        {"adopt-version": draft.version, "adopt-approving_body": "Full Council"},
    )
    assert "Enter the date of adoption" in content(response)
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_stale_consult_is_refused_with_a_readable_error(maintainer, draft):
    response = maintainer.post(
        url("protocol-version-action", draft.protocol_id, draft.pk, "consult"),
        {"version": draft.version - 1 or 99},
    )
    assert response.status_code == 409
    assert "has changed since you opened it" in content(response)


def test_readers_may_not_act_on_a_version(client, council, draft):
    services.consult_on_version(version=draft, by=BY)
    signed_in(client, "officer", council)
    response = client.post(
        url("protocol-version-action", draft.protocol_id, draft.pk, "withdraw"),
        {"version": 2},
    )
    assert response.status_code == 403


def test_home_page_links_to_the_protocols(client, council):
    signed_in(client, "member", council)
    page = content(client.get(url("home")))
    assert f'href="{url("protocols")}"' in page
    assert f'href="{url("protocol-import-page")}"' not in page
    signed_in(client, "monitoring_officer", council)
    assert f'href="{url("protocol-import-page")}"' in content(client.get(url("home")))


__all__ = ["Clause"]
