"""The compiled core (engine/_core.c) against value.py, the pure engine it stands in for.

On random graphs both engines give the same bits for every node's data, grad
and local grads, the same op names, and the same refusals with the same
messages. Nodes are invisible to the garbage collector, except where a grad
that is a Value, a str-subclass label or a subclass's __dict__ can close a
cycle; such cycles are still freed (more in test_core_cycles.py).
"""

import contextlib
import copy
import gc
import importlib.util
import operator
import math
import os
import pickle
import shutil
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pathgrad.engine
import pathgrad.engine.value as value
from pathgrad.engine import compiled, operators, ops

core = compiled.core
needs_core = pytest.mark.skipif(core is None, reason="the compiled core is not in use (not built, or PATHGRAD_PURE=1)")


def load_pure_engine():
    """A second, independent copy of the engine package with the core switched off: the reference.

    Loaded from the same files under another name, it has its own table, Value
    and grad mode, and changes nothing of the engine in use.
    """
    here = os.path.dirname(value.__file__)
    spec = importlib.util.spec_from_file_location(
        "pathgrad._pure_engine", os.path.join(here, "__init__.py"), submodule_search_locations=[here]
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    before = os.environ.get("PATHGRAD_PURE")
    os.environ["PATHGRAD_PURE"] = "1"
    try:
        spec.loader.exec_module(module)
    finally:
        if before is None:
            del os.environ["PATHGRAD_PURE"]
        else:
            os.environ["PATHGRAD_PURE"] = before
    assert module.ENGINE == "pure"
    module.row_functions = {rule: twin.function for rule, twin in zip(ops.TABLE, module.ops.TABLE)}
    return module


engine = pathgrad.engine  # the engine in use: the compiled core, when this file's tests run
pure = load_pure_engine() if core else engine


def test_the_core_is_in_use_exactly_when_built_and_not_switched_off():
    built = any(name.startswith("_core.") and name.endswith(".so") for name in os.listdir(os.path.dirname(value.__file__)))
    wanted = os.environ.get("PATHGRAD_PURE", "").lower() not in ("1", "true", "yes")
    assert (core is not None) == (built and wanted)
    assert compiled.ENGINE == ("compiled" if core else "pure")
    backward = type(vars(value.Value)["backward"]).__name__
    assert backward == ("method_descriptor" if core else "function")


@needs_core
def test_nodes_are_invisible_to_the_garbage_collector():
    a, b = value.Value(2.0), value.Value(3.0)
    y = (a * b + 1).tanh()
    assert not any(gc.is_tracked(node) for node in (a, b, y))
    assert value.Value.__name__ == "Value" and value.Value.__module__ == "pathgrad.engine.value"


@needs_core
def test_a_binary_node_is_one_allocation_of_120_bytes():
    # 72 bytes of fields, two edges of 16 (child, local grad), the collector's 16-byte header:
    # micrograd's node with its set, closure and float is 744 bytes in bench/.
    node = value.Value(2.0) * value.Value(3.0)
    assert sys.getsizeof(node) == 120
    assert sys.getsizeof(value.Value(1.0)) == 88


@needs_core
def test_a_value_grad_tracks_its_node_and_the_cycle_it_closes_is_freed():
    gc.collect()
    before = core.node_count()
    x = value.Value(3.0)
    y = x * x
    x.grad = y  # x -> y -> x: a cycle through two nodes
    assert gc.is_tracked(x) and gc.is_tracked(y)
    del x, y
    assert core.node_count() == before + 2  # reference counting alone cannot free a cycle
    gc.collect()
    assert core.node_count() == before


@needs_core
def test_a_value_grad_on_a_node_tracked_before_is_tracked_too():
    gc.collect()
    before = core.node_count()
    x = value.Value(3.0)
    x.label = Name("tracks x")
    y = x * 2.0
    x.grad = y
    assert gc.is_tracked(y)
    del x, y
    gc.collect()
    assert core.node_count() == before


class Name(str):
    """A label may be a str of a derived class, whose attributes can hold its node."""


@needs_core

def test_a_label_of_a_str_subclass_tracks_its_node_and_its_cycle_is_freed():
    gc.collect()
    before = core.node_count()
    x = value.Value(1.0)
    x.label = Name("x")
    x.label.node = x
    assert gc.is_tracked(x)
    del x
    gc.collect()
    assert core.node_count() == before


@needs_core
def test_a_million_node_chain_is_freed_without_recursion():
    before = core.node_count()
    y = value.Value(1.0)
    for _ in range(1_000_000):
        y = y * 1.0
    assert core.node_count() >= before + 2_000_000  # each step: a constant leaf and a product
    del y
    assert core.node_count() == before


@needs_core
def test_the_compiled_topological_order_is_graph_py_s_order():
    from pathgrad.engine.graph import topological_order

    a, b = value.Value(2.0, "a"), value.Value(1.0, "b")
    c = a + b
    e = c * (b + 1) + c.exp() * a
    assert core.topological_order(e) == topological_order(e)


# Random graphs, built step by step on both engines from the rows of ops.TABLE.
# Each step names a row and earlier nodes (or numbers), so nodes are shared and
# some steps are refused. The rows are read from the table: a new row is tested.
NUMBERS = st.one_of(
    st.sampled_from([0.0, 1.0, -1.0, 2.0, 0.5, -0.5, 3, -2, 710.0, 1e300, -1e-300]),
    st.floats(-5, 5, allow_nan=False),
)
ROWS = list(ops.TABLE)
BINARY_SYMBOLS = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
                  "**": operator.pow}


