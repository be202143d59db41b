from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self) -> None:
        from accounts import throttle  # noqa: F401  (registers its deploy check)
        from accounts.roles import ensure_roles

        # After migrate, so the permissions the group needs exist.
        post_migrate.connect(lambda **kwargs: ensure_roles(), dispatch_uid="accounts.ensure_roles")
