"""CSV exports and imports of the council's people, and the enquiries export (issue 7)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from council import csv_exchange, services
from council.models import Member, Officer
from tests import factories

pytestmark = pytest.mark.django_db


def signed_in(role, council):
    client = Client()
    user = factories.person(role, council)
    client.force_login(user)
    return client


def download(client, kind):
    response = client.get(f"/council/exports/{kind}.csv")
    return response, b"".join(
        response.streaming_content
    ).decode() if response.status_code == 200 else ""


def upload(client, kind, text):
    data = {"kind": kind, "file": SimpleUploadedFile(f"{kind}.csv", text.encode(), "text/csv")}
    return client.post("/council/import/", data)


def test_an_officers_export_imports_back_changing_nothing(council):
    directorate = factories.DirectorateFactory(council=council, name="Place")
    services.upsert_officer(
        council=council, by="test", employee_number="B1", full_name="Boss", directorate=directorate
    )
    services.upsert_officer(
        council=council,
        by="test",
        employee_number="W1",
        full_name="=cmd|calc",
        line_manager="B1",
        teams=["casework", "hr"],
    )
    admin = signed_in("administrator", council)
    response, text = download(admin, "officers")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "'=cmd|calc" in text  # never a formula in a spreadsheet
    versions = dict(Officer.objects.values_list("employee_number", "version"))
    preview = upload(admin, "officers", text)
    assert preview.status_code == 200
    assert preview.context["preview"]["unchanged"] == Officer.objects.count()
    applied = admin.post("/council/import/apply/", {"digest": preview.context["digest"]})
    assert applied.status_code == 302
    assert dict(Officer.objects.values_list("employee_number", "version")) == versions
    assert Officer.objects.get(employee_number="W1").full_name == "=cmd|calc"


def test_an_import_with_one_bad_line_writes_nothing_and_names_the_line(council):
    admin = signed_in("administrator", council)
    text = "employee_number,full_name,line_manager\nN1,New One,\nN2,New Two,NOBODY\n"
    response = upload(admin, "officers", text)
    assert response.status_code == 400
    assert any("Line 3" in problem for problem in response.context["problems"])
    assert not Officer.objects.filter(employee_number__in=["N1", "N2"]).exists()


def test_the_preview_writes_nothing_and_apply_writes_what_was_previewed(council):
    admin = signed_in("administrator", council)
    text = "employee_number,full_name\nN1,New One\n"
    preview = upload(admin, "officers", text)
    assert preview.context["preview"]["created"] == 1
    assert not Officer.objects.filter(employee_number="N1").exists()
    admin.post("/council/import/apply/", {"digest": preview.context["digest"]})
    assert Officer.objects.get(employee_number="N1").full_name == "New One"


def test_members_round_trip_and_a_new_row_is_added(council):
    ward = factories.WardFactory(council=council, name="Abbey")
    services.create_member(council=council, by="test", full_name="Cllr One", ward=ward)
    admin = signed_in("administrator", council)
    _response, text = download(admin, "members")
    text += ",Cllr Two,,councillor,Abbey,,,,\n"
    preview = upload(admin, "members", text)
    assert preview.context["preview"] == {"created": 1, "updated": 0, "unchanged": 1, "leavers": []}
    admin.post("/council/import/apply/", {"digest": preview.context["digest"]})
    assert set(Member.objects.filter(council=council).values_list("full_name", flat=True)) >= {
        "Cllr One",
        "Cllr Two",
    }


def test_a_file_with_unknown_columns_is_refused_with_a_clear_message(council):
    response = upload(signed_in("administrator", council), "officers", "employee_number,salary\n")
    assert response.status_code == 400
    assert "salary" in " ".join(response.context["problems"])


def test_hr_may_export_and_import_officers_but_not_members(council):
    hr = signed_in("hr", council)
    assert download(hr, "officers")[0].status_code == 200
    assert download(hr, "members")[0].status_code == 404
    assert upload(hr, "members", "full_name\nX\n").status_code == 200  # re-shown: no such choice
    assert not Member.objects.filter(full_name="X").exists()


@pytest.mark.parametrize("role", ["officer", "member", "monitoring_officer"])
def test_others_may_not_export_people_or_import(council, role):
    client = signed_in(role, council)
    assert download(client, "officers")[0].status_code == 404
    assert client.get("/council/import/").status_code == 404


def test_the_enquiries_export_is_for_those_who_see_every_enquiry(council, other_council):
    factories.enquiry(council, constituent={"name": "Pat Resident", "email": "pat@example.org"})
    factories.enquiry(other_council, constituent={"name": "Other Person"})
    response, text = download(signed_in("casework", council), "enquiries")
    assert response.status_code == 200
    assert "Pat Resident" in text and "Other Person" not in text
    assert text.splitlines()[0].split(",") == list(csv_exchange.ENQUIRY_COLUMNS)
    assert download(signed_in("officer", council), "enquiries")[0].status_code == 404
    assert download(signed_in("administrator", council), "enquiries")[0].status_code == 404


def test_an_export_costs_the_same_queries_at_any_length(council, django_assert_num_queries):
    admin = signed_in("administrator", council)
    download(admin, "officers")
    for _ in range(30):
        factories.OfficerFactory(council=council)
    # The session with the account and its officer record (the role check), the rows.
    with django_assert_num_queries(2):
        download(admin, "officers")
