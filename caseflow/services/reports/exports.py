"""The month's report as CSV and Excel: one column per figure of ``domain.figures``, a row per office and the
total, shares beside the counts they divide (so a reader can check the arithmetic)."""
from __future__ import annotations

import csv
import io

from ...domain import figures as registry

# Every figure with one value per office (the grouped ones included), in the registry's order.
COLUMNS: tuple[registry.Figure, ...] = registry.FIGURES
_DECIMALS = {registry.SHARE: 4, registry.HOURS: 2, registry.DAYS: 2, registry.INDEX: 1, registry.PER_100: 2}


def table_rows(report: dict, total_label: str = "Totalt") -> list[list]:
    """[office name, value per column] for each office, then the total."""
    rows = [[name] + [registry.value(report["offices"][oid], f.key) for f in COLUMNS]
            for oid, name in report["office_names"].items()]
    rows.append([total_label] + [registry.value(report["total"], f.key) for f in COLUMNS])
    return rows


def _cell(v):
    """Spreadsheet-safe: text that a spreadsheet would run as a formula is prefixed with a quote."""
    if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + v
    return v


def _csv_value(v, unit: str, language: str) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        text = f"{round(v, _DECIMALS.get(unit, 2)):.{_DECIMALS.get(unit, 2)}f}"
        return text.replace(".", ",") if language == "sv" else text
    return str(_cell(v))


def to_csv(report: dict, language: str = "sv") -> str:
    """Semicolon-separated with decimal commas in Swedish (what Swedish Excel reads), points in English; the
    header names each figure in the language, the second row its key (stable for machines)."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";" if language == "sv" else ",")
    w.writerow(["Förvaltning" if language == "sv" else "Office"] + [f.label(language) for f in COLUMNS])
    w.writerow(["office"] + [f.key for f in COLUMNS])
    for row in table_rows(report, "Totalt" if language == "sv" else "Total"):
        w.writerow([_cell(row[0])] + [_csv_value(v, f.unit, language) for v, f in zip(row[1:], COLUMNS, strict=True)])
    return buf.getvalue()


_FORMATS = {registry.SHARE: "0.0%", registry.HOURS: "0.00", registry.DAYS: "0.0", registry.INDEX: "0.0",
            registry.PER_100: "0.00", registry.COUNT: "0"}


def to_xlsx(report: dict, language: str = "sv") -> bytes:
    """A sheet of figures (numbers formatted by unit, header bold and frozen), complaints by ground, and the
    definitions: each figure's key, label, unit and what a share divides."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sv = language == "sv"
    wb = Workbook()
    ws = wb.active
    ws.title = report["month"]
    ws.append(["Förvaltning" if sv else "Office"] + [f.label(language) for f in COLUMNS])
    for row in table_rows(report, "Totalt" if sv else "Total"):
        ws.append([_cell(v) for v in row])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for i, f in enumerate(COLUMNS, start=2):
        for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
            cell.number_format = _FORMATS[f.unit]
        ws.column_dimensions[get_column_letter(i)].width = 16
    ws.column_dimensions["A"].width = 34
    ws.freeze_panes = "B2"
    grounds = wb.create_sheet("Klagomål per grund" if sv else "Complaints by ground")
    grounds.append(["Förvaltning" if sv else "Office", "Grund" if sv else "Ground", "Klagomål" if sv else "Complaints"])
    for oid, name in report["office_names"].items():
        for ground, n in sorted(report["offices"][oid]["complaints_by_ground"].items()):
            grounds.append([_cell(name), ground, n])
    defs = wb.create_sheet("Definitioner" if sv else "Definitions")
    defs.append(["Nyckel" if sv else "Key", "Namn" if sv else "Name", "Enhet" if sv else "Unit",
                 "Täljare" if sv else "Numerator", "Nämnare" if sv else "Denominator"])
    for f in COLUMNS:
        defs.append([f.key, f.label(language), f.unit, f.numerator or "", f.denominator or ""])
    for sheet in (grounds, defs):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def to_json(report: dict) -> dict:
    """The report as published, with the definition of every figure it carries."""
    return dict(report, definitions={f.key: {"sv": f.sv, "en": f.en, "unit": f.unit, "numerator": f.numerator,
                                             "denominator": f.denominator} for f in COLUMNS})
