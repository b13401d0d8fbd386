"""Server-side SVG charts: no JavaScript, printable. Each is a ``<figure>`` with its title visible above it (the
figcaption), axes with round ticks (0, 5, 10, 15, 20 — never 9.4 / 18.7) and a label saying what they count, and
every number written by ``web/figures.py`` in the page's language; the page has the same figures in a table."""
from __future__ import annotations

import math

from markupsafe import Markup, escape

from ..domain import figures as registry
from . import figures

WIDTH = 640
COLORS = ("#00558c", "#1d6b35", "#8a4b00", "#5a2d82", "#b00020", "#4a4f55", "#006d75")
AXIS_TEXT = "#1b1b1b"


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


def _figure(title: str, svg: list[str], note: str = "") -> Markup:
    caption = f'<figcaption class="chart-title">{escape(title)}</figcaption>'
    tail = f'<p class="chart-note">{escape(note)}</p>' if note else ""
    return Markup(f'<figure class="chart-figure">{caption}{"".join(svg)}{tail}</figure>')  # noqa: S704  # nosec B704 - escaped


def bar_chart(title: str, items: list[tuple[str, float | None]], unit: str = registry.COUNT, axis_label: str = "",
              target: float | None = None, target_label: str = "", note: str = "") -> Markup:
    """Horizontal bars, one per label, with the value written at each bar's end; a value axis below with round
    ticks and its label; an optional dashed target line. A share is given as a fraction and drawn on 0–100 %."""
    row_h, left, right, top_pad = 28, 230, 80, 8
    values = [v for _, v in items if v is not None] + ([target] if target is not None else [])
    ticks = [0, 0.25, 0.5, 0.75, 1] if unit == registry.SHARE else nice_ticks(max(values) if values else None)
    top = ticks[-1] or 1
    scale = (WIDTH - left - right) / top
    axis_y = top_pad + row_h * len(items) + 4
    height = axis_y + 54
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(title)}" '
             f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>']
    for t in ticks:
        x = left + t * scale
        parts.append(f'<line x1="{x:.1f}" y1="{top_pad}" x2="{x:.1f}" y2="{axis_y}" stroke="#d5d9de"/>'
                     f'<text x="{x:.1f}" y="{axis_y + 16}" text-anchor="middle" font-size="12" fill="{AXIS_TEXT}">'
                     f'{escape(_tick_text(t, unit))}</text>')
    for i, (label, v) in enumerate(items):
        y = top_pad + i * row_h
        parts.append(f'<text x="{left - 8}" y="{y + 17}" text-anchor="end" font-size="13" fill="{AXIS_TEXT}">'
                     f'{escape(label)}</text>')
        if v is not None:
            parts.append(f'<rect x="{left}" y="{y + 4}" width="{max(1.0, v * scale):.1f}" height="{row_h - 10}" '
                         f'fill="{COLORS[0]}"/>')
        parts.append(f'<text x="{left + (v or 0) * scale + 6:.1f}" y="{y + 17}" font-size="13" fill="{AXIS_TEXT}">'
                     f'{escape(figures.by_unit(unit, v))}</text>')
    parts.append(f'<line x1="{left}" y1="{axis_y}" x2="{WIDTH - right}" y2="{axis_y}" stroke="{AXIS_TEXT}"/>')
    if axis_label:
        parts.append(f'<text x="{left + (WIDTH - left - right) / 2:.1f}" y="{axis_y + 36}" text-anchor="middle" '
                     f'font-size="12" fill="{AXIS_TEXT}">{escape(axis_label)}</text>')
    if target is not None:
        x = left + target * scale
        parts.append(f'<line x1="{x:.1f}" y1="{top_pad}" x2="{x:.1f}" y2="{axis_y}" stroke="#b00020" '
                     f'stroke-dasharray="5,4" stroke-width="2"/>')
        parts.append(f'<text x="{WIDTH - right + 76}" y="{axis_y + 52}" text-anchor="end" font-size="12" '
                     f'fill="#b00020">{escape(target_label)}</text>')
    parts.append("</svg>")
    return _figure(title, parts, note)


def line_chart(title: str, labels: list[str], series: list[tuple[str, list[float | None]]],
               unit: str = registry.COUNT, axis_label: str = "", note: str = "") -> Markup:
    """One or more lines over months (``labels``, already written for the page); gaps where a value is missing.
    The value axis has round ticks (a share: 0–100 %) and its label; the legend is below."""
    left, right, top_pad, bottom = 64, 20, 16, 64
    height = 280
    values = [v for _, vs in series for v in vs if v is not None]
    ticks = [0, 0.25, 0.5, 0.75, 1] if unit == registry.SHARE else nice_ticks(max(values) if values else None)
    top = ticks[-1] or 1
    plot_w, plot_h = WIDTH - left - right, height - top_pad - bottom
    step = plot_w / max(1, len(labels) - 1)
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(title)}" '
             f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>']
    for t in ticks:
        y = top_pad + plot_h * (1 - t / top)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{WIDTH - right}" y2="{y:.1f}" stroke="#d5d9de"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="12" fill="{AXIS_TEXT}">'
                     f'{escape(_tick_text(t, unit))}</text>')
    if axis_label:
        parts.append(f'<text x="14" y="{top_pad + plot_h / 2:.1f}" text-anchor="middle" font-size="12" '
                     f'fill="{AXIS_TEXT}" transform="rotate(-90 14 {top_pad + plot_h / 2:.1f})">'
                     f'{escape(axis_label)}</text>')
    every = 1 if len(labels) <= 7 else 2  # every other month when twelve would crowd
    for i, lab in enumerate(labels):
        if (len(labels) - 1 - i) % every == 0:
            parts.append(f'<text x="{left + i * step:.1f}" y="{height - bottom + 18}" text-anchor="middle" '
                         f'font-size="12" fill="{AXIS_TEXT}">{escape(lab)}</text>')
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
        parts.append(f'<rect x="{left + k * 190}" y="{height - 24}" width="14" height="4" fill="{color}"/>'
                     f'<text x="{left + k * 190 + 20}" y="{height - 18}" font-size="12" fill="{AXIS_TEXT}">'
                     f'{escape(name)}</text>')
    parts.append("</svg>")
    return _figure(title, parts, note)
