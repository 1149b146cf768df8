import pytest

from lantern import testing


@pytest.fixture
def partnership(db) -> testing.Partnership:
    return testing.build_partnership()


@pytest.fixture
def p(partnership) -> testing.Partnership:
    """Short name for the named people (see lantern/testing.py)."""
    return partnership


@pytest.fixture
def child(p):
    """Jade, 14, in Northbridge: alice's school added her record and recorded a concern."""
    jade = testing.make_child(p.alice)
    testing.make_concern(jade, p.alice)
    return jade


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    """Uploaded files (missing-person photos) go to a temporary folder, never var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    # Audit checkpoints (`lantern work`, `lantern audit checkpoint`) go there too.
    settings.AUDIT_CHECKPOINT_LOG = str(tmp_path / "audit-checkpoints.log")


@pytest.fixture
def as_user(client):
    """Sign a test client in as one of the named people: `as_user(p.alice).get(url)`."""

    def sign_in(user):
        return testing.sign_in_client(client, user)

    return sign_in
