"""Value as a Python object: checked attributes, copies and pickles, scopes reused, rows added by users checked."""

import copy
import math
import pickle

import pytest

import pathgrad
from pathgrad import Rule, Value, add_rule, ops, scope
from pathgrad.engine.validation import Refused
from pathgrad.nn import MLP


@pytest.mark.parametrize("bad", ["1.0", 1 + 2j, math.nan, math.inf, -math.inf, None])
def test_data_set_after_construction_refuses_what_the_constructor_refuses(bad):
    v = Value(1.0)
    with pytest.raises(Refused, match="Value"):
        v.data = bad
    assert v.data == 1.0


def test_data_set_after_construction_takes_an_int_as_a_float():
    v = Value(1.0)
    v.data = 3
    assert v.data == 3.0 and type(v.data) is float


@pytest.mark.parametrize("bad", [123, None, b"v"])
def test_label_must_be_a_str_in_the_constructor_and_when_set_later(bad):
    with pytest.raises(TypeError):
        Value(1.0, bad)
    v = Value(1.0, "v")
    with pytest.raises(Refused, match="label"):
        v.label = bad
    assert v.label == "v"


def test_an_int_of_thousands_of_digits_is_refused_by_pathgrad_naming_its_digit_count():
    with pytest.raises(OverflowError, match="an int of 5001 digits") as refused:
        Value(10**5000)
    assert isinstance(refused.value, Refused)


def test_a_scope_object_entered_twice_and_nested_in_itself_names_nodes_as_expected():
    layer = scope("layer")
    with layer:
        a = Value(1.0) * 2
    with layer:
        with layer:
            b = Value(1.0) * 2
        c = Value(1.0) * 2
    d = Value(1.0) * 2
    assert (a.scope, b.scope, c.scope, d.scope) == ("layer", "layer.layer", "layer", "")


@pytest.mark.parametrize("bad", [3, None])
def test_scope_run_refuses_a_name_that_is_not_a_str(bad):
    with pytest.raises(TypeError, match="str"):
        scope.run(bad, lambda: Value(1.0) * 2)


def _graph():
    a, b = Value(2.0, "a"), Value(-1.5, "b")
    with scope("net"):
        y = ((a * b).tanh() + a ** 3 - b.leaky_relu(0.2)).relu() + pathgrad.sum([a, b, 1.0])
    y.label = "y"
    y.backward()
    return y


def _described(root):
    """Everything a copy must keep: each node's op, data, grad, label, scope, local grads and children's places."""
    order = pathgrad.topological_order(root)
    place = {node: i for i, node in enumerate(order)}
    return [(n.op, n.data, n.grad, n.label, n.scope, tuple(n.local_grads), tuple(place[c] for c in n.children))
            for n in order]


@pytest.mark.parametrize("copied", [copy.deepcopy, lambda y: pickle.loads(pickle.dumps(y))], ids=["deepcopy", "pickle"])
def test_a_graph_copied_or_pickled_keeps_every_number_label_scope_and_edge(copied):
    y = _graph()
    twin = copied(y)
    assert _described(twin) == _described(y)
    assert not set(pathgrad.topological_order(twin)) & set(pathgrad.topological_order(y))
    twin.zero_grad(), y.zero_grad()
    twin.backward(), y.backward()  # the copy is a working graph of its own
    assert _described(twin) == _described(y)


def test_a_leaf_copied_is_a_new_value_with_the_same_data_grad_and_label():
    x = Value(2.5, "x")
    x.grad = 4.0
    for twin in (copy.deepcopy(x), pickle.loads(pickle.dumps(x)), copy.copy(x)):
        assert twin is not x and (twin.data, twin.grad, twin.label, twin.children) == (2.5, 4.0, "x", ())


def test_an_mlp_deep_copied_keeps_its_weights_while_the_original_trains_on():
    model = MLP(2, [3, 1])
    best = copy.deepcopy(model)
    saved = [p.data for p in model.parameters()]
    assert [p.data for p in best.parameters()] == saved
    for p in model.parameters():
        p.data += 1.0
    assert [p.data for p in best.parameters()] == saved
    restored = pickle.loads(pickle.dumps(best))
    x = [0.5, -1.0]
    assert restored(x).data == best(x).data


def test_a_node_of_a_row_added_by_add_rule_pickles_by_its_name():
    cube = Rule("cube_for_pickle", lambda x: x**3, lambda x, y: (3 * x * x,), "3x²", (1.5,))
    add_rule(cube)
    try:
        y = Value(2.0).cube_for_pickle()
        twin = pickle.loads(pickle.dumps(y))
        assert (twin.op, twin.data, twin.local_grads) == ("cube_for_pickle", 8.0, (12.0,))
        data = pickle.dumps(y)
    finally:
        del Value.cube_for_pickle
        ops.TABLE.remove(cube)
    with pytest.raises(ValueError, match="cube_for_pickle.*add_rule"):
        pickle.loads(data)


