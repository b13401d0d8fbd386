"""Server-side SVG charts: no JavaScript, printable. Each is a ``<figure>`` with its title visible above it (the
figcaption), axes with round ticks (0, 5, 10, 15, 20 — never 9.4 / 18.7) and a label saying what they count, and
every number written by ``web/figures.py`` in the page's language; the page has the same figures in a table."""
from __future__ import annotations

import math

from markupsafe import Markup, escape

from ..domain import figures as registry
from . import figures

COLORS = ("#00558c", "#1d6b35", "#8a4b00", "#5a2d82", "#b00020", "#4a4f55", "#006d75")
AXIS_TEXT = "#1b1b1b"
# Each chart is drawn in three widths (drawing units, font size) and the page shows the one made for its box
# (a container query in caseflow.css): an SVG is scaled to its box, so a drawing 640 units wide with 12-unit text
# is written at 5 px in a phone's 260 px box. Each drawing is shown only where its box is at least
# 12 / font × width px wide (300 -> 240 px, 460 -> 395 px, 640 -> 549 px), so no text is drawn below 12 CSS px.
VARIANTS = ((300, 15), (460, 14), (640, 14))
WIDTH = VARIANTS[-1][0]  # the drawing printed (PDF) and shown where container queries are not supported


def nice_ticks(largest: float | None, at_most: int = 5) -> list[float]:
    """Round ticks from 0 up to at least ``largest``: the step is 1, 2, 2.5 or 5 times a power of ten, and
    there are at most ``at_most`` + 1 ticks (largest 18.7 -> 0, 5, 10, 15, 20; 0.83 -> 0, 0.2 … 1)."""
    if not largest or largest <= 0:
        return [0, 1]
    raw = largest / at_most
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    n = math.ceil(largest / step - 1e-9)
    return [round(i * step, 10) for i in range(n + 1)]


def _tick_text(v: float, unit: str) -> str:
    if unit == registry.SHARE:
        return figures.percent(v, decimals=0)
    decimals = 0 if float(v).is_integer() else len(repr(float(v)).split(".")[1])
    return figures.number(v, min(decimals, 2))


def _figure(title: str, drawings: list[str], note: str = "") -> Markup:
    caption = f'<figcaption class="chart-title">{escape(title)}</figcaption>'
    tail = f'<p class="chart-note">{escape(note)}</p>' if note else ""
    return Markup(f'<figure class="chart-figure">{caption}{"".join(drawings)}{tail}</figure>')  # noqa: S704  # nosec B704 - escaped


def _svg_open(title: str, width: int, height: float) -> str:
    return (f'<svg class="chart chart-w{width}" viewBox="0 0 {width} {height:.0f}" role="img" '
            f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>')


def _text(x: float, y: float, text: str, size: int, anchor: str = "start", fill: str = AXIS_TEXT,
          extra: str = "") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" fill="{fill}"{extra}>'
            f'{escape(text)}</text>')


def bar_chart(title: str, items: list[tuple[str, float | None]], unit: str = registry.COUNT, axis_label: str = "",
              target: float | None = None, target_label: str = "", note: str = "") -> Markup:
    """Horizontal bars, one per label (the label above its bar, so a long office name has the whole width), with
    the value written at each bar's end; a value axis below with round ticks and its label; an optional dashed
    target line with its label below. A share is given as a fraction and drawn on 0–100 %."""
    values = [v for _, v in items if v is not None] + ([target] if target is not None else [])
    ticks = [0, 0.25, 0.5, 0.75, 1] if unit == registry.SHARE else nice_ticks(max(values) if values else None)
    drawings = [_bars(title, items, unit, axis_label, target, target_label, ticks, width, font)
                for width, font in VARIANTS]
    return _figure(title, drawings, note)


def _fitting_ticks(ticks: list[tuple[float, str]], font: int) -> set:
    """The ticks whose labels are written on a horizontal axis: the first and the last always (the first
    starts at its tick, the last ends at it, the rest are centred), a middle one only where it keeps a gap to
    its neighbours. Returns the indices of the ticks to label."""
    def extent(i):
        x, text = ticks[i]
        w = len(text) * font * 0.62
        return (x, x + w) if i == 0 else (x - w, x) if i == len(ticks) - 1 else (x - w / 2, x + w / 2)

    kept, last_end = [0], extent(0)[1]
    for i in range(1, len(ticks) - 1):
        start, end = extent(i)
        if start >= last_end + font * 0.6 and end + font * 0.6 <= extent(len(ticks) - 1)[0]:
            kept.append(i)
            last_end = end
    kept.append(len(ticks) - 1)
    return set(kept)