def parameters(rule):
    """Numbers to bind a parametric row to: its example's, and a few more."""
    return st.sampled_from([rule.example[-1], 2, 3, 0, 1, -1, 0.5, -0.5, 2.5, 1e3])


def operand_count(rule):
    return rule.arity or len(rule.example)


def row_functions(engine):
    """What each row is called through on `engine` (x.tanh, maximum, sum)."""
    return getattr(engine, "row_functions", None) or {rule: rule.function for rule in ops.TABLE}


def apply_row(engine, rule, operands, parameter=None):
    """The row applied to `operands` on `engine`, as a learner writes it (ops.written)."""
    if rule.symbol and rule.arity == 2:
        return BINARY_SYMBOLS[rule.symbol](*operands)
    if rule.symbol == "**":
        return operands[0] ** parameter
    if rule.symbol == "-":
        return -operands[0]
    if rule.arity == 1:
        method = getattr(operands[0], rule.name)
        return method() if rule.parameter is None else method(parameter)
    function = row_functions(engine)[rule]
    return function(*operands) if rule.arity else function(list(operands))


@st.composite
def programs(draw):
    inputs = draw(st.lists(NUMBERS, min_size=1, max_size=3))
    steps = []
    for i in range(draw(st.integers(1, 12))):
        n = len(inputs) + i
        node = st.integers(0, n - 1)
        kind = draw(st.sampled_from(["row", "row", "row", "number_left", "number_right", "wsum"]))
        if kind == "row":
            rule = draw(st.sampled_from(ROWS))
            count = operand_count(rule) if rule.arity else draw(st.integers(1, 4)) * 2 + 1
            parameter = draw(parameters(rule)) if rule.parameter else None
            steps.append((kind, ROWS.index(rule), [draw(node) for _ in range(count)], parameter))
        elif kind in ("number_left", "number_right"):
            steps.append((kind, draw(st.sampled_from(list(BINARY_SYMBOLS))), draw(node), draw(NUMBERS)))
        else:
            bias = draw(st.one_of(st.tuples(st.just("node"), node), st.tuples(st.just("number"), NUMBERS)))
            steps.append((kind, draw(st.lists(node, min_size=1, max_size=4)), bias))
    return inputs, steps


def run(engine, program, context="none"):
    """Every node's (op, data, local grads, scope) or the refusal, then every grad after backward."""
    inputs, steps = program
    block = {"none": contextlib.nullcontext, "no_grad": engine.no_grad, "scope": lambda: engine.scope("s")}
    with block[context]():
        return build_and_backward(engine, inputs, steps)


