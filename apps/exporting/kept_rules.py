"""Which kept properties of an imported resource an export writes back as the template had them.

One rule for both writers: the SAM export merges the kept properties into the resource it writes
(``kept.merge_properties``), the CDK export overrides them on the construct's CloudFormation resource
(``cdk_kept``). Pure Python, no Django.
"""

from __future__ import annotations

from collections.abc import Collection

from apps.exporting.kept import USER_ARTEFACTS, WIRING


def replaces_export(name: str, modelled: Collection[str]) -> bool:
    """Whether the kept property ``name`` is written as the template had it, whatever the export writes.

    The user's own artefacts (code, handler, definition, role) always are, since an import exists to keep
    them; so is every property the component's props do not stand for (``modelled``: those are written
    from the props, so an edit on the canvas takes effect) and that connections do not produce (wiring,
    which the writers merge with the kept one instead of replacing it).
    """
    return name in USER_ARTEFACTS or (name not in modelled and name not in WIRING)
