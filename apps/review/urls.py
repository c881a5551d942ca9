from django.urls import path

import apps.core.converters  # noqa: F401  (registers the "id" converter)
from apps.review import api

urlpatterns = [
    path("projects/<id:project_id>/findings/", api.FindingsApi.as_view(), name="api-findings"),
    path("projects/<id:project_id>/share-links/", api.ShareLinksApi.as_view(), name="api-share-links"),
    path("projects/<id:project_id>/share-links/<id:link_id>/", api.ShareLinkDetailApi.as_view(), name="api-share-link"),
    path("projects/<id:project_id>/comments/", api.ProjectCommentsApi.as_view(), name="api-comments"),
    path("projects/<id:project_id>/comments/<id:comment_id>/", api.CommentDetailApi.as_view(), name="api-comment"),
    path(
        "projects/<id:project_id>/comments/<id:comment_id>/replies/",
        api.CommentRepliesApi.as_view(),
        name="api-comment-replies",
    ),
    path("review-rules/", api.RulesApi.as_view(), name="api-review-rules"),
    path("review/<str:token>/", api.ReviewApi.as_view(), name="api-review"),
    path("review/<str:token>/comments/", api.ReviewCommentsApi.as_view(), name="api-review-comments"),
]