def build_and_backward(engine, inputs, steps):
    nodes = [engine.Value(x) for x in inputs]
    record = []
    for step in steps:
        kind = step[0]
        try:
            if kind == "row":
                out = apply_row(engine, ROWS[step[1]], [nodes[i] for i in step[2]], step[3])
            elif kind == "number_left":
                out = BINARY_SYMBOLS[step[1]](step[3], nodes[step[2]])
            elif kind == "number_right":
                out = BINARY_SYMBOLS[step[1]](nodes[step[2]], step[3])
            else:
                picked = [nodes[i] for i in step[1]]
                bias = nodes[step[2][1]] if step[2][0] == "node" else step[2][1]
                out = engine.weighted_sum(picked, picked[::-1], bias)
        except (ArithmeticError, ValueError, TypeError) as error:
            record.append((type(error).__name__, str(error)))
            out = nodes[-1]
        else:
            record.append((out.op, out.data.hex(), [g.hex() for g in out.local_grads], out.scope))
        nodes.append(out)
    root = nodes[-1]
    root.backward()
    return record, [node.grad.hex() for node in nodes]


@needs_core
@settings(max_examples=300, deadline=None)
@given(programs(), st.sampled_from(["none", "no_grad", "scope"]))
def test_both_engines_give_the_same_bits_and_refusals_on_random_graphs(program, context):
    assert run(engine, program, context) == run(pure, program, context)


@needs_core
def test_both_engines_agree_on_colah_s_graph_to_the_bit():
    def build(engine):
        a, b = engine.Value(2.0, "a"), engine.Value(1.0, "b")
        e = (a + b) * (b + 1)
        e.backward()
        return e.data, a.grad, b.grad, repr(e), repr(a)

    compiled = build(engine)
    assert compiled == build(pure)
    assert compiled[:3] == (6.0, 2.0, 5.0)


@needs_core
def test_the_core_refuses_what_value_py_refuses_with_its_message():
    for each in (engine, pure):
        with pytest.raises(TypeError, match="data must be a real number"):
            each.Value("3")
        with pytest.raises(ZeroDivisionError, match="divisor"):
            each.Value(1.0) / 0
        with pytest.raises(OverflowError, match="exp"):
            each.Value(1000.0).exp()


@needs_core
def test_create_graph_grads_close_cycles_that_the_collector_frees():
    gc.collect()
    before = core.node_count()
    for _ in range(50):
        x = value.Value(2.0)
        y = x**3 * x.tanh()
        y.backward(create_graph=True)  # x.grad is a graph that contains x
        assert gc.is_tracked(x) and gc.is_tracked(x.grad)
    del x, y
    gc.collect()
    assert core.node_count() == before


@needs_core
def test_create_graph_gives_the_same_bits_on_both_engines():
    def second_derivative(engine):
        x = engine.Value(0.7)
        y = (x * x.exp() + 1).log() / x.tanh()
        y.backward(create_graph=True)
        dydx = x.grad
        x.grad = 0.0
        dydx.backward()
        return dydx.data.hex(), x.grad.hex()

    assert second_derivative(engine) == second_derivative(pure)


@needs_core
def test_rules_added_later_become_methods_of_the_compiled_value():
    cube = operators.add_rule(ops.Rule("cube", lambda x: x**3, lambda x, y: (3 * x * x,), "3x²", (1.5,)))
    try:
        y = value.Value(2.0).cube()
        y.backward()
        assert (y.data, y.op, y.children[0].grad) == (8.0, "cube", 12.0)
        assert cube is value.Value.cube
    finally:
        del value.Value.cube
        ops.TABLE.remove(ops.TABLE[-1])


def engine_in_a_subprocess(environment, code="import pathgrad; print(pathgrad.ENGINE)"):
    """What a fresh interpreter prints (and warns) with `environment` added to this one's."""
    env = {k: v for k, v in os.environ.items() if k != "PATHGRAD_PURE"}
    env.update(environment)
    env["PYTHONPATH"] = os.path.dirname(os.path.dirname(os.path.dirname(value.__file__)))
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip(), done.stderr


@needs_core
@pytest.mark.parametrize("word, engine", [
    ("1", "pure"), ("true", "pure"), ("YES", "pure"), ("True", "pure"),
    ("0", "compiled"), ("", "compiled"), ("false", "compiled"),
])
def test_pathgrad_pure_selects_the_engine(word, engine):
    assert engine_in_a_subprocess({"PATHGRAD_PURE": word}) == (engine, "")


