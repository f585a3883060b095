"""HTTP ingest for sensor stations (/api/v1/sensors). Same payloads as MQTT; the station proves
itself with its token (`Authorization: Bearer <token>` or `X-Station-Token`)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from terang.controlroom.sensors import services
from terang.core.schemas import IngestOut, batch_body_doc, errors

router = Router(tags=["sensors"])
# Each operation_id is the one the endpoint was first published with: generated clients name
# their methods after it, so it stays put when the module moves.

_BODY_DOC = batch_body_doc(
    'One reading {"ts", "value", "unit"}, a list of them, or '
    '{"readings": [...]}; on /{station}/readings each reading also names its '
    '"parameter".'
)


# The project's one error shape; it lives with the first app that needed it.
_ERRORS = errors(401, 413)


def _token(request: HttpRequest) -> str:
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        return header[7:].strip()
    return request.headers.get("X-Station-Token", "").strip()


@router.post(
    "/{station}/readings",
    response={200: IngestOut, **_ERRORS},
    openapi_extra=_BODY_DOC,
    operation_id="terang_controlroom_api_ingest_station_readings",
)
def ingest_station_readings(request: HttpRequest, station: str) -> IngestOut:
    """Readings of several parameters of one station.

    Each reading names its parameter. Valid readings are stored once per (station, parameter,
    ts); the others are quarantined and listed in `rejected` with their reason."""
    found = services.authenticate_station(station_code=station, token=_token(request))
    return IngestOut.of(services.ingest_mixed_batch(station=found, payload=request.body))


@router.post(
    "/{station}/{parameter}/readings",
    response={200: IngestOut, **_ERRORS},
    openapi_extra=_BODY_DOC,
    operation_id="terang_controlroom_api_ingest_parameter_readings",
)
def ingest_parameter_readings(request: HttpRequest, station: str, parameter: str) -> IngestOut:
    """Readings of one parameter of one station.

    The payload is the one published on MQTT `<prefix>/<station>/<parameter>`. Valid readings
    are stored once per (station, parameter, ts); the others are quarantined and listed in
    `rejected` with their reason."""
    found = services.authenticate_station(station_code=station, token=_token(request))
    return IngestOut.of(
        services.ingest_readings(station=found, parameter_code=parameter, payload=request.body)
    )
