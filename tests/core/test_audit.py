"""The hash-chained audit log: appends, checkpoints, and what `verify` reports after tampering."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F

from terang.core import audit
from terang.core.audit import GENESIS, checkpoint, record_audit, verify_audit_log
from terang.core.models import Agency, AuditCheckpoint, AuditEntry, User

pytestmark = pytest.mark.django_db

CHAIN = "tests.subject:1"
OTHER = "tests.subject:2"


def append(chain: str, n: int, **payload: object) -> list[AuditEntry]:
    return [
        record_audit(actor=None, action="step", subject=chain, payload={"n": i, **payload})
        for i in range(1, n + 1)
    ]


def entry(chain: str, seq: int) -> AuditEntry:
    return AuditEntry.objects.get(chain=chain, seq=seq)


def first_problem() -> audit.Problem:
    result = verify_audit_log()
    assert result.first_problem is not None, "tampering went unnoticed"
    return result.first_problem


# Appending


def test_entries_of_a_subject_form_one_linked_chain() -> None:
    agency = Agency.objects.create(code="PUPR", name="Dinas PUPR")
    actor = User.objects.create(username="petugas", email="p@example.org")

    first = record_audit(actor=actor, action="create", subject=agency, payload={"a": 1})
    second = record_audit(actor=None, action="update", subject=agency, payload={"a": 2})

    assert first.chain == second.chain == f"core.agency:{agency.pk}"
    assert (first.seq, second.seq) == (1, 2)
    assert first.prev_hash == GENESIS
    assert second.prev_hash == first.hash
    assert (first.actor_label, second.actor_label) == ("petugas", "system")


def test_each_subject_has_its_own_chain() -> None:
    append(CHAIN, 2)
    other = append(OTHER, 1)[0]

    assert other.seq == 1
    assert other.prev_hash == GENESIS


def test_payload_is_stored_in_a_form_that_redigests_identically() -> None:
    payload = {
        "b": [1.5, 1.0, -6.175392, 1e-07],
        "a": {"z": None, "y": "ü"},
        "big": 1e20,
        "when": dt.date(2025, 1, 2),
        "n": 2**70,
    }

    stored = record_audit(actor=None, action="x", subject=CHAIN, payload=payload)
    stored.refresh_from_db()

    assert stored.payload["big"] == "1e+20"
    assert stored.payload["when"] == "2025-01-02"
    assert audit.digest_payload(stored.payload) == stored.payload_digest
    assert verify_audit_log().ok


# Verify on an untouched log


def test_verify_passes_and_counts_an_untouched_log() -> None:
    append(CHAIN, 3)
    append(OTHER, 2)
    checkpoint()
    append(OTHER, 1)
    checkpoint()

    result = verify_audit_log(chunk_size=2)

    assert result.ok
    assert (result.entries, result.chains, result.checkpoints, result.problems) == (6, 2, 2, 0)


def test_verify_of_an_empty_log_passes() -> None:
    result = verify_audit_log()

    assert result.ok
    assert (result.entries, result.chains, result.checkpoints) == (0, 0, 0)


def test_verify_query_count_does_not_grow_with_entries(django_assert_max_num_queries) -> None:
    for i in range(30):
        append(f"tests.subject:{i}", 4)
    checkpoint()

    with django_assert_max_num_queries(4):
        result = verify_audit_log(chunk_size=7)

    assert result.ok
    assert (result.entries, result.chains) == (120, 30)


# Tampering with entries


def test_payload_changed_in_place_is_reported_altered_at_that_entry() -> None:
    append(CHAIN, 4)
    target = entry(CHAIN, 3)
    AuditEntry.objects.filter(pk=target.pk).update(payload={"n": 99})

    problem = first_problem()

    assert (problem.kind, problem.entry_id, problem.chain, problem.seq) == (
        "altered",
        target.pk,
        CHAIN,
        3,
    )


def test_action_changed_in_place_is_reported_altered() -> None:
    append(CHAIN, 3)
    target = entry(CHAIN, 2)
    AuditEntry.objects.filter(pk=target.pk).update(action="forged")

    problem = first_problem()

    assert (problem.kind, problem.entry_id, problem.seq) == ("altered", target.pk, 2)


def test_entry_rewritten_with_recomputed_hash_is_reported_altered_at_itself() -> None:
    append(CHAIN, 4)
    target = entry(CHAIN, 2)
    payload = {"n": 99}
    digest = audit.digest_payload(payload)
    forged = audit.entry_hash(
        chain=CHAIN,
        seq=2,
        created_at=target.created_at.isoformat(),
        actor="system",
        action="step",
        payload_digest=digest,
        prev_hash=target.prev_hash,
    )
    AuditEntry.objects.filter(pk=target.pk).update(
        payload=payload, payload_digest=digest, hash=forged
    )

    problem = first_problem()

    assert (problem.kind, problem.entry_id, problem.seq) == ("altered", target.pk, 2)


def test_deleted_middle_entry_is_reported_removed() -> None:
    append(CHAIN, 5)
    entry(CHAIN, 3).delete()
    successor = entry(CHAIN, 4)

    problem = first_problem()

    assert (problem.kind, problem.chain, problem.seq, problem.entry_id) == (
        "removed",
        CHAIN,
        3,
        successor.pk,
    )


def test_deleted_first_entry_is_reported_removed() -> None:
    append(CHAIN, 3)
    entry(CHAIN, 1).delete()

    problem = first_problem()

    assert (problem.kind, problem.seq, problem.entry_id) == ("removed", 1, entry(CHAIN, 2).pk)


def test_deleted_tail_after_a_checkpoint_is_reported_removed() -> None:
    append(CHAIN, 5)
    append(OTHER, 2)
    checkpoint()
    AuditEntry.objects.filter(chain=CHAIN, seq__gte=4).delete()

    problem = first_problem()

    assert (problem.kind, problem.chain, problem.seq, problem.entry_id) == (
        "removed",
        CHAIN,
        4,
        None,
    )
    assert problem.checkpoint_seq == 1


def test_deleted_whole_chain_after_a_checkpoint_is_reported_removed() -> None:
    append(CHAIN, 2)
    append(OTHER, 2)
    checkpoint()
    AuditEntry.objects.filter(chain=OTHER).delete()

    problem = first_problem()

    assert (problem.kind, problem.chain, problem.seq, problem.entry_id) == (
        "removed",
        OTHER,
        1,
        None,
    )


def test_deleted_tail_before_any_checkpoint_goes_unnoticed() -> None:
    """The documented limit: only checkpointed heads protect a chain's tail."""
    append(CHAIN, 3)
    entry(CHAIN, 3).delete()

    assert verify_audit_log().ok


