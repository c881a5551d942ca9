from django.urls import path

import apps.core.converters  # noqa: F401  (registers the "id" converter)
from apps.importing.api import ProjectImportApi
from apps.projects import api, invitations_api

urlpatterns = [
    path("teams/", api.TeamListApi.as_view(), name="api-teams"),
    path("teams/<id:team_id>/", api.TeamDetailApi.as_view(), name="api-team"),
    path("teams/<id:team_id>/members/", api.MemberListApi.as_view(), name="api-team-members"),
    path("teams/<id:team_id>/members/<id:user_id>/", api.MemberDetailApi.as_view(), name="api-team-member"),
    path("teams/<id:team_id>/invitations/", invitations_api.InvitationListApi.as_view(), name="api-team-invitations"),
    path(
        "teams/<id:team_id>/invitations/<id:invitation_id>/",
        invitations_api.InvitationDetailApi.as_view(),
        name="api-team-invitation",
    ),
    path(
        "invitations/<str:token>/accept/", invitations_api.InvitationAcceptApi.as_view(), name="api-invitation-accept"
    ),
    path("projects/", api.ProjectListApi.as_view(), name="api-projects"),
    # Before projects/<id>/: "import" is no id, but keep the literal path first all the same.
    path("projects/import/", ProjectImportApi.as_view(), name="api-projects-import"),
    path("projects/<id:project_id>/", api.ProjectDetailApi.as_view(), name="api-project"),
    path("projects/<id:project_id>/design/", api.DesignApi.as_view(), name="api-design"),
    path(
        "projects/<id:project_id>/design/apply-pattern/",
        api.ApplyPatternApi.as_view(),
        name="api-design-apply-pattern",
    ),
    path("projects/<id:project_id>/revisions/", api.RevisionListApi.as_view(), name="api-revisions"),
    path("projects/<id:project_id>/revisions/<id:number>/", api.RevisionDetailApi.as_view(), name="api-revision"),
    path(
        "projects/<id:project_id>/revisions/<id:number>/diff/",
        api.RevisionDiffApi.as_view(),
        name="api-revision-diff",
    ),
]
