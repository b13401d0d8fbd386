"""Reports a reader trusts at a glance, and exports that open right: numbers in the page's language (Swedish
"79,2 %", "5,2 h"; English "79.2%"), headings in words, charts with titles and round ticks; the CSV read back
with the csv module in the page's dialect and the workbook with openpyxl hold numbers equal to the page's."""
import csv
import io
import re
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from caseflow.domain import figures as registry
from caseflow.domain import numbers
from caseflow.services import casework
from caseflow.web.charts import nice_ticks
from tests.conftest import login

LAST_MONTH = (datetime.now(UTC).date().replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
NBSP = "\xa0"


def three_cases(submit, make_user, offices):
    """Three cases at one office last month: two answered in time, one answered late (a breach): 2 of 3 clocks
    of first response in time, a share with a repeating decimal (66,7 %)."""
    officer = make_user("officer", offices["samhallsbyggnad"])
    start = datetime.strptime(LAST_MONTH + "-02 08:00", "%Y-%m-%d %H:%M").replace(tzinfo=UTC)
    start += timedelta(days=(7 - start.weekday()) % 7)  # a Monday, 09:00 or 10:00 in Stockholm
    for hours in (2, 5, 24 * 7):  # the last one a week later: far past two working days
        r = submit(when=start)
        casework.reply(officer, r.case_id, "Svar", start + timedelta(hours=hours))


def total_row(html: str) -> list[str]:
    """The cells of the month page's total row, as text."""
    row = re.search(r'<tr class="total">(.*?)</tr>', html, re.S).group(1)
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", row, re.S)]


def page_number(text: str, language: str) -> float | None:
    """The number a page cell starts with ("66,7 % (2 av 3)" -> 66.7, "1 234" -> 1234), None for "–"."""
    if text.startswith("–"):
        return None
    number = re.match(r"[\d\s\xa0.,]+", text).group(0).strip().replace(NBSP, "").replace(" ", "")
    number = number.replace(",", "") if language == "en" else number.replace(".", "").replace(",", ".")
    return float(number)


def test_the_swedish_page_writes_decimal_commas_percent_with_a_space_and_no_fraction(client, submit, make_user,
                                                                                     offices):
    three_cases(submit, make_user, offices)
    login(client, make_user("analyst"))
    html = client.get(f"/reports/?month={LAST_MONTH}").get_data(as_text=True)
    assert f"66,7{NBSP}% (2 av 3)" in html or f"66,7{NBSP}%" in html
    assert not re.search(r">\s*0\.\d+\s*<", html)  # no bare fraction anywhere
    assert not re.search(r"\d\.\d+\s*(%|h\b)", re.sub(r"<[^>]+>", " ", html))  # no decimal point before a unit
    assert f"h{NBSP}" not in html.split("<svg")[0] or f"{NBSP}h" in html  # hours carry their unit: "5,2 h"
    english = client.get(f"/reports/?month={LAST_MONTH}&lang=en").get_data(as_text=True)
    assert "66.7%" in english and "66,7" not in english


def test_charts_have_visible_titles_axis_labels_and_round_ticks(client, submit, make_user, offices):
    three_cases(submit, make_user, offices)
    login(client, make_user("analyst"))
    html = client.get(f"/reports/?month={LAST_MONTH}").get_data(as_text=True)
    titles = re.findall(r'<figcaption class="chart-title">([^<]+)</figcaption>', html)
    assert titles == ["Första svar per förvaltning, median", "Andel inom utlovad tid per förvaltning"]
    assert "Arbetstimmar" in html and "Klockor som stannade i tid" in html  # the axes say what they count
    assert f">25{NBSP}%<" in html and f">100{NBSP}%<" in html
    trend = client.get(f"/reports/trend?month={LAST_MONTH}").get_data(as_text=True)
    ticks = re.findall(r'text-anchor="end" font-size="\d+" fill="#1b1b1b">([\d,\s\xa0%]+)</text>', trend)
    assert ticks and all(re.fullmatch(r"\d+(\xa0%)?", t) for t in ticks), ticks  # whole numbers only


@given(st.floats(min_value=0.001, max_value=1e6, allow_nan=False))
def test_chart_ticks_are_round_and_cover_the_largest_value(largest):
    ticks = nice_ticks(largest)
    step = Fraction(str(ticks[1]))
    exponent = Fraction(10) ** (len(str(int(step))) - 1) if step >= 1 else None
    mantissas = {Fraction(1), Fraction(2), Fraction(5, 2), Fraction(5), Fraction(10)}
    if exponent is not None:
        assert step / exponent in mantissas
    else:  # a step below one: 0.2, 0.25, 0.5 …
        assert any(step * 10 ** k in mantissas for k in range(1, 8))
    assert ticks[0] == 0 and ticks[-1] >= largest * (1 - 1e-9) and len(ticks) <= 6  # (float noise below 1e-9)
    assert ticks[-2] < largest  # no empty tick above the largest value


def test_nice_ticks_for_the_trend_of_the_issue():
    assert nice_ticks(18.7) == [0, 5, 10, 15, 20]
    assert nice_ticks(9.4) == [0, 2, 4, 6, 8, 10]


def _naive_round(v: float, places: int) -> Fraction:
    """Half away from zero on the decimal the value is written as (what a reader does by hand)."""
    x = Fraction(repr(v)) * 10 ** places
    whole = int(x)
    if x - whole >= Fraction(1, 2):
        whole += 1
    return Fraction(whole, 10 ** places)


@given(st.floats(min_value=0, max_value=100000, allow_nan=False), st.sampled_from(sorted(numbers.DECIMALS)))
def test_published_rounding_matches_rounding_by_hand(v, unit):
    places = numbers.DECIMALS[unit] + (2 if unit == registry.SHARE else 0)
    got = numbers.rounded(unit, v)
    if unit == registry.COUNT:
        assert got == int(v)
        return
    assert Fraction(repr(got)) == _naive_round(v, places)


@given(st.floats(min_value=0, max_value=1, allow_nan=False))
def test_a_share_is_written_as_the_percent_of_its_rounded_value_in_both_languages(v):
    expected = Decimal(repr(v)) * 100
    expected = expected.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    assert numbers.percent(numbers.rounded(registry.SHARE, v), "en") == f"{expected}%"
    assert numbers.percent(numbers.rounded(registry.SHARE, v), "sv") == f"{str(expected).replace('.', ',')}{NBSP}%"
    assert numbers.csv_value(registry.SHARE, v, "sv") == str(expected).replace(".", ",")


def test_the_drill_down_heading_names_the_figure_in_words(client, submit, make_user, offices):
    three_cases(submit, make_user, offices)
    login(client, make_user("analyst"))
    html = client.get(f"/reports/cases?month={LAST_MONTH}&metric=breaches").get_data(as_text=True)
    heading = re.search(r"<h1>(.*?)</h1>", html, re.S).group(1)
    assert "Överskridna tider" in heading and "breaches" not in heading
    english = client.get(f"/reports/cases?month={LAST_MONTH}&metric=breaches&lang=en").get_data(as_text=True)
    assert "Breaches" in re.search(r"<h1>(.*?)</h1>", english, re.S).group(1)


def test_every_wide_report_table_scrolls_in_a_focusable_labelled_region(client, submit, make_user, offices):
    three_cases(submit, make_user, offices)
    login(client, make_user("analyst"))
    for path in (f"/reports/?month={LAST_MONTH}", f"/reports/trend?month={LAST_MONTH}",
                 f"/reports/handslaget?month={LAST_MONTH}", "/reports/snapshots",
                 f"/reports/cases?month={LAST_MONTH}&metric=received"):
        html = client.get(path).get_data(as_text=True)
        regions = re.findall(r'<div class="table-scroll"([^>]*)>', html)
        assert regions, path
        for attrs in regions:
            assert 'tabindex="0"' in attrs and 'role="region"' in attrs and 'aria-label="' in attrs, (path, attrs)


def test_handslaget_writes_targets_and_values_by_their_unit(client, submit, make_user, offices):
    three_cases(submit, make_user, offices)
    login(client, make_user("analyst"))
    html = client.get(f"/reports/handslaget?month={LAST_MONTH}").get_data(as_text=True)
    assert f"≥ 90,0{NBSP}%" in html and f"≤ 9,0{NBSP}h" in html  # not "≥ 0.9", not "≤ 9.0"
    assert f"66,7{NBSP}%" in html and "0.67" not in html


def _csv(client, lang: str):
    resp = client.get(f"/reports/export.csv?month={LAST_MONTH}&lang={lang}")
    assert resp.data.startswith(b"\xef\xbb\xbf")  # UTF-8 byte order mark: Excel reads UTF-8
    text = resp.data.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";" if lang == "sv" else ","))


