"""The Content Security Policy (django-csp, config/settings.py): strict on every page, with a
per-request nonce for base.html's one inline script and an exception for Swagger UI only."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in header.split(";"))}


def inline_script_nonce(response) -> str:
    return re.search(r'<script nonce="([^"]+)">', response.content.decode()).group(1)


def test_a_page_has_the_strict_policy(client):
    policy = directives(client.get(reverse("login")))
    assert policy["default-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["font-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]


def test_script_src_allows_own_scripts_and_the_nonce_but_no_inline_script(client):
    script_src = directives(client.get(reverse("login")))["script-src"]
    assert script_src[0] == "'self'"
    assert len(script_src) == 2 and script_src[1].startswith("'nonce-")
    assert "'unsafe-inline'" not in script_src


def test_an_error_page_has_the_policy(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"]


def test_the_nonce_in_the_header_is_the_one_on_the_pages_inline_script(client):
    response = client.get(reverse("login"))
    nonce = inline_script_nonce(response)
    assert f"'nonce-{nonce}'" in directives(response)["script-src"]


def test_each_response_has_a_new_nonce(client):
    first = inline_script_nonce(client.get(reverse("login")))
    second = inline_script_nonce(client.get(reverse("login")))
    assert first != second


def test_swagger_ui_gets_inline_styles_but_still_no_inline_script(client):
    response = client.get(reverse("api-docs"))
    assert response.status_code == 200
    policy = directives(response)
    assert "'unsafe-inline'" in policy["style-src"]
    assert "'unsafe-inline'" not in policy["script-src"]
    # The split view loads its start-up script from a URL instead of writing it inline.
    scripts = re.findall(r"<script([^>]*)>", response.content.decode())
    assert scripts and all("src=" in attributes for attributes in scripts)


@pytest.mark.parametrize(
    "pattern",
    [
        r"\sstyle=",  # inline style attribute
        r"<style",  # inline style block
        r"\son[a-z]+=",  # inline event handler
        r"<script(?![^>]*\b(?:src|nonce)=)",  # inline script without the nonce
    ],
)
def test_no_template_has_inline_code_the_policy_would_block(pattern):
    offenders = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if re.search(pattern, path.read_text())
    ]
    assert offenders == []
