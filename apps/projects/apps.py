from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "apps.projects"
    label = "projects"

    def ready(self) -> None:
        from apps.projects import signals  # noqa: F401  (connects the personal-team hook)
