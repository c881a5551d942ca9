from django.apps import AppConfig


class CliConfig(AppConfig):
    """The ``tierplan`` management command: every engine from the command line, for CI pipelines.

    An app of its own because the command reaches all the engines (designs, rendering, exporting,
    costing, review); living in any one of them would make that app import all the others.
    """

    name = "apps.cli"
    label = "cli"
