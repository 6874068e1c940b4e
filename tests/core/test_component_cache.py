"""{% govuk %} and {% govuk_breadcrumbs %} keep what they rendered for plain-string options:
the cache must never hand text that was escaped to a page that asked for markup, or the
other way round."""

from django.template import Context, Template
from django.utils.safestring import mark_safe

from core.templatetags.councilcase import govuk, govuk_breadcrumbs


def test_text_and_safe_markup_with_the_same_characters_are_rendered_apart():
    text = govuk("inset-text", html="<b>Bold</b>")
    markup = govuk("inset-text", html=mark_safe("<b>Bold</b>"))
    assert "&lt;b&gt;Bold&lt;/b&gt;" in text and "<b>" not in text
    assert "<b>Bold</b>" in markup
    assert govuk("inset-text", html="<b>Bold</b>") == text


def test_a_repeated_component_is_rendered_once():
    first = govuk("tag", text="Beta")
    assert govuk("tag", text="Beta") is first
    assert govuk("tag", text="Alpha") != first


def test_options_that_are_not_plain_values_are_rendered_each_time():
    items = [{"text": "A", "href": "/a"}]
    assert "/a" in govuk("breadcrumbs", items=items)
    items[0]["href"] = "/b"
    assert "/b" in govuk("breadcrumbs", items=items)


def test_breadcrumbs_escape_text_whether_or_not_cached():
    rendered = Template(
        '{% load councilcase %}{% govuk_breadcrumbs "Home" "/" name "/x" %}'
    ).render(Context({"name": "<script>x</script>"}))
    assert "&lt;script&gt;" in rendered and "<script>" not in rendered
    assert govuk_breadcrumbs("Home", "/", "<i>", "/x") == govuk_breadcrumbs(
        "Home", "/", "<i>", "/x"
    )


def test_the_navigation_carries_each_requests_own_csrf_token(client, db):
    from tests import factories

    client.force_login(factories.person("casework", factories.CouncilFactory()))
    tokens = set()
    for _ in range(2):
        page = client.get("/accessibility/").content.decode()
        start = page.index('name="csrfmiddlewaretoken" value="') + len(
            'name="csrfmiddlewaretoken" value="'
        )
        tokens.add(page[start : page.index('"', start)])
        assert "councilcase-csrf-token-placeholder" not in page
        assert "Sign out" in page and "<li" in page  # markup, not escaped text
    assert len(tokens) == 2 and all(len(token) == 64 for token in tokens)
