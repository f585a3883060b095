"""Every write of the budget app: the all-or-nothing import of a year's file (`importing`, read
by `reading`) and closing or reopening a year (`years`)."""

from .importing import (
    MAX_IMPORT_ROWS,
    REQUIRED_COLUMNS,
    BudgetAlreadyAmended,
    BudgetDuplicateFile,
    BudgetOriginalMissing,
    BudgetYearClosed,
    BudgetYearInvalid,
    ImportResult,
    import_budget,
    parse_amount,
    parse_budget_file,
)
from .reading import (
    BudgetImportRejected,
    BudgetImportTooLarge,
    ImportProblem,
)
from .years import set_budget_year_status

__all__ = [
    "MAX_IMPORT_ROWS",
    "REQUIRED_COLUMNS",
    "BudgetAlreadyAmended",
    "BudgetDuplicateFile",
    "BudgetImportRejected",
    "BudgetImportTooLarge",
    "BudgetOriginalMissing",
    "BudgetYearClosed",
    "BudgetYearInvalid",
    "ImportProblem",
    "ImportResult",
    "import_budget",
    "parse_amount",
    "parse_budget_file",
    "set_budget_year_status",
]
