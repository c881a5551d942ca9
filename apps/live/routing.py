"""WebSocket routes (served by designer.asgi)."""

from django.urls import path

import apps.core.converters  # noqa: F401  (registers the "id" path converter)
from apps.live.consumers import LiveConsumer

websocket_urlpatterns = [
    path("ws/projects/<id:project_id>/", LiveConsumer.as_asgi(), name="live-project"),
]
