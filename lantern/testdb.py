"""Test databases made by copying one migrated database, not by migrating each one.

pytest-django gives every pytest-xdist worker its own test database, and `make test` starts
two workers for the unit tests and two more for the browser tests, on SQLite and again on
PostgreSQL: eight databases, each taking the 107 migrations (about 12 seconds of CPU each).
Here the first worker to need a database migrates its own as always, then keeps a copy of it
(the template); every other worker, and every later run while the migrations stay the same,
starts from a copy of that template instead. The copy is the migrated database itself, so
everything the migrations make is there as they made it: the audit trail's triggers, pg_trgm and
the trigram indexes, partial indexes, the rows data migrations write.

The template is named by a hash of every migration file of every installed app (and Django's
version): change a migration and the next run migrates afresh and keeps a new template.
- SQLite (the test database in memory): var/test-databases/sqlite-<hash>.sqlite3, loaded into
  each worker's in-memory database with SQLite's backup API.
- PostgreSQL: a database test_<NAME>_template_<hash>, and each worker's database is made with
  `CREATE DATABASE ... TEMPLATE` it. Older templates of the same NAME are dropped.
A lock file in var/test-databases/ lets one worker migrate while the others wait for it.

`pytest --create-db` migrates afresh and replaces the template; `--reuse-db` and
`--nomigrations` (and a SQLite test database in a file) leave pytest-django's own behaviour.
`python -m lantern.testdb` makes the template alone (`make test` does it while mypy runs).
"""

import fcntl
import hashlib
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import django
import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.base.creation import TEST_DATABASE_PREFIX


