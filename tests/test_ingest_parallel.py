"""Parallel ingest: models load once per long-lived worker, long texts are tagged whole."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from pipeline.entities import nlp
from pipeline.extract import ExtractOptions
from pipeline.ingest import ingest
from pipeline.ingest.sandbox import Sandbox
from pipeline.ingest.worker import extract_task

SAMPLE = Path(__file__).resolve().parent.parent / "corpora"
RU = ["ru_postanovlenie_koap_20-2_koi8r.txt", "ru_prigovor_286_zarechny_cp1251.txt",
      "ru_apelljacionnoe_opredelenie_sudrf_22-1456-2021.html"]
EN = ["uk_ewhc_admin_dubravin_v_russian_federation_utf8_bom.txt",
      "echr_en_chamber_zarechnev_v_russia_41234-15.docx"]


def extract_and_count(task):
    """Runs in a sandbox worker: the file's result, with how often this process loaded a model."""
    result = extract_task(task)
    return (os.getpid(), nlp.load.cache_info().misses, nlp._slovnet_tagger.cache_info().misses,
            result.status)


def test_a_worker_loads_each_model_once_however_many_files_it_parses() -> None:
    tasks = [(str(SAMPLE / name), ExtractOptions()) for name in RU + EN + RU]
    with Sandbox(extract_and_count, jobs=1, timeout=120) as box:
        seen = [result for _, result in box.run(tasks)]
        seen += [result for _, result in box.run(tasks[:2])]  # a second batch, same worker
    assert {status for *_, status in seen} == {"ok"}
    assert len({pid for pid, *_ in seen}) == 1, "one long-lived worker"
    # spaCy pipelines: ru once, then en once; slovnet's weights once, however many files.
    assert [loads for _, loads, _, _ in seen] == [1] * len(RU) + [2] * (len(seen) - len(RU))
    assert {slovnet for _, _, slovnet, _ in seen} == {1}


def test_a_dask_worker_thread_keeps_its_parser_between_tasks(tmp_path: Path) -> None:
    """``extract_chunk`` reuses this thread's parser process: the models stay loaded."""
    from pipeline.ingest.executors.dask import (DaskExecutor, _drop_thread_sandbox, _local,
                                                extract_chunk)

    from test_ingest_dask import _planned

    files = [DaskExecutor._payload(_planned(SAMPLE / name)) for name in RU[:2]]
    try:
        first = extract_chunk(files, ExtractOptions(), 120, 3072)
        pid = _local.box.workers[0].pid
        second = extract_chunk(files, ExtractOptions(), 120, 3072)
        assert _local.box.workers[0].pid == pid
    finally:
        _drop_thread_sandbox()
    assert [r.status for _, r in first[1]] == ["ok", "ok"]
    assert [(k, r.documents) for k, r in first[1]] == [(k, r.documents) for k, r in second[1]]


