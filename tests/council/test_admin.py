import pytest

from council.models import Council, User


@pytest.fixture
def operator(db):
    return User.objects.create_superuser(email="operator@example.org", password="x" * 16)


@pytest.mark.parametrize(
    "path",
    [
        "/admin/council/user/",
        "/admin/council/user/add/",
        "/admin/council/council/",
        "/admin/council/officer/",
        "/admin/council/member/",
    ],
)
def test_admin_pages_open_for_service_operators(client, operator, path):
    Council.objects.create(slug="a", name="A")
    client.force_login(operator)
    assert client.get(path, secure=True).status_code == 200


def test_admin_cannot_change_council_records(client, operator):
    council = Council.objects.create(slug="a", name="A")
    client.force_login(operator)
    response = client.post(
        f"/admin/council/council/{council.pk}/change/", {"name": "B"}, secure=True
    )
    assert response.status_code == 403
    council.refresh_from_db()
    assert council.name == "A"


def test_operator_adds_a_sign_in_account_by_email(client, operator):
    client.force_login(operator)
    response = client.post(
        "/admin/council/user/add/",
        {
            "email": "new.person@example.org",
            "password1": "a-Long-passw0rd!",
            "password2": "a-Long-passw0rd!",
        },
        secure=True,
    )
    assert response.status_code == 302
    assert User.objects.filter(email="new.person@example.org").exists()