def test_the_csv_read_back_in_the_pages_dialect_holds_the_pages_numbers(client, submit, make_user, offices):
    three_cases(submit, make_user, offices)
    login(client, make_user("analyst"))
    for lang in ("sv", "en"):
        rows = _csv(client, lang)
        head, total = rows[0], rows[-1]
        assert head[0] == ("Förvaltning" if lang == "sv" else "Office")
        assert total[0] == ("Totalt" if lang == "sv" else "Total")
        cells = dict(zip(head, total, strict=True))
        page = client.get(f"/reports/?month={LAST_MONTH}&lang={lang}").get_data(as_text=True)
        shown = dict(zip(registry.TABLE, total_row(page), strict=True))
        for key in registry.TABLE:
            f = registry.figure(key)
            heading = f"{f.label(lang)} (%)" if f.unit == registry.SHARE else f.label(lang)
            cell = cells[heading]
            on_page = page_number(shown[key], lang)
            if on_page is None:
                assert cell == "", key
                continue
            if lang == "sv":
                assert "." not in cell, (key, cell)  # decimal comma, no thousands separator
            as_number = float(cell.replace(",", ".")) if lang == "sv" else float(cell)
            assert as_number == on_page, (lang, key, cell, shown[key])


def test_the_workbook_has_a_sheet_per_section_a_styled_frozen_header_and_numbers_as_on_the_page(client, submit,
                                                                                               make_user, offices):
    from openpyxl import load_workbook

    three_cases(submit, make_user, offices)
    login(client, make_user("analyst"))
    wb = load_workbook(io.BytesIO(client.get(f"/reports/export.xlsx?month={LAST_MONTH}").data))
    assert wb.sheetnames == ["Per förvaltning", "Alla mått", "Klagomål per orsak", "Definitioner"]
    page = client.get(f"/reports/?month={LAST_MONTH}").get_data(as_text=True)
    shown = dict(zip(registry.TABLE, total_row(page), strict=True))
    ws = wb["Per förvaltning"]
    assert ws.freeze_panes == "B2"
    assert all(c.font.bold and c.fill.fgColor.rgb.endswith("00558C") for c in ws[1])
    assert ws.column_dimensions["A"].width >= len("Samhällsbyggnadskontoret")
    header = [c.value for c in ws[1]]
    total = {h: c for h, c in zip(header, ws[ws.max_row], strict=True)}
    assert total["Förvaltning"].value == "Totalt"
    for key in registry.TABLE:
        f = registry.figure(key)
        cell = total[f.label("sv")]
        on_page = page_number(shown[key], "sv")
        if on_page is None:
            assert cell.value is None
            continue
        assert isinstance(cell.value, int | float), (key, cell.value)  # a number, never text
        if f.unit == registry.SHARE:
            assert cell.number_format.endswith("%") and round(cell.value * 100, 1) == on_page
        else:
            assert cell.value == on_page, key
    english = load_workbook(io.BytesIO(client.get(f"/reports/export.xlsx?month={LAST_MONTH}&lang=en").data))
    assert english.sheetnames == ["Per office", "All figures", "Complaints by cause", "Definitions"]


