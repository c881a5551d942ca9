"""Comment throttling for review links: one address cannot flood a link, nor lock it for others.

Two guards, both per client address (the identity DRF's throttles use, which trusts only NUM_PROXIES
proxies): a rate (scope ``review-comment``, shared by the review page's form and the JSON API) and a
cap on the comments one address may leave through one link (services.MAX_COMMENTS_PER_CLIENT), far
below the link's own cap. So a spammer is slowed at once and stopped for good long before the link
fills, and a reviewer at another address can still comment.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from django.conf import settings

from apps.core.throttling import FormThrottle

COMMENT_SCOPE = "review-comment"


class ReviewCommentThrottle(FormThrottle):
    """Comments posted through review links, counted per client address."""

    def __init__(self) -> None:
        super().__init__(COMMENT_SCOPE)


def client_key(request: Any) -> str:
    """A keyed hash of the client's address: enough to count its comments, useless to learn the address."""
    ident = ReviewCommentThrottle().get_ident(request)
    return hmac.new(settings.SECRET_KEY.encode("utf-8"), f"review-client:{ident}".encode(), hashlib.sha256).hexdigest()
