"""A stepper as a PDF: one page per frame, every page the same size with nodes in the same place.

Each page is the stepper's one picture (laid out once, by dot or by its
WebAssembly build) as it looks at that frame, under a band that holds the
frame's caption. fpdf2 draws each frame's SVG as vectors (viz/pdf.py), so
pip alone writes it: no system Graphviz, no cairo.

A page is the picture's own size, widened for a caption line, or
`size=(width, height)` pixels as a PNG of that size would be printed at
96 dpi: (1920, 1080) makes 16:9 slide pages of 1440 × 810 pt. There the
caption's text is a fortieth of the page's height (27 px on a 1080-line
slide) and the picture is scaled to fit under the tallest caption, the same
on every page; Stepper.save lays that picture out for the room the captions
leave (page_room), as draw(size=) lays out a slide.
"""

from pathgrad.engine.validation import RefusedValue

from ..options import Look
from ..pdf import FAMILY, document, fill_page, page_size, place_svg
from .film import Film
from .page import frame_number

_CAPTION_FONT = 12  # points, at least
_CHARACTERS = 110  # a caption line's length, in characters, on a page the picture's size
_EM = 0.55  # a character's width, as a share of the font size
_SLIDE_LINES = 40  # on a page of size=, the caption's font size is the page's height over this
_PAD = 12  # points around the captions and the picture


def stepper_pdf(shared, captions, background, text, size=None):
    """The PDF (bytes) of a stepper's Picture `shared`, a page per frame with its caption above it.

    The band for the captions is as tall as the longest caption needs on
    every page, so the pages are one size and the picture never moves.
    `size` is the page in pixels (see the module's docstring); None sizes it to the picture.
    """
    from fpdf.svg import svgcolor

    film = Film(shared)
    width, height = film.size
    pdf, font, wrapped, (page_width, page_height, band) = _pages(captions, size, width)
    if size is None:
        scale, page_height = 1.0, band + height + _PAD
    else:
        room_width, room_height = page_width - 2 * _PAD, page_height - band - _PAD
        scale = min(room_width / width, room_height / height)
    line = font * 1.3
    left, top = (page_width - width * scale) / 2, (band + page_height - _PAD - height * scale) / 2
    for i in film:
        pdf.add_page(format=(page_width, page_height))
        fill_page(pdf, background)
        pdf.set_text_color(svgcolor(text))
        for k, words in enumerate(wrapped[i]):
            pdf.text(_PAD, _PAD + font + k * line, words)
        place_svg(pdf, film.whole(), left, top, width * scale, height * scale)
    return bytes(pdf.output())


def page_room(captions, size):
    """(width, height) in points the picture has on a page of `size` pixels under these captions
    (the frames', unnumbered): the page less the caption band and the margins. Refuses a size that
    leaves no room.

    >>> [round(v) for v in page_room(["short"], (1920, 1080))]  # 1440 × 810 pt less one 20 pt caption line
    [1416, 748]
    """
    _, _, _, (page_width, page_height, band) = _pages(captions, size)
    return page_width - 2 * _PAD, page_height - band - _PAD


def _pages(captions, size, width=None):
    """(document, caption font size, each frame's caption lines, (page width, page height, caption band))
    for pages of `size` pixels (None: fitted to a picture `width` points wide; its height is then None)."""
    if size is not None:
        size = Look("Stepper.save", size=size).size  # checked as save()'s size= for a PNG
    count = len(captions)
    pdf = document()
    page_height = None
    if size is None:
        # The caption's text grows with a wide picture, up to twice the nodes' size.
        font = min(2 * _CAPTION_FONT, max(_CAPTION_FONT, width / (_CHARACTERS * _EM)))
        page_width = max(width, _CHARACTERS * font * _EM) + 2 * _PAD
    else:
        page_width, page_height = page_size(size)
        font = max(_CAPTION_FONT, page_height / _SLIDE_LINES)
    pdf.set_font(FAMILY, size=font)
    wrapped = [_wrap(pdf, f"{frame_number(i, count)}. {caption}", page_width - 2 * _PAD)
               for i, caption in enumerate(captions)]
    band = font * 1.3 * max(map(len, wrapped)) + 2 * _PAD
    if size is not None and page_height - band - _PAD <= 0:
        raise RefusedValue(f"Stepper.save: size={size!r} leaves no room for the picture under its "
                           f"{max(map(len, wrapped))}-line captions; use a larger size", option="size")
    return pdf, font, wrapped, (page_width, page_height, band)


def _wrap(pdf, text, width):
    """text's lines, broken between words, each at most `width` points wide in pdf's current font."""
    lines = []
    for word in text.split():
        if lines and pdf.get_string_width(f"{lines[-1]} {word}") <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines or [""]
