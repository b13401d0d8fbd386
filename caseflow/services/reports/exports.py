"""The month's report as CSV and Excel, made to open right: one column per figure of ``domain.figures``, a row
per office and the total, shares beside the counts they divide (so a reader can check the arithmetic), every
value rounded as the page shows it (``domain.numbers``).

CSV: UTF-8 with a byte order mark (Excel reads it as UTF-8 only then). On the Swedish page ``;`` between cells,
decimal comma and Swedish headings (what Swedish Excel reads as numbers); on the English page ``,`` and a decimal
point. A share is its percent number (79,2) under a heading ending "(%)"; no thousands separator.
Excel: a sheet per section of the page, the header row styled and frozen, numbers stored as numbers with a number
format by unit and a share as a fraction with a percent format, columns as wide as their contents.
Text that a spreadsheet would run as a formula is prefixed with a quote, in both."""
from __future__ import annotations

import csv
import io

from ...domain import figures as registry
from ...domain import numbers

BOM = "\ufeff"
# Every figure with one value per office (the grouped ones included), in the registry's order.
COLUMNS: tuple[registry.Figure, ...] = registry.FIGURES
_WORDS = {
    "office": ("Förvaltning", "Office"), "total": ("Totalt", "Total"),
    "ground": ("Orsak (Insikts servicefaktor)", "Cause (Insikt service factor)"),
    "complaints": ("Klagomål", "Complaints"), "key": ("Nyckel", "Key"), "name": ("Namn", "Name"),
    "unit": ("Enhet", "Unit"), "numerator": ("Täljare", "Numerator"), "denominator": ("Nämnare", "Denominator"),
    "per_office": ("Per förvaltning", "Per office"), "all": ("Alla mått", "All figures"),
    "by_ground": ("Klagomål per orsak", "Complaints by cause"), "definitions": ("Definitioner", "Definitions"),
    "code": ("Kod", "Code"), "handslag": ("Handslag", "Handslag"), "title": ("Åtgärdspunkt", "Action point"),
    "kpi": ("Mått", "Measure"), "target": ("Mål", "Target"), "month": ("Månad", "Month"),
    "value": ("Värde", "Value"), "status": ("Status", "Status"),
}
UNIT_WORDS = {registry.COUNT: ("antal", "count"), registry.SHARE: ("andel", "share"),
              registry.HOURS: ("arbetstimmar", "working hours"), registry.DAYS: ("dagar", "days"),
              registry.INDEX: ("index 0–100", "index 0–100"), registry.PER_100: ("per 100 ärenden", "per 100 cases")}


def _word(key: str, language: str) -> str:
    return _WORDS[key][1 if language == "en" else 0]


def _unit_word(unit: str, language: str) -> str:
    return UNIT_WORDS.get(unit, (unit, unit))[1 if language == "en" else 0]


def table_rows(report: dict, total_label: str = "Totalt", columns=COLUMNS) -> list[list]:
    """[office name, value per column] for each office, then the total (values as computed)."""
    rows = [[name] + [registry.value(report["offices"][oid], f.key) for f in columns]
            for oid, name in report["office_names"].items()]
    rows.append([total_label] + [registry.value(report["total"], f.key) for f in columns])
    return rows


def _cell(v):
    """Spreadsheet-safe: text that a spreadsheet would run as a formula is prefixed with a quote."""
    if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + v
    return v


def csv_heading(f: registry.Figure, language: str) -> str:
    """A figure's column heading in a CSV: its label, "(%)" after a share (the cell is its percent)."""
    return f"{f.label(language)} (%)" if f.unit == registry.SHARE else f.label(language)


def csv_dialect(language: str) -> dict:
    """How the CSV of a language is written (and read back): the cell separator."""
    return {"delimiter": ";" if language != "en" else ","}


