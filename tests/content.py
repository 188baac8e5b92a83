"""What an output file holds, read back: an SVG's texts, a PDF's pages and their text, a PNG's size.

Content checks, not magic bytes: a blank page or an empty picture fails them.
"""

import re
import struct
import subprocess
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


def pdf_words(path, page=1):
    """[(word, x, y, width, height)] in points of each word on a page of the PDF at `path`, by poppler's pdftotext -bbox."""
    out = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(path), "-"],
                         capture_output=True, text=True, check=True).stdout
    found = re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', out)
    return [(word.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"), float(x0), float(y0),
             float(x1) - float(x0), float(y1) - float(y0)) for x0, y0, x1, y1, word in found]


def pdf_ink(path, page=1):
    """The share of a PDF page's pixels that are not its background's, rendered by poppler's pdftoppm at 20 dpi."""
    pgm = subprocess.run(["pdftoppm", "-r", "20", "-gray", "-f", str(page), "-l", str(page), str(path)],
                         capture_output=True, check=True).stdout
    header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+255\s", pgm)
    pixels = pgm[header.end():]
    background = max(set(pixels), key=pixels.count)
    return sum(1 for p in pixels if abs(p - background) > 40) / len(pixels)