def _bars(title, items, unit, axis_label, target, target_label, ticks, width: int, font: int) -> str:
    left, right, pad = 4, round(font * 4.6), 6  # right: room for the value written after the longest bar
    bar_h, gap = round(font * 0.9), round(font * 0.6)
    row_h = font + 4 + bar_h + gap
    top = ticks[-1] or 1
    scale = (width - left - right) / top
    axis_y = pad + row_h * len(items)
    lines = [axis_y + font + 6]  # the baselines below the axis: ticks, axis label, target label
    if axis_label:
        lines.append(lines[-1] + font + 8)
    if target is not None and target_label:
        lines.append(lines[-1] + font + 8)
    parts = [_svg_open(title, width, lines[-1] + 6)]
    shown = _fitting_ticks([(left + t * scale, _tick_text(t, unit)) for t in ticks], font)
    for i, t in enumerate(ticks):
        x = left + t * scale
        anchor = "start" if i == 0 else "end" if i == len(ticks) - 1 else "middle"
        parts.append(f'<line x1="{x:.1f}" y1="{pad}" x2="{x:.1f}" y2="{axis_y}" stroke="#d5d9de"/>')
        if i in shown:
            parts.append(_text(x, lines[0], _tick_text(t, unit), font, anchor))
    for i, (label, v) in enumerate(items):
        y = pad + i * row_h
        parts.append(_text(left, y + font, label, font))
        if v is not None:
            parts.append(f'<rect x="{left}" y="{y + font + 4}" width="{max(1.0, v * scale):.1f}" height="{bar_h}" '
                         f'fill="{COLORS[0]}"/>')
        parts.append(_text(left + (v or 0) * scale + 6, y + font + 4 + bar_h - 1, figures.by_unit(unit, v), font))
    parts.append(f'<line x1="{left}" y1="{axis_y}" x2="{width - right}" y2="{axis_y}" stroke="{AXIS_TEXT}"/>')
    if axis_label:
        parts.append(_text(left + (width - left - right) / 2, lines[1], axis_label, font, "middle"))
    if target is not None:
        x = left + target * scale
        parts.append(f'<line x1="{x:.1f}" y1="{pad}" x2="{x:.1f}" y2="{axis_y}" stroke="#b00020" '
                     f'stroke-dasharray="5,4" stroke-width="2"/>')
        if target_label:
            y = lines[-1] - font * 0.35
            parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + font * 1.6:.1f}" y2="{y:.1f}" stroke="#b00020" '
                         f'stroke-dasharray="5,4" stroke-width="2"/>'
                         + _text(left + font * 2, lines[-1], target_label, font, fill="#b00020"))
    parts.append("</svg>")
    return "".join(parts)


def line_chart(title: str, labels: list[str], series: list[tuple[str, list[float | None]]],
               unit: str = registry.COUNT, axis_label: str = "", note: str = "") -> Markup:
    """One or more lines over months (``labels``, already written for the page); gaps where a value is missing.
    The value axis has round ticks (a share: 0–100 %) and its label; the legend is below, a line per series."""
    values = [v for _, vs in series for v in vs if v is not None]
    ticks = [0, 0.25, 0.5, 0.75, 1] if unit == registry.SHARE else nice_ticks(max(values) if values else None)
    return _figure(title, [_lines(title, labels, series, unit, axis_label, ticks, width, font)
                           for width, font in VARIANTS], note)


def _lines(title, labels, series, unit, axis_label, ticks, width: int, font: int) -> str:
    tick_w = max(len(_tick_text(t, unit)) for t in ticks) * font * 0.6
    month_w = max((len(lab) for lab in labels), default=0) * font * 0.62  # the latest month is centred at the end
    left, right, top_pad = round(font * 1.6 + tick_w + 8), round(max(font * 1.6, month_w / 2 + 4)), round(font * 0.8)
    plot_w, plot_h = width - left - right, round(min(200, width * 0.5))
    label_y = top_pad + plot_h + font + 6
    legend_y = label_y + font + 14
    height = legend_y + (len(series) - 1) * (font + 8) + 8
    top = ticks[-1] or 1
    step = plot_w / max(1, len(labels) - 1)
    parts = [_svg_open(title, width, height)]
    for t in ticks:
        y = top_pad + plot_h * (1 - t / top)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#d5d9de"/>')
        parts.append(_text(left - 6, y + font * 0.35, _tick_text(t, unit), font, "end"))
    if axis_label:
        middle = top_pad + plot_h / 2
        parts.append(_text(font, middle, axis_label, font, "middle",
                           extra=f' transform="rotate(-90 {font} {middle:.1f})"'))
    # as many month labels as fit with a gap between them, always the latest month
    room = max(1, int(plot_w // (month_w + font)))
    every = max(1, -(-len(labels) // room))
    for i, lab in enumerate(labels):
        if (len(labels) - 1 - i) % every == 0:
            parts.append(_text(left + i * step, label_y, lab, font, "middle"))
    for k, (name, vs) in enumerate(series):
        color = COLORS[k % len(COLORS)]
        points, path = [], []
        for i, v in enumerate(vs):
            if v is None:
                if len(path) > 1:
                    points.append(path)
                path = []
                continue
            path.append(f"{left + i * step:.1f},{top_pad + plot_h * (1 - v / top):.1f}")
        if path:
            points.append(path)
        for p in points:
            parts.append(f'<polyline fill="none" stroke="{color}" stroke-width="2.5" points="{" ".join(p)}"/>')
        for i, v in enumerate(vs):
            if v is not None:
                parts.append(f'<circle cx="{left + i * step:.1f}" cy="{top_pad + plot_h * (1 - v / top):.1f}" r="3" '
                             f'fill="{color}"/>')
        y = legend_y + k * (font + 8)
        parts.append(f'<rect x="{left}" y="{y - font * 0.4:.1f}" width="{font}" height="4" fill="{color}"/>'
                     + _text(left + font + 6, y, name, font))
    parts.append("</svg>")
    return "".join(parts)
