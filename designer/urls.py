from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

import apps.core.converters  # noqa: F401  (registers the "id" path converter)
from apps.accounts import api as accounts_api
from apps.accounts import views as accounts_views
from apps.core import health
from apps.core.throttling import throttled
from apps.designs import api as designs_api
from apps.projects import views as projects_views
from apps.review import views as review_views
from apps.studio import views as studio_views

urlpatterns = [
    path("", studio_views.home, name="home"),
    path("projects/new/", studio_views.project_new, name="studio-project-new"),
    path("patterns/<slug:slug>/diagram.svg", studio_views.pattern_diagram, name="studio-pattern-diagram"),
    path("projects/<id:project_id>/", studio_views.project_page, name="studio-project"),
    path("projects/<id:project_id>/edit/", studio_views.project_editor, name="studio-editor"),
    path("projects/<id:project_id>/jobs/", studio_views.project_job, name="studio-project-job"),
    path("projects/<id:project_id>/share/", studio_views.project_share, name="studio-project-share"),
    path(
        "projects/<id:project_id>/comments/<id:comment_id>/resolve/",
        studio_views.project_comment_resolve,
        name="studio-comment-resolve",
    ),
    # The login forms share the token API's counter per client, and sign-up the sign-up API's: the
    # browser twin of an endpoint is no way around its throttle. Only posts count.
    path("admin/login/", throttled("token", methods=["POST"])(admin.site.login)),
    path("admin/", admin.site.urls),
    path("accounts/signup/", throttled("signup", methods=["POST"])(accounts_views.sign_up), name="signup"),
    path("accounts/login/", throttled("token", methods=["POST"])(auth_views.LoginView.as_view()), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/auth/token/", accounts_api.TokenApi.as_view(), name="api-token"),
    path("api/auth/signup/", accounts_api.SignUpApi.as_view(), name="api-signup"),
    path("api/me/", accounts_api.MeApi.as_view(), name="api-me"),
    path("api/catalog/", designs_api.CatalogApi.as_view(), name="api-catalog"),
    path(
        "api/catalog/cloudformation-types/",
        designs_api.CloudFormationTypeListApi.as_view(),
        name="api-catalog-cloudformation-types",
    ),
    path("api/patterns/", designs_api.PatternListApi.as_view(), name="api-patterns"),
    path("api/patterns/<str:slug>/", designs_api.PatternDetailApi.as_view(), name="api-pattern"),
    path("api/design-schema/", designs_api.DesignSchemaApi.as_view(), name="api-design-schema"),
    path("api/", include("apps.projects.urls")),
    path("api/", include("apps.jobs.urls")),
    path("api/", include("apps.review.urls")),
    # Tokens are 256-bit, but guessing costs the same here as at the accept API.
    path("invitations/<str:token>/", throttled("invitations")(projects_views.invitation_page), name="invitation-page"),
    path("review/<str:token>/", review_views.review_page, name="review-page"),
    path("review/<str:token>/comments/", review_views.review_comment, name="review-comment"),
    path("review/<str:token>/download/<str:fmt>/", review_views.review_download, name="review-download"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file, so the page works under our CSP.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]

handler404 = "apps.core.views.not_found"
handler500 = "apps.core.views.server_error"