def _added(rule):
    add_rule(rule)
    return rule


@pytest.mark.parametrize("forward, derivatives, error, words", [
    (lambda x: x, lambda x, y: (1.0, 1.0), ValueError, "derivative gave .*1 local grad"),
    (lambda x: None, lambda x, y: (1.0,), TypeError, "forward gave NoneType"),
    (lambda x: "3", lambda x, y: (1.0,), TypeError, "forward gave str"),
    (lambda x: 10**400, lambda x, y: (1.0,), OverflowError, "forward gave .*too large"),
])
def test_a_row_added_by_add_rule_is_refused_by_name_when_it_gives_a_bad_result(forward, derivatives, error, words):
    rule = _added(Rule("faulty", forward, derivatives, "?", (0.5,)))
    try:
        with pytest.raises(error, match=f"faulty: its {words}") as refused:
            Value(0.5).faulty().backward()
        assert isinstance(refused.value, Refused)
    finally:
        del Value.faulty
        ops.TABLE.remove(rule)


# A name finds exactly one row: what pickle and deepcopy rely on to find a node's row again.


def _cube(slope):
    """The cube row, with its derivative multiplied by `slope` (1 is right)."""
    return Rule("cube_once", lambda x: x**3, lambda x, y: (slope * 3 * x * x,), "3x²", (1.5,))


@pytest.mark.parametrize("copied", [copy.deepcopy, lambda y: pickle.loads(pickle.dumps(y))], ids=["deepcopy", "pickle"])
def test_a_row_added_again_under_its_name_replaces_the_first_with_a_warning_and_copies_use_it(copied):
    add_rule(_cube(2.0))  # a wrong derivative, fixed and added again, as a notebook cell re-run
    try:
        with pytest.warns(UserWarning, match="add_rule: replacing the row 'cube_once'"):
            add_rule(_cube(1.0))
        assert [row.name for row in ops.TABLE].count("cube_once") == 1
        x = Value(2.0)
        twin = copied(x.cube_once())
        (leaf,) = twin.children
        twin.backward(create_graph=True)
        first = leaf.grad
        leaf.grad = 0.0
        first.backward()
        assert (first.data, leaf.grad) == (12.0, 12.0)  # d/dx x³ = 3x², d²/dx² = 6x at x = 2
    finally:
        del Value.cube_once
        ops.TABLE.remove(ops.TABLE[-1])
    assert "cube_once" not in [row.name for row in ops.TABLE]


@pytest.mark.parametrize("name, symbol, words", [
    ("tanh", None, "'tanh' is a built-in row of pathgrad"),
    ("sum", None, "'sum' is a built-in row of pathgrad"),
    ("data", None, r"'data' is an attribute of Value \(Value.data\)"),
    ("backward", None, "'backward' is an attribute of Value"),
    ("2cube", None, "got name '2cube'; a row's name must be a Python name"),
    ("_hidden", None, "got name '_hidden'"),
    ("at", "@", "'at' has symbol '@'; Value's operators are the built-in rows'"),
    ("my_power", "**", "'my_power' has symbol '\\*\\*'"),
])
def test_add_rule_refuses_a_name_or_symbol_that_would_not_find_exactly_its_row(name, symbol, words):
    table = list(ops.TABLE)
    methods = set(vars(Value))
    rule = Rule(name, lambda a, b: a * b, lambda a, b, y: (b, a), "b, a", (1.5, 2.0), symbol=symbol, arity=2)
    with pytest.raises(ValueError, match=f"^add_rule: {words}") as refused:
        add_rule(rule)
    assert isinstance(refused.value, Refused)
    assert ops.TABLE == table and set(vars(Value)) == methods  # nothing was added or bound
    assert Value(2.0).data == 2.0 and (Value(2.0) * 3).data == 6.0


@pytest.mark.parametrize("local_grad, error, words", [
    ("2", TypeError, "its derivative gave str '2'"),
    (True, TypeError, "its derivative gave bool True"),
    (10**400, OverflowError, "its derivative gave a local grad too large for a float"),
    (Value(2.0), TypeError, "its derivative gave Value"),
    (math.nan, ValueError, "its derivative gave nan"),
], ids=["str", "bool", "huge_int", "value", "nan"])
def test_a_row_s_derivative_is_refused_alike_on_both_engines_naming_the_op(local_grad, error, words):
    rule = _added(Rule("odd_slope", lambda x: 2 * x, lambda x, y: (local_grad,), "?", (0.5,)))
    try:
        with pytest.raises(error, match=f"^odd_slope: {words}") as refused:
            Value(0.5).odd_slope()
        assert isinstance(refused.value, Refused)
    finally:
        del Value.odd_slope
        ops.TABLE.remove(rule)


