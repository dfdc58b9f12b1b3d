import pytest

from data.store import EXTENSION, make_engine
from tests.auth_tools import same_origin_client, signed_in, signed_in_client


@pytest.fixture(scope="session")
def pages_loaded():
    """Pages can only be imported once the Dash app exists (``register_page``)."""
    import app

    return app


@pytest.fixture(scope="session")
def cockpit():
    import app as cockpit_app

    runner = cockpit_app.server.test_cli_runner()
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert "数据库已就绪" in result.output
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0 and "已写入演示数据" in result.output, result.output
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0 and "未改动" in again.output, again.output
    return cockpit_app


@pytest.fixture
def client(cockpit):
    """A test client signed in as the demo ``leader`` (see tests/auth_tools.py for others)."""
    return signed_in_client(cockpit.server, "leader")


@pytest.fixture
def anonymous_client(cockpit):
    """A test client nobody signed in to (it still sends this site's Origin)."""
    return same_origin_client(cockpit.server)


@pytest.fixture
def request_context(cockpit):
    """A request in which the demo ``leader`` is signed in: pages and callbacks called as
    functions see the leader's scope. For another user: ``with signed_in(cockpit.server,
    "xihu"):`` (tests/auth_tools.py)."""
    with signed_in(cockpit.server, "leader"):
        yield


@pytest.fixture
def database_down(cockpit):
    """Point the app's store at a port where no database listens."""
    extensions = cockpit.server.extensions
    working = extensions[EXTENSION]
    extensions[EXTENSION] = make_engine("postgresql+psycopg://127.0.0.1:1/none?connect_timeout=2")
    yield
    extensions[EXTENSION].dispose()
    extensions[EXTENSION] = working
