"""Every user gets a personal team, however the user was created (sign-up, admin, createsuperuser)."""

from typing import Any

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="projects.personal_team")
def create_personal_team(sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if created and not raw:
        from apps.projects.services import team_create_personal

        team_create_personal(user=instance)
