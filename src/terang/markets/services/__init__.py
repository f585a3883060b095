"""Every write of the markets app: price entry, CSV import, and rise alerts.

Split by concept: `entry` (the day's prices at one market), `csv_import` (a whole file, all or
nothing), `alerts` (the week-over-week rule, acknowledge and resolve)."""

from .alerts import (
    WeeklyRise,
    acknowledge_price_alert,
    evaluate_commodities,
    resolve_price_alert,
    weekly_rise,
)
from .csv_import import (
    MAX_IMPORT_ROWS,
    ImportProblem,
    ImportResult,
    PriceImportRejected,
    PriceImportTooLarge,
    import_prices_csv,
    parse_date,
    parse_price,
)
from .entry import PRICE_MAX, PRICE_MIN, EntryResult, city_today, record_price, record_prices

__all__ = [
    "MAX_IMPORT_ROWS",
    "PRICE_MAX",
    "PRICE_MIN",
    "EntryResult",
    "ImportProblem",
    "ImportResult",
    "PriceImportRejected",
    "PriceImportTooLarge",
    "WeeklyRise",
    "acknowledge_price_alert",
    "city_today",
    "evaluate_commodities",
    "import_prices_csv",
    "parse_date",
    "parse_price",
    "record_price",
    "record_prices",
    "resolve_price_alert",
    "weekly_rise",
]