def test_swapped_seqs_are_reported_reordered() -> None:
    append(CHAIN, 4)
    second, third = entry(CHAIN, 2), entry(CHAIN, 3)
    AuditEntry.objects.filter(pk=second.pk).update(seq=1000)
    AuditEntry.objects.filter(pk=third.pk).update(seq=2)
    AuditEntry.objects.filter(pk=second.pk).update(seq=3)

    problem = first_problem()

    assert (problem.kind, problem.chain, problem.seq, problem.entry_id) == (
        "reordered",
        CHAIN,
        2,
        third.pk,
    )
    assert problem.detail == "written as seq 3"


def test_chain_rewritten_consistently_is_caught_by_its_checkpoint() -> None:
    append(CHAIN, 3)
    checkpoint()
    head = entry(CHAIN, 3)
    AuditEntry.objects.filter(chain=CHAIN).delete()
    append(CHAIN, 3, forged=True)  # a fresh, self-consistent history under the same name
    new_head = entry(CHAIN, 3)
    assert new_head.hash != head.hash

    problem = first_problem()

    assert (problem.kind, problem.chain, problem.seq, problem.entry_id) == (
        "altered",
        CHAIN,
        3,
        new_head.pk,
    )


def test_first_problem_is_the_one_with_the_lowest_entry_id() -> None:
    early = append(CHAIN, 2)
    late = append(OTHER, 2)
    AuditEntry.objects.filter(pk=late[1].pk).update(action="forged")
    AuditEntry.objects.filter(pk=early[1].pk).update(action="forged")

    result = verify_audit_log()

    assert result.problems == 2
    assert result.first_problem is not None
    assert result.first_problem.entry_id == early[1].pk


# Checkpoints


def test_first_checkpoint_folds_every_chain_head() -> None:
    append(CHAIN, 3)
    append(OTHER, 1)

    made = checkpoint()

    assert made is not None
    assert made.seq == 1
    assert made.prev_hash == GENESIS
    assert made.heads == {
        CHAIN: [3, entry(CHAIN, 3).hash],
        OTHER: [1, entry(OTHER, 1).hash],
    }
    assert made.high_water_id == AuditEntry.objects.order_by("-id").first().pk


def test_next_checkpoint_folds_only_changed_chains_and_links_to_the_previous() -> None:
    append(CHAIN, 2)
    append(OTHER, 1)
    first = checkpoint()
    append(OTHER, 1)

    second = checkpoint()

    assert second is not None and first is not None
    assert second.seq == 2
    assert second.prev_hash == first.hash
    assert second.heads == {OTHER: [2, entry(OTHER, 2).hash]}


