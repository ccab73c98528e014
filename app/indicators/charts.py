"""Small server-side SVG charts (no JavaScript, no network): the four-quarter trend."""

from __future__ import annotations

from markupsafe import Markup, escape

WIDTH, HEIGHT, TOP, BOTTOM = 168, 64, 6, 16


def percent(value: float | None) -> str:
    """A rate as text: 83.3%, or — when there is nothing to count."""
    return "—" if value is None else f"{value * 100:.1f}%"


def trend_svg(
    points: list[tuple[str, float | None, bool | None]], target: float, title: str
) -> Markup:
    """Bars for (label, rate, met) with a dashed target line; the values are also in the text."""
    n = max(len(points), 1)
    slot = WIDTH / n
    plot = HEIGHT - TOP - BOTTOM
    parts = []
    for i, (label, value, met) in enumerate(points):
        x = i * slot + slot * 0.2
        h = 0 if value is None else max(1.0, min(value, 1.0) * plot)
        cls = "bar-none" if met is None else ("bar-ok" if met else "bar-bad")
        parts.append(
            f'<rect class="{cls}" x="{x:.1f}" y="{TOP + plot - h:.1f}" width="{slot * 0.6:.1f}" '
            f'height="{h:.1f}"><title>{escape(label)}: {percent(value)}</title></rect>'
            f'<text x="{x + slot * 0.3:.1f}" y="{HEIGHT - 3}" text-anchor="middle">{escape(label)}</text>'
        )
    y_target = TOP + plot - min(target, 1.0) * plot
    summary = "; ".join(f"{label} {percent(value)}" for label, value, _ in points)
    return Markup(
        f'<svg class="trend" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'role="img" aria-label="{escape(title)}: {escape(summary)}">'
        f'<line class="axis" x1="0" y1="{TOP + plot}" x2="{WIDTH}" y2="{TOP + plot}"/>'
        + "".join(parts)
        + f'<line class="target" x1="0" y1="{y_target:.1f}" x2="{WIDTH}" y2="{y_target:.1f}"/>'
        "</svg>"
    )
