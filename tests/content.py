"""What an output file holds, read back: an SVG's texts, a PDF's pages and their text, a PNG's size.

Content checks, not magic bytes: a blank page or an empty picture fails them.
"""

import struct
import xml.etree.ElementTree as ElementTree

SVG = "{http://www.w3.org/2000/svg}"


def svg_texts(path):
    """The text of every <text> element of the SVG file at `path`, in document order."""
    root = ElementTree.parse(path).getroot()
    assert root.tag == f"{SVG}svg", root.tag
    return ["".join(element.itertext()) for element in root.iter(f"{SVG}text")]


def pdf_pages(path):
    """[(width, height) in points, text] for each page of the PDF at `path` (read with pypdf)."""
    import pypdf

    pages = pypdf.PdfReader(str(path)).pages
    return [((round(float(page.mediabox.width)), round(float(page.mediabox.height))),
             page.extract_text().replace("\xa0", " ")) for page in pages]


def png_size(path):
    """(width, height) in pixels of the PNG at `path`, read from its header."""
    data = open(path, "rb").read(24)
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", data[:16]
    return struct.unpack(">II", data[16:24])
