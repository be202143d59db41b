"""Draw the app's PNG icons from one SVG, in Chromium (run once; the PNGs are committed).

    .venv/bin/python scripts/make_icons.py

Browsers ask for 192 and 512 pixel icons in the web app manifest, a "maskable" one whose picture
keeps inside the central 80% circle (Android crops it to its own shape), and iOS for a 180 pixel
apple-touch-icon.
"""

from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import sync_playwright

ICONS = Path(__file__).resolve().parent.parent / "static" / "icons"
COLOUR = "#b34a00"


def svg(size: int, *, rounded: bool, scale: float) -> str:
    """The favicon's lambda on the brand colour; `scale` is the glyph's share of the square."""
    radius = size * 0.1875 if rounded else 0
    font = size * scale
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
        f'viewBox="0 0 {size} {size}"><rect width="{size}" height="{size}" rx="{radius}" '
        f'fill="{COLOUR}"/><text x="50%" y="50%" dominant-baseline="central" '
        f'text-anchor="middle" font-size="{font}" fill="#fff" '
        f'font-family="DejaVu Sans, sans-serif">λ</text></svg>'
    )


def main() -> None:
    ICONS.mkdir(parents=True, exist_ok=True)
    wanted = {
        "icon-192.png": (192, True, 0.62),
        "icon-512.png": (512, True, 0.62),
        "maskable-512.png": (512, False, 0.45),  # the glyph stays inside the safe zone
        "apple-touch-icon.png": (180, False, 0.62),  # iOS rounds the corners itself
    }
    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        for name, (size, rounded, scale) in wanted.items():
            page = browser.new_page(viewport={"width": size, "height": size})
            page.set_content(
                "<style>html,body{margin:0;background:transparent}</style>"
                + svg(size, rounded=rounded, scale=scale)
            )
            page.screenshot(path=str(ICONS / name), omit_background=True)
            page.close()
            print(ICONS / name)
        browser.close()


if __name__ == "__main__":
    main()
