"""What several apps' migrations share: SQL that only PostgreSQL runs (its indexes with
`INCLUDE`, trigram indexes), a no-op on SQLite, where development needs none of it."""

from django.db import migrations


def postgres_only(up: str, down: str) -> migrations.RunPython:
    """An operation running `up` (and `down` when undone) on PostgreSQL alone."""

    def install(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(up)

    def remove(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(down)

    return migrations.RunPython(install, remove, elidable=False)
