"""Server-side SVG charts: no JavaScript, printable, each with a title and a data table beside it."""
from __future__ import annotations

from markupsafe import Markup, escape

WIDTH = 640
COLORS = ("#00558c", "#1d6b35", "#8a4b00", "#5a2d82", "#b00020", "#4a4f55", "#006d75")


def _fmt(v, unit: str = "") -> str:
    """A value with one decimal in the page's number format (decimal comma in Swedish)."""
    from .figures import number

    if v is None:
        return "–"
    return f"{number(v, 1) if isinstance(v, float) else v}{unit}"


def bar_chart(title: str, items: list[tuple[str, float | None]], unit: str = "", target: float | None = None,
              target_label: str = "") -> Markup:
    """Horizontal bars, one per label; an optional dashed target line."""
    row_h, left, right = 28, 230, 70
    values = [v for _, v in items if v is not None] + ([target] if target is not None else [])
    top = max(values) if values else 1
    scale = (WIDTH - left - right) / (top or 1)
    height = row_h * len(items) + 40
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(title)}" '
             f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>']
    for i, (label, v) in enumerate(items):
        y = 10 + i * row_h
        parts.append(f'<text x="{left - 8}" y="{y + 17}" text-anchor="end" font-size="13">{escape(label)}</text>')
        if v is not None:
            w = max(1.0, v * scale)
            parts.append(f'<rect x="{left}" y="{y + 4}" width="{w:.1f}" height="{row_h - 10}" fill="{COLORS[0]}"/>')
        parts.append(f'<text x="{left + (v or 0) * scale + 6:.1f}" y="{y + 17}" font-size="13">'
                     f'{escape(_fmt(v, unit))}</text>')
    if target is not None:
        x = left + target * scale
        parts.append(f'<line x1="{x:.1f}" y1="4" x2="{x:.1f}" y2="{height - 24}" stroke="#b00020" '
                     f'stroke-dasharray="5,4" stroke-width="2"/>')
        parts.append(f'<text x="{x:.1f}" y="{height - 8}" text-anchor="middle" font-size="12" fill="#b00020">'
                     f'{escape(target_label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  # nosec B704 - every text above went through escape()


def line_chart(title: str, labels: list[str], series: list[tuple[str, list[float | None]]],
               as_percent: bool = False) -> Markup:
    """One or more lines over months; gaps where a value is missing. Legend below."""
    left, right, top_pad, bottom = 50, 20, 16, 60
    height = 260
    values = [v for _, vs in series for v in vs if v is not None]
    top = max(values) if values else 1
    top = 1 if as_percent else (top * 1.1 or 1)
    plot_w, plot_h = WIDTH - left - right, height - top_pad - bottom
    step = plot_w / max(1, len(labels) - 1)
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(title)}" '
             f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>']
    for frac in (0, 0.5, 1):
        y = top_pad + plot_h * (1 - frac)
        label = f"{round(frac * 100)} %" if as_percent else _fmt(round(top * frac, 1))
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{WIDTH - right}" y2="{y:.1f}" stroke="#d5d9de"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">{escape(label)}</text>')
    for i, lab in enumerate(labels):
        parts.append(f'<text x="{left + i * step:.1f}" y="{height - bottom + 18}" text-anchor="middle" '
                     f'font-size="11">{escape(lab[2:])}</text>')
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
        parts.append(f'<rect x="{left + k * 200}" y="{height - 24}" width="14" height="4" fill="{color}"/>'
                     f'<text x="{left + k * 200 + 20}" y="{height - 18}" font-size="12">{escape(name)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  # nosec B704 - every text above went through escape()
