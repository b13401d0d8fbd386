"""Monthly SLA report and Handslaget follow-up, in five parts: ``computation`` (the month's figures, counted in
SQL by the definitions), ``cases`` (the cases behind a figure, masked), ``snapshots`` (published, frozen
revisions and reading a month), ``exports`` (CSV, Excel, JSON) and ``handslaget`` (the measures' follow-up).
Each figure is defined once, in ``domain.figures``."""
from ..authorization import require_report_reader
from .cases import masked_case, masked_cases
from .computation import bounds, compute, drilldown, parse_month, previous_month
from .exports import table_rows, to_csv, to_json, to_xlsx
from .handslaget import (
           DEFAULT_MEASURES,
           handslaget,
           handslaget_csv,
           kpi_label,
           kpi_unit,
           kpi_value,
           seed_measures,
           status_of,
           title_of,
)
from .snapshots import (
           STALE_CHECK_MONTHS,
           changes,
           freeze,
           has_snapshot,
           month_view,
           publish,
           snapshots,
           stale_months,
           trend,
)

__all__ = ["DEFAULT_MEASURES", "STALE_CHECK_MONTHS", "bounds", "changes", "compute", "drilldown", "freeze",
           "handslaget", "handslaget_csv", "has_snapshot", "kpi_label", "kpi_unit", "kpi_value", "masked_case",
           "masked_cases", "month_view", "parse_month", "previous_month", "publish", "require_report_reader",
           "seed_measures", "snapshots", "stale_months", "status_of", "table_rows", "title_of", "to_csv", "to_json",
           "to_xlsx", "trend"]