def test_a_row_s_derivative_gives_graphs_under_create_graph_and_an_int_becomes_a_float():
    rule = _added(Rule("square_ish", lambda x: x * x, lambda x, y: (2 * x,), "2x", (1.5,)))
    try:
        x = Value(3)
        y = x.square_ish()
        assert y.local_grads == (6.0,) and type(y.local_grads[0]) is float
        y.backward(create_graph=True)
        assert (x.grad.data, x.grad.op) == (6.0, "*")
    finally:
        del Value.square_ish
        ops.TABLE.remove(rule)


# Deep graphs copy without recursion; what is shared stays shared.


def _chain(depth):
    x = Value(0.5, "x")
    y = x
    for _ in range(depth):
        y = y * 1.0 + 0.25  # two nodes a level: 2 * depth interior nodes
    return x, y


@pytest.mark.parametrize("copied", [copy.deepcopy, lambda y: pickle.loads(pickle.dumps(y, protocol=pickle.HIGHEST_PROTOCOL))],
                         ids=["deepcopy", "pickle"])
def test_a_chain_far_deeper_than_the_recursion_limit_copies_and_pickles(copied):
    x, y = _chain(20_000)  # 40,000 interior nodes in a line; the recursion limit is 1,000
    twin = copied(y)
    assert twin.data == y.data and twin is not y
    assert [twin.op, twin.children[0].op, twin.children[0].children[0].op] == ["+", "*", "+"]
    bottom = twin
    for _ in range(40_000):
        bottom = bottom.children[0]
    assert (bottom.label, bottom.data, bottom.children) == ("x", 0.5, ())
    assert bottom is not x


def test_a_node_shared_by_two_copied_roots_and_listed_alone_stays_one_node():
    a = Value(2.0, "a")
    shared = (a * 3).tanh()
    y1, y2 = shared + 1, shared * 2
    for twin1, twin2, twin_shared, twin_a in (copy.deepcopy([y1, y2, shared, a]),
                                              pickle.loads(pickle.dumps([y1, y2, shared, a]))):
        assert twin1.children[0] is twin2.children[0] is twin_shared
        assert twin_shared.children[0].children[0] is twin_a and twin_a is not a


def test_copies_made_in_threads_at_once_are_each_whole():
    import threading

    graphs = [_chain(300)[1] for _ in range(4)]
    copies = [None] * 4

    def work(i):
        for _ in range(20):
            copies[i] = pickle.loads(pickle.dumps(graphs[i]))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [c.data for c in copies] == [g.data for g in graphs]
    assert all(len(pathgrad.topological_order(c)) == len(pathgrad.topological_order(g)) for c, g in zip(copies, graphs))


# Loading checks what a pickle says, as the compiled core does.


def _forged(children, local_grads):
    """A pickle of a '*' node with these children and local grads, as a hostile file could hold."""
    from pathgrad.engine.value import rebuilt

    class Forged:
        def __reduce__(self):
            return (rebuilt, (6.0, 0.0, "", "", ("mul", (), False), children, local_grads))

    return pickle.dumps(Forged())


@pytest.mark.parametrize("children, local_grads, error, words", [
    ((Value(2.0), Value(3.0)), (3.0,), ValueError, "has 2 children and local grads \\(3.0,\\); it must have one local grad per child"),
    ((Value(2.0), Value(3.0)), ("3", "2"), TypeError, "has str '3'; each local grad must be a real number"),
    ((2, 3), (3.0, 2.0), TypeError, "has children \\(2, 3\\); they must be Values"),
    ((Value(2.0), Value(3.0)), (math.nan, 2.0), ValueError, "has nan"),
], ids=["one_local_grad_for_two_children", "str_local_grads", "int_children", "nan_local_grad"])
def test_unpickling_refuses_a_node_whose_edges_do_not_add_up_on_both_engines(children, local_grads, error, words):
    with pytest.raises(error, match=f"^unpickling a Value: its '\\*' node:? {words}") as refused:
        pickle.loads(_forged(children, local_grads))
    assert isinstance(refused.value, Refused)


def test_deleting_a_label_is_refused_in_the_same_words_on_both_engines():
    with pytest.raises(AttributeError, match="^Value: label cannot be deleted$"):
        del Value(1.0, "x").label


def test_operation_under_many_distinct_names_keeps_a_bounded_number_of_rules():

    nodes = [pathgrad.operation(f"op{i}", 2.0, (Value(1.0),), (2.0,)) for i in range(2 * ops.BOUND_CACHE)]
    assert len(ops._user_rules) <= ops.BOUND_CACHE
    assert nodes[0].op == "op0" and pickle.loads(pickle.dumps(nodes[0])).op == "op0"  # forgotten, yet loads
