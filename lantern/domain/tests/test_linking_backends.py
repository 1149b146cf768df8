"""Batch linking runs the same model on DuckDB and, when pyspark is installed, on Spark
(`LINKING_BACKEND=spark`; issue 16 item 6)."""

import pytest

from lantern.domain import resolution, synthetic


def _pairs(records, truth, backend):
    frame = resolution.subject_frame(records)
    found = resolution.splink_predict(frame, backend=backend).as_pandas_dataframe()
    return {frozenset((a, b)) for a, b in zip(found["unique_id_l"], found["unique_id_r"],
                                             strict=True)}


def test_an_unknown_backend_is_refused():
    with pytest.raises(ValueError, match="unknown linking backend"):
        resolution.splink_api("oracle")


def test_the_generated_population_knows_who_each_record_really_is():
    records, truth = synthetic.population(1000, seed=3)
    assert len(records) == len(truth) == 1000
    assert len(set(truth)) == 800 and synthetic.pairs_of(truth) >= 200
    assert [r.key for r in records] == [str(i) for i in range(1000)]


def test_duckdb_finds_most_generated_duplicates():
    records, truth = synthetic.population(1500, seed=5)
    found = _pairs(records, truth, "duckdb")
    true_found = sum(truth[int(a)] == truth[int(b)] for a, b in map(tuple, found))
    assert true_found / synthetic.pairs_of(truth) > 0.6
    assert true_found / len(found) > 0.6


def test_spark_runs_the_same_model_and_agrees_with_duckdb():
    pytest.importorskip("pyspark", reason="pyspark is optional: pip install -e .[spark]")
    records, truth = synthetic.population(600, seed=5)
    on_duckdb = _pairs(records, truth, "duckdb")
    on_spark = _pairs(records, truth, "spark")
    assert on_spark, "Spark found no pairs"
    # Training samples differ between engines, so the answers may differ at the margin.
    agreed = len(on_spark & on_duckdb) / len(on_spark | on_duckdb)
    assert agreed > 0.8


def test_date_patterns_are_written_in_sparks_language_for_spark():
    assert resolution.date_pattern("%Y-%m-%d", "spark") == "yyyy-MM-dd"
    assert resolution.date_pattern("%Y%m%d", "spark") == "yyyyMMdd"
    assert resolution.date_pattern("%Y-%m-%d", "duckdb") == "%Y-%m-%d"
