"""The ASGI application: Django for HTTP, the live sessions' WebSockets under /ws/.

WebSockets are checked in two layers before a consumer sees them: the Origin header must name one of
ALLOWED_HOSTS (a page on another site cannot open a socket with the visitor's cookies: cross-site
WebSocket hijacking), and the session cookie is turned into ``scope["user"]`` (the consumer refuses
anonymous users and non-members itself, with a close code that says why).
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "designer.settings")
# Django is set up here, before anything imports models (the consumers do).
django_application = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from apps.live.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_application,
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