@needs_core
def test_an_unknown_pathgrad_pure_word_is_warned_about_and_the_core_runs():
    printed, warned = engine_in_a_subprocess({"PATHGRAD_PURE": "maybe"})
    assert printed == "compiled"
    assert "PATHGRAD_PURE='maybe' is not understood" in warned


@needs_core
def test_a_free_threaded_python_runs_the_pure_engine_with_one_warning():
    code = (
        "import sysconfig; real = sysconfig.get_config_var\n"
        "sysconfig.get_config_var = lambda name: 1 if name == 'Py_GIL_DISABLED' else real(name)\n"
        "import pathgrad; print(pathgrad.ENGINE, type(vars(pathgrad.Value)['backward']).__name__)"
    )
    printed, warned = engine_in_a_subprocess({}, code)
    assert printed == "pure function"
    assert len(warned.strip().splitlines()) <= 2 and "free-threaded" in warned  # the warning and its source line


@needs_core
def test_compiled_lists_every_name_it_replaces_and_each_is_the_core_s():
    assert compiled.REPLACED == ("value.Value", "value.make_node", "operators.sum", "operators.weighted_sum",
                                 "mode.scope.run")
    assert type(vars(value.Value)["backward"]).__name__ == "method_descriptor"
    assert value.make_node is core.node
    assert engine.mode.scope.run is core.run_in_scope
    assert type(operators.sum).__name__ == type(operators.weighted_sum).__name__ == "builtin_function_or_method"
    from pathgrad.engine import autograd, gradient_check

    assert pathgrad.Value is autograd.Value is gradient_check.Value is value.Value
    assert pathgrad.sum is operators.sum and autograd.weighted_sum is operators.weighted_sum


# Every row of the table on both engines, and each C kernel against its row's Python.


def row_example(rule):
    """The row's example as (operands, parameter)."""
    if rule.parameter:
        return rule.example[:-1], rule.example[-1]
    return rule.example, None


def row_on(engine, rule, operands, parameter):
    """Forward, local grads, backward grads and create_graph second derivatives, as hex."""
    leaves = [engine.Value(x) for x in operands]
    y = apply_row(engine, rule, leaves, parameter)
    y.backward(create_graph=True)
    first = [leaf.grad for leaf in leaves]
    total = engine.Value(0.0)
    for grad in first:
        total = total + grad
    for leaf in leaves:
        leaf.grad = 0.0
    total.backward()
    return (y.op, y.data.hex(), [g.hex() for g in y.local_grads], [g.data.hex() for g in first],
            [leaf.grad.hex() for leaf in leaves])


@needs_core
@pytest.mark.parametrize("rule", ROWS, ids=[rule.name for rule in ROWS])
def test_every_row_of_the_table_gives_the_same_bits_on_both_engines(rule):
    operands, parameter = row_example(rule)
    assert row_on(engine, rule, operands, parameter) == row_on(pure, rule, operands, parameter)


MORE_POINTS = [-2.5, -0.3, 0.0, 0.2, 1.3, 3.1]


def kernel_points(rule):
    """The row's example and more points in its domain, as (operands, parameter)."""
    operands, parameter = row_example(rule)
    points = [(tuple(operands), parameter)]
    if len(operands) == 1:
        points += [((x,), parameter) for x in MORE_POINTS]
    elif len(operands) == 2:
        points += [((a, b), parameter) for a in MORE_POINTS for b in MORE_POINTS]
    return points


def kernel_disagreements(rule):
    """Points where the core's kernel and the row's Python forward or derivative differ in any bit."""
    wrong = []
    for operands, parameter in kernel_points(rule):
        arguments = () if parameter is None else (float(parameter),)
        inputs = [float(x) for x in operands]
        try:
            y = rule.forward(*inputs, *arguments) if rule.arity else rule.forward(inputs)
        except (ArithmeticError, ValueError):
            continue  # outside the row's domain: refusals are compared by the random programs
        locals_ = rule.derivatives(*inputs, y, *arguments) if rule.arity else rule.derivatives(inputs, y)
        leaves = [value.Value(x) for x in inputs]
        if rule.kernel == "weighted_sum":
            node = operators.weighted_sum(leaves[0:-1:2], leaves[1:-1:2], leaves[-1])
        else:
            node = apply_row(engine, rule, leaves, parameter)
        python = (float(y).hex(), [float(g).hex() for g in locals_])
        kernel = (node.data.hex(), [g.hex() for g in node.local_grads])
        if node.rule.name != rule.name or kernel != python:
            wrong.append((operands, parameter, kernel, python))
    return wrong


