"""`python manage.py requeue_stale_jobs`: the sweeper by hand (the beat scheduler runs it periodically)."""

from typing import Any

from django.core.management.base import BaseCommand

from apps.jobs.services import jobs_requeue_stale


class Command(BaseCommand):
    help = "Send again the jobs whose message was lost or whose worker died."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"requeued {jobs_requeue_stale()} job(s)")
