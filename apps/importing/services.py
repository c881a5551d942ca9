"""Importing a template as a project: what the API and the studio share. The engine (engine.py) stays pure;
here the imported design gets its name and becomes revision 1 of a new project."""

from __future__ import annotations

import re
import unicodedata

from django.contrib.auth.models import User

from apps.importing.engine import ImportResult, import_template
from apps.projects import services as project_services
from apps.projects.models import Project, Team

DEFAULT_NAME = "Imported template"
NAME_MAX = 200
# What a revision message keeps of an uploaded file's name.
FILE_NAME_MAX = 120


def clean_text(value: str, *, limit: int) -> str:
    """One line of ``value`` without control characters, trimmed to ``limit`` characters."""
    line = "".join(" " if unicodedata.category(ch).startswith("C") else ch for ch in value)
    return re.sub(r"\s+", " ", line).strip()[:limit].strip()


def file_label(file_name: str) -> str:
    """The last part of an uploaded file's path (browsers send only that; other clients may not)."""
    return clean_text(re.split(r"[\\/]", file_name or "")[-1], limit=FILE_NAME_MAX)


def import_name(*, result: ImportResult, file_name: str) -> str:
    """A name for an imported design nobody named: the template's Description (its first line), else the
    file's name without its extension, else "Imported template"."""
    description = result.design.cloudformation.description if result.design.cloudformation else None
    if isinstance(description, str):
        first = next((line for line in description.splitlines() if line.strip()), "")
        if clean_text(first, limit=NAME_MAX):
            return clean_text(first, limit=NAME_MAX)
    stem = re.sub(r"\.(ya?ml|json|template|txt)$", "", file_label(file_name), flags=re.IGNORECASE)
    return clean_text(stem, limit=NAME_MAX) or DEFAULT_NAME


def template_import(*, raw: bytes | str, name: str = "", file_name: str = "") -> ImportResult:
    """Import a template (nothing is stored) and name its design: ``name`` when given, else see
    ``import_name``. Raises ``TemplateRefused`` for input that is not a template Tierplan reads."""
    name = clean_text(name, limit=NAME_MAX)
    result = import_template(raw, name=name or DEFAULT_NAME)
    if not name:
        result.design = result.design.model_copy(update={"name": import_name(result=result, file_name=file_name)})
    return result


def project_import(
    *, team: Team, user: User, raw: bytes | str, name: str = "", file_name: str = ""
) -> tuple[Project, ImportResult]:
    """A new project in ``team`` whose revision 1 is the imported design, with the import's report.

    The template is read before anything is written: a refused template (``TemplateRefused``) creates
    nothing.
    """
    result = template_import(raw=raw, name=name, file_name=file_name)
    source = file_label(file_name)
    project = project_services.project_create(
        team=team,
        user=user,
        name=result.design.name,
        description=result.design.description[:5000],
        design=result.design,
        message=f"Imported from template {source}" if source else "Imported from a pasted template",
    )
    return project, result
