"""The Celery application. Settings come from Django settings under the CELERY_ namespace."""

import os

from celery import Celery
from celery.signals import before_task_publish, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "designer.settings")

app = Celery("tierplan")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


# The request id travels with every task message and is restored in the worker, so a job's log lines
# carry the id of the request that queued it.
@before_task_publish.connect
def _add_request_id(headers: dict | None = None, **_: object) -> None:
    from apps.core.logging import request_id

    if headers is not None and "request_id" not in headers:
        headers["request_id"] = request_id.get()


@task_prerun.connect
def _restore_request_id(task: object = None, **_: object) -> None:
    from apps.core.logging import request_id, valid_request_id

    value = getattr(getattr(task, "request", None), "request_id", None)
    request_id.set(valid_request_id(value) or "-")
