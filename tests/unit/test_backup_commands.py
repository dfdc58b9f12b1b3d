"""``flask backup`` and ``flask restore`` on the app's own running store (the functions are
tested on SQLite and PostgreSQL in tests/data/test_backup.py)."""

from __future__ import annotations

from tests.data.test_backup import fingerprint


def test_the_commands_back_up_and_restore_the_running_store(cockpit, tmp_path):
    runner = cockpit.server.test_cli_runner()
    dump = tmp_path / "cockpit.backup"
    made = runner.invoke(args=["backup", str(dump)])
    assert made.exit_code == 0 and "已备份到" in made.output, made.output
    before = fingerprint(cockpit.server)
    refused = runner.invoke(args=["restore", str(dump)], input="n\n")
    assert refused.exit_code != 0
    restored = runner.invoke(args=["restore", "--yes", str(dump)])
    assert restored.exit_code == 0 and "已从" in restored.output, restored.output
    assert fingerprint(cockpit.server) == before
