"""How `reprocess --dask` cuts the landing zone into batches (flows.reprocess.dask_batches)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from minwatch.flows import reprocess as reprocess_module
from minwatch.flows.reprocess import DASK_BATCH_SIZE, DASK_MIN_BATCH_SIZE, dask_batches
from minwatch.spiders.landing import LandedRef

FETCHED = datetime(2026, 11, 27, 2, tzinfo=UTC)


def refs(n: int) -> list[LandedRef]:
    return [LandedRef(f"news/{i // 500}.jsonl", i * 1000, FETCHED) for i in range(n)]


@pytest.mark.parametrize(("documents", "workers"), [(1200, 2), (1200, 1), (89, 2), (7, 4), (0, 2)])
def test_every_record_goes_out_once_in_order(documents: int, workers: int) -> None:
    landed = refs(documents)
    batches = list(dask_batches(landed, workers))
    assert [ref for batch in batches for ref in batch] == landed
    assert all(0 < len(batch) <= DASK_BATCH_SIZE for batch in batches)


def test_a_large_run_ends_on_short_batches() -> None:
    sizes = [len(batch) for batch in dask_batches(refs(1200), workers=2)]
    # Full batches while much remains: no more tasks (and Prefect bookkeeping) than needed.
    assert sizes[:9] == [DASK_BATCH_SIZE] * 9
    # Then each a smaller share of what is left, ending at the floor: whichever worker takes
    # the last batch holds the run up by ~20 documents' work, not 100.
    tail = sizes[9:]
    assert tail == sorted(tail, reverse=True)
    assert tail[0] < DASK_BATCH_SIZE
    assert max(tail[-4:]) == DASK_MIN_BATCH_SIZE
    assert sum(sizes) == 1200


def test_more_workers_shrink_the_batches_sooner() -> None:
    def full_batches(workers: int) -> int:
        sizes = [len(b) for b in dask_batches(refs(1200), workers)]
        return sizes.index(next(s for s in sizes if s < DASK_BATCH_SIZE))

    # Full batches until under two a worker remain: 1,100 documents for one worker, 500 for four.
    assert full_batches(1) == 11
    assert full_batches(4) == 5


def test_the_floor_never_exceeds_the_batch_size(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reprocess_module, "DASK_BATCH_SIZE", 10)
    assert [len(b) for b in dask_batches(refs(89), workers=2)] == [10] * 8 + [9]
