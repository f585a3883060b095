"""Aspirations over JSON (/api/v1): reference data, public reads and intake, citizen actions,
the staff desk, and inbound messaging webhooks. Every endpoint parses input, calls one service
or selector and renders; the rules live in `services` and `selectors`.

One sub-router per audience, mounted in this order. Two things keep the published contract as
it was when this was a single module: every method of one path lives in the same sub-router
(Django resolves a path to the first router that declares it), and operation ids keep their
`terang_aspirations_api_<function>` form (generated clients name their methods after them)."""

from __future__ import annotations

from ninja import Router

from . import citizen, public, reference, staff, webhooks

OPERATION_ID_PREFIX = "terang_aspirations_api_"


def _with_stable_operation_ids(child: Router) -> Router:
    for path_view in child.path_operations.values():
        for operation in path_view.operations:
            if not operation.operation_id:
                operation.operation_id = OPERATION_ID_PREFIX + operation.view_func.__name__
    return child


router = Router()
for _child in (reference.router, public.router, citizen.router, staff.router, webhooks.router):
    router.add_router("", _with_stable_operation_ids(_child))

__all__ = ["router"]