def to_csv(report: dict, language: str = "sv") -> str:
    """The CSV text, starting with the byte order mark; headings in the language, one row per office and the
    total, each value as the page rounds it."""
    buf = io.StringIO()
    buf.write(BOM)
    w = csv.writer(buf, **csv_dialect(language))
    w.writerow([_word("office", language)] + [csv_heading(f, language) for f in COLUMNS])
    for row in table_rows(report, _word("total", language)):
        w.writerow([_cell(row[0])] + [numbers.csv_value(f.unit, v, language)
                                      for v, f in zip(row[1:], COLUMNS, strict=True)])
    return buf.getvalue()


# Excel number formats by unit (the codes are locale-neutral: Swedish Excel shows them with a decimal comma).
XLSX_FORMATS = {registry.SHARE: "0.0%", registry.HOURS: "0.0", registry.DAYS: "0.0", registry.INDEX: "0",
                registry.PER_100: "0.0", registry.COUNT: "#,##0"}


def _sheet(wb, title: str, header: list[str], rows: list[list], formats: list[str | None], first: bool = False):
    """A sheet with a styled, frozen header row, ``rows`` below (numbers as numbers, each column's number
    format) and columns as wide as their contents."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    ws = wb.active if first else wb.create_sheet()
    ws.title = title[:31]
    ws.append([_cell(h) for h in header])
    for row in rows:
        ws.append([_cell(v) for v in row])
    fill, line = PatternFill("solid", fgColor="00558C"), Side(style="thin", color="003E66")
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.border = Border(bottom=line)
    ws.row_dimensions[1].height = 48
    for i, fmt in enumerate(formats, start=1):
        letter = get_column_letter(i)
        if fmt:
            for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                cell.number_format = fmt
        longest = max([len(str(v)) for v in (r[i - 1] for r in rows) if v is not None] + [6])
        ws.column_dimensions[letter].width = min(max(longest + 2, min(len(str(header[i - 1])), 24) + 2, 10), 42)
    ws.freeze_panes = "B2"
    return ws


def to_xlsx(report: dict, language: str = "sv", ground_labels: dict | None = None) -> bytes:
    """A workbook with a sheet per section of the month page: the table per office, every figure, complaints by
    ground, and the definitions (each figure's key, label, unit and what a share divides)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    def values(figs, row):
        return [row[0]] + [numbers.rounded(f.unit, v) for v, f in zip(row[1:], figs, strict=True)]

    wb = Workbook()
    total = _word("total", language)
    for name, figs, first in ((_word("per_office", language), [registry.figure(k) for k in registry.TABLE], True),
                              (_word("all", language), list(COLUMNS), False)):
        rows = [values(figs, r) for r in table_rows(report, total, figs)]
        ws = _sheet(wb, name, [_word("office", language)] + [f.label(language) for f in figs], rows,
                    [None] + [XLSX_FORMATS[f.unit] for f in figs], first=first)
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True)
    ground_labels = ground_labels or {}
    grounds = [[name, ground_labels.get(g, g), n] for oid, name in report["office_names"].items()
               for g, n in sorted(report["offices"][oid]["complaints_by_ground"].items())]
    _sheet(wb, _word("by_ground", language),
           [_word("office", language), _word("ground", language), _word("complaints", language)], grounds,
           [None, None, XLSX_FORMATS[registry.COUNT]])
    defs = [[f.key, f.label(language), _unit_word(f.unit, language), f.numerator or "", f.denominator or ""]
            for f in COLUMNS]
    _sheet(wb, _word("definitions", language), [_word(k, language) for k in ("key", "name", "unit", "numerator",
                                                                           "denominator")], defs, [None] * 5)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def to_json(report: dict) -> dict:
    """The report as published, with the definition of every figure it carries (values unrounded: for machines)."""
    return dict(report, definitions={f.key: {"sv": f.sv, "en": f.en, "unit": f.unit, "numerator": f.numerator,
                                             "denominator": f.denominator} for f in COLUMNS})
