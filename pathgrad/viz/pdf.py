"""Several PDF documents as one, a page after another, with no PDF library.

dot renders one PDF per graph; a stepper's storyboard is one PDF with a page
per frame. Graphviz's PDFs (written by cairo) are plain numbered objects, so
joining them means renumbering each document's objects, pointing every page
at one shared page tree, and writing a new cross-reference table. Streams
are copied byte for byte.
"""

import re

_OBJECT = re.compile(rb"(\d+) 0 obj\b(.*?)endobj", re.S)
_REFERENCE = re.compile(rb"(\d+) 0 R\b")
_PAGE = re.compile(rb"/Type\s*/Page\b(?!s)")
_PAGES, _CATALOG = 1, 2  # the joined document's page tree and catalog


def join(documents):
    """The PDF documents (bytes) as one document whose pages are theirs, in order.

    >>> from pathgrad.viz.render import pipe
    >>> joined = join([pipe("digraph { a }", "pdf"), pipe("digraph { b }", "pdf")])
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
