from django.apps import AppConfig


class CostingConfig(AppConfig):
    name = "apps.costing"
    label = "costing"
