"""``manage.py import_protocol`` (API.md, Protocols): the same import as the API, with a
progress bar, and a CommandError naming the problem with nothing written."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from protocols.models import Clause, Protocol, ProtocolVersion

from .conftest import GAPPED_DOCUMENT, SMALL_DOCUMENT, START_MARKER


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_protocol", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def document(tmp_path):
    path = tmp_path / "protocol.txt"
    path.write_text(SMALL_DOCUMENT)
    return path


def test_imports_a_new_protocol_as_a_draft(council, document):
    out, _err = run(
        "--council", "city", "--title", "Member/Officer protocol", "--label", "2026", str(document)
    )
    version = ProtocolVersion.objects.get()
    assert version.protocol.title == "Member/Officer protocol"
    assert (version.label, version.status, version.source_name) == ("2026", "draft", "protocol.txt")
    assert version.clauses.count() == 7
    assert "Imported 7 clauses" in out


def test_shows_a_progress_bar(council, document):
    _out, err = run("--council", "city", "--title", "Protocol", str(document))
    assert "Reading protocol.txt" in err and "100%" in err


def test_a_second_import_adds_a_version_to_the_protocol_of_that_title(council, document):
    run("--council", "city", "--title", "Protocol", str(document))
    run("--council", "city", "--title", "PROTOCOL", str(document))
    assert Protocol.objects.count() == 1
    assert list(ProtocolVersion.objects.values_list("label", flat=True)) == [
        "Version 1",
        "Version 2",
    ]


def test_reports_anomalies(council, tmp_path):
    path = tmp_path / "gapped.txt"
    path.write_text(GAPPED_DOCUMENT)
    out, _err = run(
        "--council", "city", "--title", "Protocol", "--start-marker", START_MARKER, str(path)
    )
    assert "Check line 15 (gap): Clause 2.3 follows 2.1: 2.2 is missing." in out


def test_unknown_council_is_an_error(council, document):
    with pytest.raises(CommandError, match="no council with the slug 'nowhere'"):
        run("--council", "nowhere", "--title", "Protocol", str(document))


def test_missing_file_is_an_error(council, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run("--council", "city", "--title", "Protocol", str(tmp_path / "absent.txt"))


def test_document_without_clauses_is_an_error_and_writes_nothing(council, tmp_path):
    path = tmp_path / "minutes.txt"
    path.write_text("Minutes of the meeting.\nNothing numbered here.\n")
    with pytest.raises(CommandError, match=r"minutes\.txt cannot be imported"):
        run("--council", "city", "--title", "Protocol", str(path))
    assert not Protocol.objects.exists() and not Clause.objects.exists()


def test_start_marker_not_found_is_an_error(council, document):
    with pytest.raises(CommandError, match="cannot be imported"):
        run("--council", "city", "--title", "P", "--start-marker", "NO SUCH LINE", str(document))
    assert not Protocol.objects.exists()


def test_a_label_already_used_is_an_error_and_writes_nothing(council, document):
    run("--council", "city", "--title", "Protocol", "--label", "2026", str(document))
    with pytest.raises(CommandError, match="label: This protocol already has a version"):
        run("--council", "city", "--title", "Protocol", "--label", "2026", str(document))
    assert ProtocolVersion.objects.count() == 1