KERNEL_ROWS = [rule for rule in ROWS if rule.kernel]


@needs_core
@pytest.mark.parametrize("rule", KERNEL_ROWS, ids=[rule.name for rule in KERNEL_ROWS])
def test_each_c_kernel_gives_its_row_s_python_bits(rule):
    assert kernel_disagreements(rule) == []


@needs_core
def test_a_changed_python_derivative_of_a_row_with_a_kernel_is_caught(monkeypatch):
    # (1 - y)(1 + y) is 1 - y^2 in exact arithmetic, not in floats: the kernel no longer matches.
    monkeypatch.setattr(ops.TANH, "derivatives", lambda x, y: ((1 - y) * (1 + y),))
    wrong = kernel_disagreements(ops.TANH)
    assert [operands for operands, *_ in wrong] == [(0.7,), (-2.5,)]


def test_the_kernels_named_in_the_table_are_the_core_s():
    assert {rule.name: rule.kernel for rule in KERNEL_ROWS} == {
        "add": "add", "sub": "sub", "mul": "mul", "div": "div", "power": "power", "neg": "neg",
        "exp": "exp", "log": "log", "tanh": "tanh", "relu": "relu", "sum": "sum",
        "weighted_sum": "weighted_sum",
    }


def run_with_changed_table(tmp_path, old, new, code):
    """Run `code` in a fresh interpreter on a copy of pathgrad whose ops.py has `old` replaced by `new`."""
    package = os.path.dirname(os.path.dirname(value.__file__))
    copy = tmp_path / "pathgrad"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    table = copy / "engine" / "ops.py"
    source = table.read_text()
    assert source.count(old) == 1
    table.write_text(source.replace(old, new))
    env = {k: v for k, v in os.environ.items() if k != "PATHGRAD_PURE"}
    env["PYTHONPATH"] = str(tmp_path)
    return subprocess.run([sys.executable, "-c", code], env=env, cwd=tmp_path, capture_output=True, text=True,
                          timeout=60)


@needs_core
def test_a_row_without_a_kernel_runs_its_python_functions_on_the_core(tmp_path):
    code = (
        "import pathgrad; from pathgrad.engine import ops\n"
        "x = pathgrad.Value(0.7); y = x.tanh(); y.backward()\n"
        "print(pathgrad.ENGINE, type(vars(pathgrad.Value)['tanh']).__name__, y.local_grads[0].hex(),\n"
        "      type(vars(pathgrad.Value)['exp']).__name__)"
    )
    done = run_with_changed_table(tmp_path, 'activation=True, kernel="tanh")',
                                  'activation=True, kernel=None)', code)
    assert done.returncode == 0, done.stderr
    # tanh runs value.py's method (the row's Python); exp keeps its kernel.
    y = math.tanh(0.7)
    assert done.stdout.split() == ["compiled", "function", (1 - y * y).hex(), "method_descriptor"]


@needs_core
def test_a_row_naming_a_kernel_the_core_lacks_is_refused_when_the_core_loads(tmp_path):
    done = run_with_changed_table(tmp_path, 'kernel="tanh")', 'kernel="tanh2")', "import pathgrad")
    assert done.returncode != 0
    assert "RuntimeError: the compiled core has no kernel 'tanh2' (row Rule('tanh', op='tanh')" in done.stderr