@pytest.mark.parametrize("language, sentence, person", [
    ("en", "Later Mr John Smith was questioned at the police station.", "John Smith"),
    ("ru", "Затем Петров Иван Сергеевич был доставлен в отдел полиции.", "Петров Иван Сергеевич"),
])
def test_a_text_over_the_models_limit_gives_entities_from_every_chunk(language, sentence,
                                                                      person) -> None:
    """GIVEN a text five times the model's max_length, an entity in each part
    WHEN it is tagged THEN every part's entity comes out, at its offset in the whole text."""
    model = nlp.load(language)
    saved = model.max_length
    model.max_length = 3_000
    try:
        filler = ("1234567 " * 10 + "\n\n") * 30  # about 2,500 characters, cut at the breaks
        parts = [filler + sentence for _ in range(5)]
        text = "\n\n".join(parts)
        assert len(text) > 5 * 2_500 and len(text) > 4 * model.max_length
        entities = nlp.tag_entities(text, language)
    finally:
        model.max_length = saved
    found = [e for e in entities if e.label == "PERSON" and e.text == person]
    assert len(found) == 5, [(e.label, e.text) for e in entities]
    for entity in entities:
        assert text[entity.start:entity.end] == entity.text
    assert [e.start // (len(parts[0]) + 2) for e in found] == [0, 1, 2, 3, 4]


def test_batches_are_cut_by_characters() -> None:
    items = [("x" * 90_000, 0), ("y" * 90_000, 1), ("z" * 30_000, 2), ("short", 3)]
    batches = list(nlp.char_batches(items, 200_000))
    assert [[c for _, c in b] for b in batches] == [[0, 1], [2, 3]]
    many_short = [("Суд.", n) for n in range(1000)]
    assert len(list(nlp.char_batches(many_short, nlp.BATCH_CHARS))) == 1


def test_only_the_ner_components_run() -> None:
    for language in ("en", "fr"):
        assert nlp.load(language).pipe_names == ["ner"]
    assert nlp.load("ru").pipe_names == ["slovnet_ner"]


def test_jobs_default_to_the_cores_this_process_may_use(tmp_path: Path, monkeypatch) -> None:
    import pipeline.ingest.executors.local as local_executor

    seen = {}
    real = local_executor.Sandbox

    class Recording(real):
        def __init__(self, fn, *, jobs, **kw):
            seen["jobs"] = jobs
            super().__init__(fn, jobs=jobs, **kw)

    monkeypatch.setattr(local_executor, "Sandbox", Recording)
    src = tmp_path / "in"
    src.mkdir()
    for name in RU[:2] + EN[:1]:
        shutil.copy2(SAMPLE / name, src / name)
    ingest([src], tmp_path / "ix")
    assert seen["jobs"] == min(3, len(os.sched_getaffinity(0)))


def test_ids_do_not_depend_on_which_parser_finishes_first(tmp_path: Path, monkeypatch) -> None:
    """GIVEN two files whose names give the same id, in two folders
    WHEN the later one in plan order is parsed first
    THEN the ids are those a one-process run gives (the first in plan order takes the plain id)."""
    import pipeline.ingest.executors.local as local_executor

    src = tmp_path / "in"
    (src / "b").mkdir(parents=True)
    shutil.copy2(SAMPLE / RU[1], src / "ruling.txt")
    shutil.copy2(SAMPLE / RU[0], src / "b" / "ruling.txt")
    in_order = ingest([src], tmp_path / "ix1", jobs=1)
    expected = {Path(o.path).relative_to(src).as_posix(): o.ids for o in in_order.outcomes}
    assert expected["ruling.txt"] == ["ruling"] and expected["b/ruling.txt"][0] != "ruling"

    real = local_executor.Sandbox

    class Reversed(real):
        def run(self, tasks):
            yield from reversed(list(super().run(tasks)))

    monkeypatch.setattr(local_executor, "Sandbox", Reversed)
    reversed_run = ingest([src], tmp_path / "ix2", jobs=1)
    assert {Path(o.path).relative_to(src).as_posix(): o.ids
            for o in reversed_run.outcomes} == expected


def sleep_task(task: tuple[str, float]) -> str:
    """Runs in a sandbox worker: sleeps inside a one-time load or outside it."""
    import time

    from pipeline import limits

    where, seconds = task
    if where == "load":
        with limits.one_time_load(), limits.one_time_load():  # nested: one pause
            time.sleep(seconds)
    else:
        time.sleep(seconds)
    return where


@pytest.mark.parametrize("task, timed_out", [
    (("load", 2.5), False),    # a model loading for longer than the budget: not the task's time
    (("work", 2.5), True),     # the task's own work for as long: over its budget
    (("work", 0.1), False),
])
def test_one_time_loads_do_not_count_against_a_task(task, timed_out: bool) -> None:
    with Sandbox(sleep_task, jobs=1, timeout=1.5) as box:
        [(_, result)] = list(box.run([task]))
        # the same worker again: its clock is running normally after the pause
        [(_, again)] = list(box.run([("work", 0.1)]))
    assert (getattr(result, "timed_out", None) is not None) == timed_out, result
    assert again == "work"
