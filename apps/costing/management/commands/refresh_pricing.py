"""``python manage.py refresh_pricing OFFER_FILE``: re-read snapshot prices from an AWS Price List offer file.

Thin on purpose: reading files and printing the report is all it adds to ``apps.costing.offers``.
Offer files come from https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/<offerCode>/current/
<region>/index.json; download one and pass its path (the command itself never touches the network).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.costing.offers import OfferError, dump_snapshot, leading_comments, refresh_snapshot
from apps.costing.pricing import DEFAULT_SNAPSHOT, SnapshotError, parse_snapshot, read_snapshot_data


class Command(BaseCommand):
    help = "Refresh the pricing snapshot from an AWS Price List offer file (bulk JSON)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("offer_file", help="path of an offer file (index.json of one service and region)")
        parser.add_argument("--snapshot", default=str(DEFAULT_SNAPSHOT), help="snapshot YAML file to rewrite")
        parser.add_argument("--dry-run", action="store_true", help="report the changes without writing")

    def handle(self, *args: Any, **options: Any) -> None:
        snapshot_path = Path(options["snapshot"])
        try:
            offer = json.loads(Path(options["offer_file"]).read_text(encoding="utf-8"))
            data = read_snapshot_data(snapshot_path)
            refreshed, report = refresh_snapshot(data, offer)
            parse_snapshot(refreshed)  # never write a snapshot the estimator cannot read
        except (OSError, json.JSONDecodeError, OfferError, SnapshotError) as exc:
            raise CommandError(str(exc)) from exc
        for line in report:
            self.stdout.write(line)
        if options["dry_run"]:
            self.stdout.write("dry run: snapshot not written")
            return
        header = leading_comments(snapshot_path.read_text(encoding="utf-8"))
        snapshot_path.write_text(dump_snapshot(refreshed, header=header), encoding="utf-8")
        self.stdout.write(f"wrote {snapshot_path}")