@needs_core
def test_a_row_added_with_add_rule_runs_on_the_core_as_on_the_pure_engine():
    def cube_and_square(engine):
        cube = engine.Rule("cube", lambda x: x**3, lambda x, y: (3 * x * x,), "3x²", (1.5,))
        plus2 = engine.Rule("plus2", lambda a, b: a + 2 * b, lambda a, b, y: (1.0, 2.0), "1, 2", (1.5, 0.5), arity=2)
        engine.add_rule(cube)
        together = engine.add_rule(plus2)
        try:
            return row_on(engine, cube, (1.5,), None), row_on_function(engine, together)
        finally:
            del engine.Value.cube, engine.Value.plus2
            engine.ops.TABLE.remove(cube)
            engine.ops.TABLE.remove(plus2)

    def row_on_function(engine, function):
        a, b = engine.Value(1.5), engine.Value(-0.25)
        y = function(a, b)
        y.backward()
        return y.op, y.data.hex(), a.grad, b.grad, type(y) is engine.Value

    compiled = cube_and_square(engine)
    assert compiled == cube_and_square(pure)
    assert compiled[1] == ("plus2", (1.0).hex(), 1.0, 2.0, True)


def copied_graph(engine, copy_function):
    """A graph with scopes, a parametric row and grads, copied: every node's numbers, op and scope."""
    x, w = engine.Value(2.0, "x"), engine.Value(-0.5, "w")
    with engine.scope("layer"):
        y = (x * w + x**3).tanh() + x.leaky_relu(0.1)
    y.backward()
    z = copy_function(y)
    return [(type(n).__name__, n.data.hex(), n.grad.hex(), n.op, n.label, n.scope, [g.hex() for g in n.local_grads])
            for n in engine.topological_order(z)]


@needs_core
@pytest.mark.parametrize("copy_function", [copy.deepcopy, lambda v: pickle.loads(pickle.dumps(v))],
                         ids=["deepcopy", "pickle"])
def test_a_copied_graph_is_the_same_on_both_engines_and_the_same_as_the_original(copy_function):
    compiled = copied_graph(engine, copy_function)
    assert compiled == copied_graph(pure, copy_function)
    assert compiled == copied_graph(engine, lambda v: v)


@needs_core
def test_a_pickled_core_value_loads_on_the_pure_engine_by_rule_name():
    y = engine.Value(3.0, "x") ** 2
    y.backward()
    data = pickle.dumps(y)
    z = pickle.loads(data)
    assert type(z) is engine.Value and (z.data, z.op, z.children[0].grad, z.rule is y.rule) == (9.0, "**2", 6.0, True)


def test_the_cores_header_names_exactly_the_rows_it_retypes_in_c():
    """_core.c's header says which rows have their maths typed a second time in C: the rows naming a kernel."""
    import re
    from pathlib import Path

    from pathgrad.engine import ops

    header = (Path(ops.__file__).with_name("_core.c")).read_text().split("*/")[0]
    listed = re.search(r"in C: (.*?)\. Every other row", header, flags=re.S).group(1)
    listed = re.sub(r"\s*\(.*?\)", "", " ".join(listed.split()))  # "power (x ** k, k a number)" is power
    named = {part.strip() for part in re.split(r",|\band\b", listed)}
    assert named == {row.kernel for row in ops.TABLE if row.kernel}
    assert f"The {len(named)} rows that name a kernel" in " ".join(header.split())


def test_the_cores_kernels_sit_in_one_block_each_quoting_its_row_s_formula():
    """Each C kernel sits in _core.c's kernel block under a comment quoting its row's formula as ops.py writes it."""
    import re
    from pathlib import Path

    from pathgrad.engine import ops

    source = Path(ops.__file__).with_name("_core.c").read_text(encoding="utf-8")
    begin, end = source.index("/* ==== the kernels:"), source.index("/* ==== end of the kernels")
    block, outside = source[begin:end], source[:begin] + source[end:]
    quoted = dict(re.findall(r'^/\* (\w+): (?:(?!\*/).)*?its row\'s formula: "([^"]*)"', block, flags=re.M | re.S))
    rows = {row.kernel: row.formula for row in ops.TABLE if row.kernel}
    assert quoted == rows
    defined = re.findall(r"^(\w+_kernel)\(", block, flags=re.M)
    assert {name for name in defined} == {f"{kernel}_kernel" for kernel in rows}
    assert not re.findall(r"^\w+_kernel(?:_edges)?\(", outside, flags=re.M)  # no kernel defined outside the block
    for kernel in rows:  # and each is used outside it, by the op it stands for
        assert re.search(rf"\b{kernel}_kernel\(", outside), kernel