def test_chain_folded_by_an_earlier_checkpoint_is_not_folded_again() -> None:
    append(CHAIN, 1)
    checkpoint()
    append(OTHER, 1)
    checkpoint()
    append("tests.subject:3", 1)

    third = checkpoint()

    assert third is not None
    assert third.heads == {"tests.subject:3": [1, entry("tests.subject:3", 1).hash]}


def test_checkpoint_without_changes_writes_nothing() -> None:
    append(CHAIN, 1)
    checkpoint()

    assert checkpoint() is None
    assert AuditCheckpoint.objects.count() == 1


def test_checkpoint_of_an_empty_log_writes_nothing() -> None:
    assert checkpoint() is None


def test_entry_committed_after_a_later_id_was_checkpointed_is_still_folded() -> None:
    """An id handed out before a checkpoint but committed after it: a floor at the previous
    checkpoint's high-water id would skip it; the settle rule scans from an older checkpoint."""
    append(CHAIN, 1)
    old = checkpoint()
    assert old is not None
    AuditCheckpoint.objects.filter(pk=old.pk).update(
        created_at=F("created_at") - dt.timedelta(hours=1)
    )
    placeholder = append(OTHER, 1)[0]
    held_id = placeholder.pk
    placeholder.delete()  # its id is the one a slow transaction still holds
    append(CHAIN, 1)
    recent = checkpoint()
    assert recent is not None and old.high_water_id < held_id < recent.high_water_id
    late = record_audit(actor=None, action="late", subject=OTHER)
    AuditEntry.objects.filter(pk=late.pk).update(id=held_id)

    made = checkpoint(settle=dt.timedelta(minutes=10))

    assert made is not None
    assert made.heads == {OTHER: [1, late.hash]}


@pytest.mark.parametrize(("settle_minutes", "floor_from"), [(10, "old"), (120, "none")])
def test_scan_starts_above_the_newest_checkpoint_older_than_the_settle_time(
    monkeypatch, settle_minutes: int, floor_from: str
) -> None:
    append(CHAIN, 1)
    old = checkpoint()
    assert old is not None
    AuditCheckpoint.objects.filter(pk=old.pk).update(
        created_at=F("created_at") - dt.timedelta(hours=1)
    )
    append(OTHER, 1)
    assert checkpoint() is not None
    append(CHAIN, 1)
    floors: list[int] = []
    scan = audit._heads_above
    monkeypatch.setattr(audit, "_heads_above", lambda floor: floors.append(floor) or scan(floor))

    made = checkpoint(settle=dt.timedelta(minutes=settle_minutes))

    assert floors == [old.high_water_id if floor_from == "old" else 0]
    assert made is not None and made.heads == {CHAIN: [2, entry(CHAIN, 2).hash]}


def test_altered_checkpoint_is_reported() -> None:
    append(CHAIN, 1)
    made = checkpoint()
    assert made is not None
    AuditCheckpoint.objects.filter(pk=made.pk).update(heads={CHAIN: [1, "f" * 64]})

    problem = first_problem()

    assert (problem.kind, problem.record, problem.seq) == ("altered", "checkpoint", 1)


def test_deleted_checkpoint_is_reported_removed() -> None:
    for i in range(3):
        append(f"tests.subject:{i}", 1)
        checkpoint()
    AuditCheckpoint.objects.filter(seq=2).delete()

    problem = first_problem()

    assert (problem.kind, problem.record, problem.seq) == ("removed", "checkpoint", 2)


# The command


def test_cli_verify_prints_ok_and_exits_zero(capsys) -> None:
    append(CHAIN, 2)
    call_command("audit", "checkpoint")

    call_command("audit", "verify")

    assert capsys.readouterr().out.splitlines()[-1] == "OK: 2 entries in 1 chains, 1 checkpoints"


def test_cli_verify_fails_with_the_first_problem() -> None:
    append(CHAIN, 3)
    target = entry(CHAIN, 2)
    AuditEntry.objects.filter(pk=target.pk).update(payload={"n": 7})

    with pytest.raises(CommandError) as raised:
        call_command("audit", "verify")

    assert f"altered: entry id={target.pk} chain={CHAIN} seq=2" in str(raised.value)
    assert raised.value.returncode == 1


def test_cli_checkpoint_reports_what_it_folded(capsys) -> None:
    append(CHAIN, 1)

    call_command("audit", "checkpoint")
    call_command("audit", "checkpoint")

    out = capsys.readouterr().out.splitlines()
    made = AuditCheckpoint.objects.get()
    assert out == [
        f"Checkpoint #1: 1 chains, hash {made.hash}",
        "No chain changed since the last checkpoint.",
    ]