def migrations_key() -> str:
    """A hash of every installed app's migration files and Django's version."""
    digest = hashlib.sha256(django.get_version().encode())
    for app in sorted(apps.get_app_configs(), key=lambda a: a.label):
        folder = Path(app.path) / "migrations"
        for path in sorted(folder.glob("*.py")):
            digest.update(f"{app.label}/{path.name}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _folder() -> Path:
    folder = Path(settings.VAR_DIR) / "test-databases"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@contextmanager
def _locked(name: str) -> Iterator[None]:
    with open(_folder() / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


class _Template:
    """Where one kind of database keeps its template, and how it is kept and copied."""

    def __init__(self, connection: BaseDatabaseWrapper, key: str) -> None:
        self.connection = connection
        # Django's creation class for the backend (its private methods are not in the stubs).
        self.creation: Any = connection.creation
        self.key = key

    def exists(self) -> bool:
        raise NotImplementedError

    def keep(self, test_name: str) -> None:
        """Make the template from the freshly migrated test database `test_name`."""
        raise NotImplementedError

    def forget(self) -> None:
        raise NotImplementedError

    def create_test_db(self, verbosity: int) -> str:
        """Make the test database as a copy of the template; return its name."""
        raise NotImplementedError


class _SQLiteTemplate(_Template):
    @property
    def path(self) -> Path:
        return _folder() / f"sqlite-{self.key}.sqlite3"

    def exists(self) -> bool:
        return self.path.exists()

    def keep(self, test_name: str) -> None:
        partial = self.path.with_suffix(f".{os.getpid()}.partial")
        self.connection.ensure_connection()
        target = sqlite3.connect(partial)
        try:
            self.connection.connection.backup(target)
        finally:
            target.close()
        partial.replace(self.path)
        for old in _folder().glob("sqlite-*.sqlite3"):
            if old != self.path:
                old.unlink(missing_ok=True)

    def forget(self) -> None:
        self.path.unlink(missing_ok=True)

    def create_test_db(self, verbosity: int) -> str:
        name = self.creation._get_test_db_name()
        self.connection.close()
        settings.DATABASES[self.connection.alias]["NAME"] = name
        self.connection.settings_dict["NAME"] = name
        self.connection.ensure_connection()
        source = sqlite3.connect(self.path)
        try:
            source.backup(self.connection.connection)
        finally:
            source.close()
        return name


class _PostgreSQLTemplate(_Template):
    def __init__(self, connection: BaseDatabaseWrapper, key: str) -> None:
        super().__init__(connection, key)
        # Named after the database the settings name (the test database's name replaces it
        # in the settings once made).
        self.prefix = f"{TEST_DATABASE_PREFIX}{connection.settings_dict['NAME']}_template_"

    @property
    def name(self) -> str:
        return f"{self.prefix[:63 - len(self.key)]}{self.key}"

    def _execute(self, sql: str, params: list | None = None) -> list:
        with self.creation._nodb_cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    def exists(self) -> bool:
        return bool(self._execute("SELECT 1 FROM pg_database WHERE datname = %s", [self.name]))

    def keep(self, test_name: str) -> None:
        from django.db.backends.postgresql.psycopg_any import errors  # type: ignore[import-untyped]

        quote = self.connection.ops.quote_name
        self.connection.close()  # a database is copied only while nobody is connected to it
        try:
            self._execute(f"CREATE DATABASE {quote(self.name)} TEMPLATE {quote(test_name)}")
        except django.db.utils.ProgrammingError as error:  # another run made it meanwhile
            if not isinstance(error.__cause__, errors.DuplicateDatabase):
                raise
        older = self._execute("SELECT datname FROM pg_database WHERE datname LIKE %s",
                              [self.prefix.replace("_", r"\_") + "%"])
        for (old,) in older:
            if old != self.name:
                try:
                    self._execute(f"DROP DATABASE IF EXISTS {quote(old)}")
                except django.db.utils.Error:
                    pass  # in use by a run of older migrations: dropped by a later run

    def forget(self) -> None:
        self._execute(f"DROP DATABASE IF EXISTS {self.connection.ops.quote_name(self.name)}")

    def create_test_db(self, verbosity: int) -> str:
        name = self.creation._get_test_db_name()
        test_settings = self.connection.settings_dict["TEST"]
        before = test_settings.get("TEMPLATE")
        test_settings["TEMPLATE"] = self.name
        try:
            # Django's own creation, with `TEMPLATE` (it drops a database left by a run that
            # stopped half way).
            self.creation._create_test_db(verbosity, autoclobber=True, keepdb=False)
        finally:
            test_settings["TEMPLATE"] = before
        self.connection.close()
        settings.DATABASES[self.connection.alias]["NAME"] = name
        self.connection.settings_dict["NAME"] = name
        return name


def _template_for(connection: BaseDatabaseWrapper) -> _Template | None:
    if connection.vendor == "postgresql":
        return _PostgreSQLTemplate(connection, migrations_key())
    creation: Any = connection.creation
    if connection.vendor == "sqlite" and creation.is_in_memory_db(creation._get_test_db_name()):
        return _SQLiteTemplate(connection, migrations_key())
    return None


def copy_from_template(connection: BaseDatabaseWrapper, *, fresh: bool = False) -> None:
    """Make `connection.creation.create_test_db` copy the template (migrating, and keeping the
    template, only when there is none yet, or always with `fresh`)."""
    template = _template_for(connection)
    if template is None:
        return
    migrate_and_create: Callable[..., str] = connection.creation.create_test_db

    def create_test_db(verbosity: int = 1, autoclobber: bool = False, serialize: bool = True,
                       keepdb: bool = False) -> str:
        if keepdb or connection.settings_dict["TEST"].get("MIGRATE") is False:
            return migrate_and_create(verbosity, autoclobber, serialize, keepdb)
        with _locked(f"{connection.vendor}-{template.key}"):
            if fresh or not template.exists():
                if fresh:
                    template.forget()
                name = migrate_and_create(verbosity, autoclobber, serialize=False)
                template.keep(name)
                return _finish(connection, name, serialize)
        if verbosity >= 1:
            connection.creation.log(f"Copying the test database for alias '{connection.alias}' "
                                    "from the migrated template...")
        return _finish(connection, template.create_test_db(verbosity), serialize)

    connection.creation.create_test_db = create_test_db  # type: ignore[method-assign]


def _finish(connection: BaseDatabaseWrapper, name: str, serialize: bool) -> str:
    """What Django's create_test_db does after migrating."""
    if serialize:
        connection._test_serialized_contents = (  # type: ignore[attr-defined]
            connection.creation.serialize_db_to_string())
    call_command("createcachetable", database=connection.alias)
    connection.ensure_connection()
    return name


@pytest.fixture(scope="session")
def django_db_modify_db_settings(request: pytest.FixtureRequest,
                                 django_db_modify_db_settings_parallel_suffix: Any) -> None:
    """pytest-django's hook "just before the databases are configured" (each worker's suffix is
    already on the test database's name): the conftests take this fixture from here."""
    config = request.config
    if config.getvalue("nomigrations") or config.getvalue("reuse_db"):
        return
    for alias in connections:
        copy_from_template(connections[alias], fresh=bool(config.getvalue("create_db")))


def main() -> None:
    """Make the template for the test settings' database (DATABASE_URL) if there is none."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantern.settings_test")
    django.setup()
    connection = connections["default"]
    if connection.vendor == "postgresql":
        # Its own test database, dropped once the template is kept.
        test = connection.settings_dict["TEST"]
        test["NAME"] = f"{TEST_DATABASE_PREFIX}{connection.settings_dict['NAME']}_template"
    template = _template_for(connection)
    if template is None or template.exists():
        return
    original_name = connection.settings_dict["NAME"]
    copy_from_template(connection)
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    connection.creation.destroy_test_db(original_name, verbosity=0)


if __name__ == "__main__":
    main()
