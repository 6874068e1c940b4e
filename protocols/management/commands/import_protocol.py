"""``python manage.py import_protocol --council SLUG --title T FILE [--start-marker LINE]
[--label L]``: import a protocol document as a new draft version (API.md, Protocols).

The same services as the API and the import page: the document is read first (with a
progress bar on stderr), then the protocol titled T (created if the council has none) gets
its new draft version in one transaction. A document that cannot be imported is a
``CommandError`` naming the problem, and nothing is written.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from council.models import Council
from protocols import services

ACTOR = "command:import_protocol"


def _messages(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return " ".join(
            f"{'' if field in ('text', 'file', '__all__') else field + ': '}{message}"
            for field, messages in error.message_dict.items()
            for message in messages
        )
    return " ".join(error.messages)


class Command(BaseCommand):
    help = "Import a protocol document (text, Markdown or .docx) as a new draft version."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The document: .txt, .md or .docx.")
        parser.add_argument("--council", required=True, help="The council's slug.")
        parser.add_argument("--title", required=True, help="The protocol's title (created if new).")
        parser.add_argument(
            "--start-marker",
            help="A line at which the protocol begins; everything before it is skipped.",
        )
        parser.add_argument("--label", help='The version\'s label (default "Version N").')
        parser.add_argument(
            "--no-progress", action="store_true", help="Do not show the progress bar."
        )

    def handle(self, *args, file, council, title, start_marker=None, label=None, **options):
        found = Council.objects.filter(slug=council).first()
        if found is None:
            raise CommandError(f"There is no council with the slug {council!r}.")
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror or error}.") from error
        bar = tqdm(
            total=0,
            unit=" lines",
            desc=f"Reading {path.name}",
            file=self.stderr._out,
            disable=options.get("no_progress", False),
        )

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.n = done
            bar.refresh()

        try:
            _text, parsed = services.read_document(
                data=data, filename=path.name, start_marker=start_marker, progress=progress
            )
            bar.n = bar.total or bar.n
            bar.refresh()
        except ValidationError as error:
            raise CommandError(f"{path.name} cannot be imported: {_messages(error)}") from error
        finally:
            bar.close()
        try:
            version = services.import_protocol(
                council=found,
                title=title,
                by=ACTOR,
                parsed=parsed,
                label=label,
                source_name=path.name,
                start_marker=start_marker,
                field="file",
            )
        except ValidationError as error:
            raise CommandError(f"{path.name} cannot be imported: {_messages(error)}") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {len(parsed.clauses)} clauses into {version.protocol.title}: "
                f"{version.label} (a draft, version id {version.pk})."
            )
        )
        for anomaly in parsed.anomalies:
            self.stdout.write(f"  Check line {anomaly.line} ({anomaly.kind}): {anomaly.message}")
