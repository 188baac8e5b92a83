"""PDF with pip alone: Graphviz's SVG drawn as vectors by fpdf2, with no system Graphviz and no cairo.

A drawing without `dot`, every stepper and every worksheet become PDF here.
The SVG is dot's where dot is installed, else that of Graphviz's WebAssembly
build (wasm.py); fpdf2, a pure-Python library made for writing PDF, draws
its paths, polygons, ellipses and text as vectors, so a page prints sharp
at any size. fpdf2 and what it needs (fontTools, Pillow, defusedxml) come as
wheels for Linux, macOS and Windows, so `pip install pathgrad` is enough.

One font is shipped. Graphviz measures text with Helvetica's widths, but a
PDF's built-in Helvetica holds only Latin-1: no ∂ or →, which every
derivative and caption has. DejaVu Sans Condensed, cut down to the scripts
and symbols labels use (fonts/, about 190 KB, a free licence), is within 3 %
of Helvetica's widths, so text stays inside the boxes dot drew for it; fpdf2
embeds only the glyphs a document uses.

>>> from pathgrad.viz.dot import run_graphviz
>>> svg = run_graphviz('digraph { a [label="∂e/∂a"] }', "svg").decode("utf-8")
>>> svg_pdf(svg)[:5]
b'%PDF-'
"""

import io
import os
import re

PT_PER_PX = 0.75  # a CSS pixel, in points: a page `size=(1920, 1080)` px is 1440 × 810 pt
FAMILY = "pathgrad-sans"  # the shipped font, by the name the pages use
FONT_FILE = os.path.join(os.path.dirname(__file__), "fonts", "DejaVuSansCondensed-subset.ttf")

_FONT_FAMILY = re.compile(r'font-family="[^"]*"')
_UNDRAWN = re.compile(r"<title>[^<]*</title>|<a\b[^>]*>|</a>")  # tooltips and links: nothing on paper


def document():
    """A new fpdf2 document measured in points, with no margins or automatic page breaks, in FAMILY."""
    try:
        from fpdf import FPDF
    except ImportError:  # a dependency of pathgrad, unless removed by hand
        raise ImportError("writing a PDF needs fpdf2, a dependency of pathgrad; install it: pip install fpdf2") from None
    pdf = FPDF(unit="pt")
    pdf.set_margin(0)
    pdf.set_auto_page_break(False)
    pdf.add_font(FAMILY, fname=FONT_FILE)
    pdf.set_font(FAMILY, size=12)
    return pdf


def place_svg(pdf, svg, x, y, width, height):
    """Draw Graphviz's `svg` on pdf's current page in the box (x, y, width, height), in points."""
    readable = _UNDRAWN.sub("", _FONT_FAMILY.sub(f'font-family="{FAMILY}"', svg))
    readable = readable.replace('"transparent"', '"none"')  # a colour SVG 1.1 and fpdf2 do not know
    pdf.image(io.BytesIO(readable.encode("utf-8")), x=x, y=y, w=width, h=height)


def fill_page(pdf, colour):
    """Paint pdf's current page `colour` (an SVG colour: a name or #rrggbb) to its edges."""
    from fpdf.svg import svgcolor

    pdf.set_fill_color(svgcolor(colour))
    pdf.rect(0, 0, pdf.w, pdf.h, style="F")


def page_size(size):
    """The page of a `size=(width, height)` in pixels, in points: a PNG of that size printed at 96 dpi.

    >>> page_size((1920, 1080))
    (1440.0, 810.0)
    """
    return size[0] * PT_PER_PX, size[1] * PT_PER_PX


def svg_pdf(svg, background=None, size=None):
    """A one-page PDF (bytes) of Graphviz's `svg`: the page its size, or `size` pixels with it fitted and centred."""
    from .plan import svg_size

    width, height = svg_size(svg)
    page = (width, height) if size is None else page_size(size)
    scale = min(page[0] / width, page[1] / height)
    pdf = document()
    pdf.add_page(format=page)
    if background:
        fill_page(pdf, background)
    place_svg(pdf, svg, (page[0] - width * scale) / 2, (page[1] - height * scale) / 2, width * scale, height * scale)
    return bytes(pdf.output())
