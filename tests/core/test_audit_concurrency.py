"""Concurrent writers on PostgreSQL: one chain never forks, and different subjects, like the
checkpoint writer, never wait on each other."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

import pytest
from django.db import connection, transaction

from terang.core.audit import checkpoint, record_audit, verify_audit_log
from terang.core.models import Agency, AuditCheckpoint, AuditEntry

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 8
APPENDS = 50


def run_in_threads(work: Callable[[int], None], count: int = THREADS) -> None:
    """Start `count` workers at once; re-raise the first error any of them hit."""
    errors: list[BaseException] = []
    start = threading.Barrier(count)

    def worker(index: int) -> None:
        try:
            start.wait()
            work(index)
        except BaseException as exc:  # reported to the test thread below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a writer hung"
    if errors:
        raise errors[0]


class Background(threading.Thread):
    """One worker with its own connection; `finish()` joins it and re-raises its error."""

    def __init__(self, work: Callable[[], None]) -> None:
        super().__init__()
        self.work, self.error = work, None
        self.start()

    def run(self) -> None:
        try:
            self.work()
        except BaseException as exc:
            self.error = exc
        finally:
            connection.close()

    def finish(self) -> None:
        self.join(timeout=30)
        assert not self.is_alive(), "the background transaction hung"
        if self.error is not None:
            raise self.error


def assert_one_unforked_chain(chain: str, length: int) -> None:
    links = list(
        AuditEntry.objects.filter(chain=chain)
        .order_by("seq")
        .values_list("seq", "prev_hash", "hash")
    )
    assert len(links) == length
    assert [seq for seq, _prev, _hash in links] == list(range(1, length + 1))
    assert len({prev for _seq, prev, _hash in links}) == length, "two entries share a predecessor"
    assert all(links[i][1] == links[i - 1][2] for i in range(1, length))


def test_same_chain_under_the_subject_row_lock_never_forks() -> None:
    agency = Agency.objects.create(code="PUPR", name="Dinas PUPR")

    def append(index: int) -> None:
        for n in range(APPENDS):
            with transaction.atomic():
                Agency.objects.select_for_update().get(pk=agency.pk)
                record_audit(
                    actor=None, action="step", subject=agency, payload={"t": index, "n": n}
                )

    run_in_threads(append)

    assert_one_unforked_chain(f"core.agency:{agency.pk}", THREADS * APPENDS)
    assert verify_audit_log().ok


def test_same_chain_without_a_row_lock_never_forks() -> None:
    """No lock at all: the unique (chain, seq) constraint and the retry keep one line."""

    def append(index: int) -> None:
        for n in range(APPENDS):
            with transaction.atomic():
                record_audit(actor=None, action="step", subject="tests.hot:1", payload={"n": n})

    run_in_threads(append)

    assert_one_unforked_chain("tests.hot:1", THREADS * APPENDS)
    assert verify_audit_log().ok


def test_many_chains_with_a_concurrent_checkpointer_stay_verifiable() -> None:
    writers_left = threading.Semaphore(0)

    def work(index: int) -> None:
        if index == THREADS:  # the checkpointer, as beat would run it, but continuously
            finished = 0
            while finished < THREADS:
                checkpoint()
                finished += writers_left.acquire(blocking=False)
            return
        for n in range(APPENDS):
            with transaction.atomic():
                record_audit(actor=None, action="step", subject=f"tests.s:{index}:{n % 5}")
        writers_left.release()

    run_in_threads(work, THREADS + 1)
    checkpoint()

    for index in range(THREADS):
        for chain in (f"tests.s:{index}:{k}" for k in range(5)):
            assert_one_unforked_chain(chain, APPENDS // 5)
    result = verify_audit_log()
    assert result.ok
    assert (result.entries, result.chains) == (THREADS * APPENDS, THREADS * 5)
    assert_every_head_is_checkpointed()


def assert_every_head_is_checkpointed() -> None:
    recorded: dict[str, list[object]] = {}
    for heads in AuditCheckpoint.objects.order_by("seq").values_list("heads", flat=True):
        recorded.update(heads)
    actual = {
        chain: [seq, digest]
        for chain, seq, digest in AuditEntry.objects.order_by("chain", "seq").values_list(
            "chain", "seq", "hash"
        )
    }
    assert recorded == actual


def hold_open(subject: str, appended: threading.Event, release: threading.Event) -> None:
    """A service transaction on `subject` that has written its audit entry but not committed."""
    agency = Agency.objects.get(code=subject)
    with transaction.atomic():
        Agency.objects.select_for_update().get(pk=agency.pk)
        record_audit(actor=None, action="slow", subject=agency)
        appended.set()
        assert release.wait(timeout=30)


def test_writers_on_other_subjects_and_the_checkpointer_do_not_wait_for_an_open_writer() -> None:
    Agency.objects.create(code="SLOW", name="Dinas Lambat")
    other = Agency.objects.create(code="FAST", name="Dinas Cepat")
    appended, release = threading.Event(), threading.Event()
    slow = Background(lambda: hold_open("SLOW", appended, release))
    try:
        assert appended.wait(timeout=10)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
            Agency.objects.select_for_update().get(pk=other.pk)
            record_audit(actor=None, action="fast", subject=other)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
            made = checkpoint()
    finally:
        release.set()
        slow.finish()

    assert made is not None
    assert list(made.heads) == [f"core.agency:{other.pk}"]  # the open one is not visible yet
    assert verify_audit_log().ok


def test_a_checkpoint_in_progress_does_not_block_writers() -> None:
    record_audit(actor=None, action="first", subject="tests.s:1")
    assert checkpoint() is not None
    locked, release = threading.Event(), threading.Event()

    def checkpointer() -> None:
        with transaction.atomic():
            AuditCheckpoint.objects.select_for_update().order_by("-seq").first()
            locked.set()
            assert release.wait(timeout=30)

    holder = Background(checkpointer)
    try:
        assert locked.wait(timeout=10)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
            entry = record_audit(actor=None, action="second", subject="tests.s:1")
    finally:
        release.set()
        holder.finish()

    assert entry.seq == 2


@pytest.mark.parametrize(
    ("settle", "folded"),
    [(dt.timedelta(minutes=10), True), (dt.timedelta(0), False)],
    ids=["settle-rule", "naive-high-water-rule"],
)
def test_entry_committed_after_a_checkpoint_saw_higher_ids(
    settle: dt.timedelta, folded: bool
) -> None:
    """Real out-of-order commit. With settle=0 the floor is the previous checkpoint's
    high-water id, the naive rule, and the late entry's chain is never folded."""
    Agency.objects.create(code="SLOW", name="Dinas Lambat")
    appended, release = threading.Event(), threading.Event()
    slow = Background(lambda: hold_open("SLOW", appended, release))
    try:
        assert appended.wait(timeout=10)
        record_audit(actor=None, action="fast", subject="tests.s:1")
        first = checkpoint(settle=settle)
    finally:
        release.set()
        slow.finish()
    late = AuditEntry.objects.get(action="slow")
    assert first is not None and late.pk < first.high_water_id

    second = checkpoint(settle=settle)

    if folded:
        assert second is not None and second.heads == {late.chain: [1, late.hash]}
    else:
        assert second is None
