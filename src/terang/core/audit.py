"""Append-only, hash-chained audit log. Design: docs/adr/0001-audit-chain.md.

Each subject has its own chain (`<app>.<model>:<pk>`). A service appends while it already holds
the subject's row lock, so one chain never forks; a unique (chain, seq) constraint backs that up.
Different subjects never wait on each other. `checkpoint_audit_chain` folds the heads of all
chains changed since the previous checkpoint into one city-wide chain.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from .models import AuditEntry, User

GENESIS = "0" * 64


def chain_name(subject: models.Model | str) -> str:
    if isinstance(subject, str):
        return subject
    return f"{subject._meta.label_lower}:{subject.pk}"


def canonical(payload: Any) -> str:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def entry_hash(
    *, chain: str, seq: int, created_at: str, actor: str, action: str, payload_digest: str,
    prev_hash: str,
) -> str:
    material = "|".join([chain, str(seq), created_at, actor, action, payload_digest, prev_hash])
    return hashlib.sha256(material.encode()).hexdigest()


def record_audit(
    *,
    actor: User | None,
    action: str,
    subject: models.Model | str,
    payload: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry to the subject's chain. Call inside the service's transaction."""
    chain = chain_name(subject)
    payload = payload or {}
    payload_digest = hashlib.sha256(canonical(payload).encode()).hexdigest()
    actor_label = actor.username if actor is not None else "system"
    for _attempt in range(5):
        last = (
            AuditEntry.objects.filter(chain=chain).order_by("-seq").values("seq", "hash").first()
        )
        seq = last["seq"] + 1 if last else 1
        prev_hash = last["hash"] if last else GENESIS
        created_at = timezone.now()
        digest = entry_hash(
            chain=chain,
            seq=seq,
            created_at=created_at.isoformat(),
            actor=actor_label,
            action=action,
            payload_digest=payload_digest,
            prev_hash=prev_hash,
        )
        try:
            with transaction.atomic():
                return AuditEntry.objects.create(
                    chain=chain,
                    seq=seq,
                    created_at=created_at,
                    actor=actor,
                    actor_label=actor_label,
                    action=action,
                    payload=json.loads(canonical(payload)),
                    payload_digest=payload_digest,
                    prev_hash=prev_hash,
                    hash=digest,
                )
        except IntegrityError:
            continue
    raise RuntimeError(f"could not append to audit chain {chain}")
