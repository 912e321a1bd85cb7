"""The login backend: Django's own, except that the signed-in user is read with their organisation in one query
(every page asks where the user stands: `restrict`, the navigation; issue 19)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class UserBackend(ModelBackend):
    def get_user(self, user_id):
        user = get_user_model()._default_manager.select_related("organisation").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
