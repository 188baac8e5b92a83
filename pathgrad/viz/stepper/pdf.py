"""A stepper as a PDF: one page per frame, every page the same size with nodes in the same place.

Each page is the stepper's one picture (laid out once by dot) as it looks at
that frame, under a band that holds the frame's caption; cairosvg makes each
page's SVG a PDF, and `join` makes the pages one document with no PDF library. Graphviz's PDFs (written by cairo) are plain numbered objects, so
joining them means renumbering each document's objects, pointing every page
at one shared page tree, and writing a new cross-reference table. Streams
are copied byte for byte.
"""

import re
import textwrap

from .page import frame_number
from .film import Film

_CAPTION_FONT = 12  # points, at least
_CHARACTERS = 110  # a caption line's length at most, in characters
_EM = 0.55  # a character's width, as a share of the font size
_SIZE = re.compile(r'width="[\d.]+pt" height="[\d.]+pt"')

_OBJECT = re.compile(rb"(\d+) 0 obj\b(.*?)endobj", re.S)
_REFERENCE = re.compile(rb"(\d+) 0 R\b")
_PAGE = re.compile(rb"/Type\s*/Page\b(?!s)")
_PAGES, _CATALOG = 1, 2  # the joined document's page tree and catalog


def stepper_pdf(shared, captions, background, text):
    """The PDF (bytes) of a stepper's Picture `shared`, a page per frame with its caption above it.

    The band for the captions is as tall as the longest caption needs on
    every page, so the pages are one size and the picture never moves.
    """
    try:
        import cairosvg
    except ImportError:
        raise ImportError(
            "Stepper.save: a .pdf needs cairosvg, which is not installed; install it with "
            "`pip install 'pathgrad[pdf]'` (or `pip install cairosvg`), or save the stepper as .html"
        ) from None
    count = len(captions)
    wrapped = [textwrap.wrap(f"{frame_number(i, count)}. {caption}", _CHARACTERS) for i, caption in enumerate(captions)]
    film = Film(shared)
    width, height = film.size
    # The caption's text grows with a wide picture, up to twice the nodes' size.
    font = min(2 * _CAPTION_FONT, max(_CAPTION_FONT, width / (_CHARACTERS * _EM)))
    width = max(width, _CHARACTERS * font * _EM + 24)  # room for a full caption line
    line = font * 4 / 3
    band = line * (max(map(len, wrapped)) + 1)
    pages = []
    for i in film:
        lines = "".join(
            f'<text x="12" y="{line * (k + 1):.1f}" font-size="{font:.1f}" fill="{text}">{_escape(words)}</text>'
            for k, words in enumerate(wrapped[i])
        )
        # The picture at its own size in the page's points (a nested width in pt would scale it by 4/3).
        picture = _SIZE.sub(f'x="{(width - film.size[0]) / 2:.2f}" y="{band:.2f}" width="{film.size[0]:.2f}" '
                            f'height="{height:.2f}"', film.whole(), count=1)
        page = (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.2f}pt" height="{band + height:.2f}pt" '
            f'viewBox="0 0 {width:.2f} {band + height:.2f}" font-family="Helvetica,Arial,sans-serif">'
            f'<rect width="100%" height="100%" fill="{background}"/>{lines}{picture}</svg>'
        )
        pages.append(cairosvg.svg2pdf(bytestring=page.encode("utf-8")))
    return join(pages)


def _escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def join(documents):
    """The PDF documents (bytes) as one document whose pages are theirs, in order.

    >>> from pathgrad.viz.dot import run_graphviz
    >>> joined = join([run_graphviz("digraph { a }", "pdf"), run_graphviz("digraph { b }", "pdf")])
    >>> joined.startswith(b"%PDF-"), b"/Count 2" in joined
    (True, True)
    """
    bodies, pages = {}, []
    number = _CATALOG
    for document in documents:
        found = [(int(n), body) for n, body in _OBJECT.findall(document)]
        tree = {n for n, body in found if b"/Type /Pages" in body or b"/Type /Catalog" in body}
        renumber = {}
        for n, _ in found:
            if n in tree:
                renumber[n] = _PAGES
            else:
                number += 1
                renumber[n] = number
        for n, body in found:
            if n in tree:
                continue
            head, stream, data = body.partition(b"stream\n")
            head = _REFERENCE.sub(lambda m: b"%d 0 R" % renumber.get(int(m[1]), _PAGES), head)
            bodies[renumber[n]] = head + stream + data
            if _PAGE.search(head):
                pages.append(renumber[n])
    kids = b" ".join(b"%d 0 R" % page for page in pages)
    bodies[_PAGES] = b"<< /Type /Pages /Kids [ %s ] /Count %d >>\n" % (kids, len(pages))
    bodies[_CATALOG] = b"<< /Type /Catalog /Pages %d 0 R >>\n" % _PAGES
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for n in sorted(bodies):
        offsets[n] = len(out)
        out += b"%d 0 obj\n" % n + bodies[n].strip(b"\n") + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    out += b"".join(b"%010d 00000 n \n" % offsets[n] for n in range(1, len(bodies) + 1))
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(bodies) + 1, _CATALOG, xref)
    return bytes(out)
