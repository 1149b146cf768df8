"""Signing in: Django's model backend, loading the signed-in user with their agency and its
area.

Nearly every page asks the user's agency (their area decides what they see, every write
records it), so loading it with the user on each request saves a query a page (issue 18);
lists and trays name the user's area too (one more query each, for a row joined by key).
"""

from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from .models import User


class ModelBackend(DjangoModelBackend):
    def get_user(self, user_id):
        try:
            user = User._default_manager.select_related("agency__area").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
