"""Audit entries written without a lock and chained later by the sequencer (ADR 11): the
waiting entries' table, and each chained row's entry seal. Adding a column makes SQLite
rebuild the audit table, which drops its append-only triggers, so they are dropped first and
installed again afterwards, as in 0003 (PostgreSQL keeps its trigger).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

SQLITE_GUARDS = [
    """CREATE TRIGGER foundation_auditevent_no_update BEFORE UPDATE ON foundation_auditevent
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;""",
    """CREATE TRIGGER foundation_auditevent_no_delete BEFORE DELETE ON foundation_auditevent
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;""",
]


def drop_sqlite_guards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS foundation_auditevent_no_update;")
        schema_editor.execute("DROP TRIGGER IF EXISTS foundation_auditevent_no_delete;")


def install_sqlite_guards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_GUARDS:
            schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ('foundation', '0005_merge_grants_and_account_changes'),
    ]

    operations = [
        migrations.RunPython(drop_sqlite_guards, install_sqlite_guards),
        migrations.AddField(
            model_name='auditevent',
            name='entry_mac',
            field=models.CharField(blank=True, default='', max_length=64),
        ),
        migrations.RunPython(install_sqlite_guards, drop_sqlite_guards),
        migrations.CreateModel(
            name='AuditEntry',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('at', models.DateTimeField()),
                ('actor_label', models.CharField(max_length=200)),
                ('action', models.CharField(max_length=40)),
                ('object_type', models.CharField(blank=True, max_length=60)),
                ('object_id', models.CharField(blank=True, max_length=60)),
                ('summary', models.CharField(blank=True, max_length=300)),
                ('changes', models.JSONField(blank=True, default=dict)),
                ('reason', models.TextField(blank=True)),
                ('ip_address', models.CharField(blank=True, max_length=45)),
                ('path', models.CharField(blank=True, max_length=300)),
                ('key_id', models.CharField(max_length=40)),
                ('mac', models.CharField(max_length=64)),
                ('actor', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('child', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='foundation.child')),
            ],
            options={
                'verbose_name_plural': 'audit entries',
                'ordering': ['id'],
            },
        ),
    ]
