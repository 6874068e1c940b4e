from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate, pre_migrate


class CoreConfig(AppConfig):
    """Framework pieces every app shares. Installs the audit triggers after each migrate."""

    name = "core"
    verbose_name = "Core"

    def ready(self):
        from .audit.actor import reapply_after_reconnect
        from .audit.triggers import install_triggers, use_generic_functions

        # Sent once per app around every migrate (post_migrate after flush too): listen for
        # core's only, as the triggers of all registered models are handled at once.
        pre_migrate.connect(
            use_generic_functions, sender=self, dispatch_uid="core.audit.generic_functions"
        )
        post_migrate.connect(install_triggers, sender=self, dispatch_uid="core.audit.triggers")
        connection_created.connect(reapply_after_reconnect, dispatch_uid="core.audit.actor")
