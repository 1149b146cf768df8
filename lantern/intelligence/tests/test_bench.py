"""`lantern bench` prints figures; nothing here asserts a time."""

import json

from django.core.management import call_command


def test_bench_triggers_prints_the_figures_as_json(capsys):
    call_command("bench", "triggers", "--entities", "600", "--reports", "3")
    result = json.loads(capsys.readouterr().out)
    assert result["mode"] == "memory" and result["entities"] == 600 and result["reports"] == 3
    assert {"ms_per_report_median", "ms_per_report_max", "links"} <= set(result)


def test_bench_triggers_through_the_database_leaves_nothing_behind(db, capsys):
    from lantern.intelligence.models import Entity

    call_command("bench", "triggers", "--entities", "60", "--reports", "2", "--database")
    result = json.loads(capsys.readouterr().out)
    assert result["mode"] == "database" and result["reports"] == 2
    assert not Entity.objects.exists()
