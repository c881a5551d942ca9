from django.apps import AppConfig


class DesignsConfig(AppConfig):
    name = "apps.designs"
    label = "designs"

    def ready(self) -> None:
        from apps.designs import checks  # noqa: F401  (registers the catalog and pattern checks)