def test_the_handslaget_csv_is_in_the_pages_language_with_values_as_on_the_page(client, submit, make_user,
                                                                                 offices):
    three_cases(submit, make_user, offices)
    login(client, make_user("analyst"))
    resp = client.get(f"/reports/handslaget.csv?month={LAST_MONTH}")
    rows = list(csv.reader(io.StringIO(resp.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Kod", "Handslag", "Åtgärdspunkt"]
    within = next(r for r in rows if r[0] == "1.1" and r[5] == LAST_MONTH)
    assert within[4] == "90,0" and within[6] == "66,7" and within[7] in ("Ur fas", "Risk")


def test_each_chart_drawing_is_shown_only_in_boxes_wide_enough_for_12_px_text():
    """caseflow.css switches a chart's drawings by its box's width (container queries); each drawing of
    web/charts.VARIANTS must appear only where its font, scaled to the box, is 12 CSS px or more. (The narrowest
    drawing's lower bound is the phone's box: tests/browser/test_chart_legibility.py measures it at 320 px.)"""
    from pathlib import Path

    from caseflow.web.charts import VARIANTS

    css = (Path(__file__).resolve().parents[2] / "caseflow" / "static" / "caseflow.css").read_text()
    bounds = [float(b) for b in re.findall(r"@container \(max-width: ([\d.]+)px\)", css)]
    assert len(bounds) == len(VARIANTS) - 1
    for (width, font), narrowest_box in zip(VARIANTS[1:], sorted(bounds), strict=True):
        assert font * narrowest_box / width >= 12, (width, font, narrowest_box)
        assert f".chart-w{width}" in css
    width, font = VARIANTS[0]
    assert font * 240 / width >= 12  # the narrowest drawing down to a 240 px box (a 320 px phone's is 262)
