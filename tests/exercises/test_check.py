"""Exercise.check: right answers pass, and each kind of injected mistake is named.

Each mistake is injected the way a student makes it: a path left out of the
sum, one edge's local derivative replaced and the graph's backward rerun,
a sign flipped, the paths' products multiplied, another node's grad copied.
The diagnosis must name the kind, the edge or path, and the right arithmetic.
"""

import itertools
import math

import pytest

import pathgrad
from pathgrad import Value, all_paths, count_paths, topological_order
from pathgrad.exercises import Exercise


def colah():
    a, b = Value(2.0, "a"), Value(1.0, "b")
    c = a + b; c.label = "c"
    d = b + 1; d.label = "d"
    e = c * d; e.label = "e"
    return Exercise(e)


def with_slip(sheet, parent, k, local):
    """Every grad the chain rule gives with one edge's local derivative replaced: a student's slip.

    The sweep is written out here (not backward with an edited node), so it
    runs on either engine: the compiled core's edges are read-only.
    """
    grads = {sheet.root: 1.0}
    for node in reversed(topological_order(sheet.root)):
        upstream = grads.get(node, 0.0)
        for i, (child, right) in enumerate(zip(node.children, node.local_grads)):
            slope = local if (node is parent and i == k) else right
            grads[child] = grads.get(child, 0.0) + slope * upstream
    return {label: grads.get(node, 0.0) for label, node in sheet.nodes.items()}


def test_right_answers_are_right_within_a_relative_1e_6():
    sheet = colah()
    result = sheet.check({"a": 2, "b": 5 * (1 + 5e-7), "c": 2.0, "d": 3, "e": 1})
    assert result.ok and result.diagnoses == {} and all(result.verdicts.values())
    assert not sheet.check({"b": 5 * (1 + 2e-6)}).ok


@pytest.mark.parametrize("level", [1, 2, 3])
def test_every_seeds_solution_checks_right(level):
    for seed in range(15):
        sheet = pathgrad.exercise(seed=seed, level=level)
        assert sheet.check(sheet.solution()).ok


def test_the_issues_missed_path_names_the_path_counted_and_what_the_other_adds():
    result = colah().check({"b": 2})
    assert result.mistakes == {"b": "missed path"}
    assert result.diagnoses["b"] == (
        "your de/db = 2 counts the path b → c → e (1·2 = 2) only; "
        "the path b → d → e (1·3 = 3) adds to it: de/db = 2 + 3 = 5."
    )


def test_a_sign_error_is_named_with_the_right_step():
    result = colah().check({"b": -5})
    assert result.mistakes == {"b": "sign error"}
    assert "de/db = ∂e/∂c · ∂c/∂b + ∂e/∂d · ∂d/∂b = 2·1 + 3·1 = 5" in result.diagnoses["b"]


def test_one_path_taken_with_the_wrong_sign_is_named():
    result = colah().check({"b": 2 - 3})
    assert result.mistakes == {"b": "sign error"}
    assert "takes the path b → d → e (1·3 = 3) with the wrong sign" in result.diagnoses["b"]


def test_multiplying_the_paths_where_they_add_is_named():
    result = colah().check({"b": 2 * 3})
    assert result.mistakes == {"b": "product instead of sum"}
    assert "multiplies the paths' products (2 × 3) where the chain rule adds them: de/db = 2 + 3 = 5" in result.diagnoses["b"]


def test_the_operand_itself_as_a_products_local_derivative_is_named_on_its_edge():
    sheet = colah()
    e, c = sheet.root, sheet.nodes["c"]
    slipped = with_slip(sheet, e, 0, c.data)  # de/dc = c = 3 instead of d = 2
    result = sheet.check({"a": slipped["a"]})
    assert slipped["a"] == 3.0
    assert result.mistakes == {"a": "wrong local derivative"}
    assert "a wrong local derivative, c, the operand itself" in result.diagnoses["a"]
    assert "on the edge c → e: for e = c * d, ∂e/∂c = d = 2, not 3" in result.diagnoses["a"]
    assert "de/da = ∂e/∂c · ∂c/∂a = 2·1 = 2" in result.diagnoses["a"]


def test_an_error_carried_from_a_wrong_parent_says_to_fix_the_parent_first():
    result = colah().check({"d": 2, "b": 2 + 2})  # d is wrong; b is right given d
    assert result.mistakes["b"] == "carried error"
    assert "follows rightly from your de/dd = 2" in result.diagnoses["b"]
    assert "Fix it first: de/db = ∂e/∂c · ∂c/∂b + ∂e/∂d · ∂d/∂b = 2·1 + 3·1 = 5" in result.diagnoses["b"]


def test_the_grad_of_another_node_is_named():
    sheet = pathgrad.exercise(seed=3, level=2)  # a = -8, b = 4, c = -2, d = -1
    result = sheet.check({"b": -8})
    assert result.mistakes == {"b": "wrong node"}
    assert "your de/db = -8 is de/da, the grad of a, not of b" in result.diagnoses["b"]


def test_an_answer_rounded_too_soon_is_told_to_carry_more_digits():
    sheet = pathgrad.exercise(seed=3, level=3)  # de/da = d = 2 + log 2 = 2.6931...
    result = sheet.check({"a": 2.69})
    assert result.mistakes == {"a": "rounding"}
    assert "right to about 3 digits" in result.diagnoses["a"]


def test_a_number_no_slip_explains_gets_the_right_arithmetic():
    result = colah().check({"a": 7})
    assert result.mistakes == {"a": "unexplained"}
    assert result.diagnoses["a"].endswith("de/da = ∂e/∂c · ∂c/∂a = 2·1 = 2.")


def _several_path_nodes(sheet):
    return [node for node in sheet.nodes.values() if count_paths(sheet.root, node) >= 2]


@pytest.mark.parametrize("seed", range(12))
def test_a_dropped_path_is_diagnosed_as_a_missed_path_on_level_2(seed):
    sheet = pathgrad.exercise(seed=seed, level=2)
    for node in _several_path_nodes(sheet):
        paths = all_paths(sheet.root, node)
        answer = math.fsum(path.product for path in paths[1:])
        result = sheet.check({node.label: answer})
        assert result.mistakes[node.label] in ("missed path", "sign error"), result
        if result.mistakes[node.label] == "missed path":
            names = " → ".join(n.label for n in paths[0].nodes)
            assert names in result.diagnoses[node.label]


@pytest.mark.parametrize("level", [2, 3])
def test_a_flipped_sign_is_always_a_sign_error(level):
    for seed in range(12):
        sheet = pathgrad.exercise(seed=seed, level=level)
        for label, number in sheet.solution().items():
            assert sheet.check({label: -number}).mistakes == {label: "sign error"}


def reading_before_a_slip(answer, right, products):
    """The kind of slip the diagnosis tries before a wrong local derivative that gives `answer`, if any.

    Worked out here from the paths' products, in the diagnosis's order: the whole
    sum negated, some paths left out, one path negated, the products multiplied.
    """
    def same(a, b):
        return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-12)

    if same(answer, -right):
        return "sign error"
    if any(same(answer, sum(some)) for n in range(len(products)) for some in itertools.combinations(products, n)):
        return "missed path"
    if any(same(answer, right - 2 * product) for product in products):
        return "sign error"
    if len(products) > 1 and same(answer, math.prod(products)):
        return "product instead of sum"
    return None


@pytest.mark.parametrize("seed", range(12))
def test_each_common_slip_on_an_edge_is_found_on_that_edge(seed):
    """Replace one edge's local derivative with a slip, rerun backward, and ask about its child.

    Every slip is diagnosed as a wrong local derivative on its own edge (a
    flipped sign as a sign error), unless its number reads as a slip the
    diagnosis tries first, and then as that one: checked here from the paths.
    """
    from pathgrad.exercises.by_hand import slips

    sheet = pathgrad.exercise(seed=seed, level=3)
    rights = sheet.solution()
    kinds = []
    for parent in topological_order(sheet.root):
        for k, child in enumerate(parent.children):
            for number, _ in slips(parent, k):
                answer = with_slip(sheet, parent, k, number)[child.label]
                if math.isclose(answer, rights[child.label], rel_tol=1e-6):
                    continue  # this slip happens to give the right number
                products = [path.product for path in all_paths(sheet.root, child)]
                expected = reading_before_a_slip(answer, rights[child.label], products)
                flipped = math.isclose(number, -parent.local_grads[k], rel_tol=1e-9)
                if expected is None:
                    expected = "sign error" if flipped else "wrong local derivative"
                result = sheet.check({child.label: answer})
                assert result.mistakes == {child.label: expected}, (parent.label, k, number, result.diagnoses)
                if expected == "wrong local derivative":
                    assert f"on the edge {child.label} → {parent.label}: " in result.diagnoses[child.label]
                if not flipped:
                    kinds.append(expected)
    assert kinds.count("wrong local derivative") >= len(kinds) / 2, kinds  # most slips read as nothing else


def test_a_tangents_exercise_diagnoses_a_missed_path_in_forward_mode():
    graph = colah()
    sheet = Exercise(graph.root, asks="tangents", wrt=graph.nodes["b"])
    assert sheet.solution() == {"a": 0.0, "b": 1.0, "c": 1.0, "d": 1.0, "e": 5.0}
    result = sheet.check({"c": 1, "d": 1, "e": 3})
    assert result.verdicts == {"c": True, "d": True, "e": False}
    assert result.mistakes == {"e": "missed path"}
    assert "counts the path b → d → e (1·3 = 3) only; the path b → c → e (1·2 = 2) adds" in result.diagnoses["e"]


def test_a_tangent_carried_from_a_wrong_child_tangent_is_named():
    graph = colah()
    sheet = Exercise(graph.root, asks="tangents", wrt=graph.nodes["b"])
    result = sheet.check({"c": 2, "e": 2 * 2 + 3 * 1})  # de/db = 2*dc/db + 3*dd/db with dc/db = 2
    assert result.verdicts == {"c": False, "e": False}
    assert result.mistakes["e"] == "carried error"
    assert "follows rightly from your dc/db = 2" in result.diagnoses["e"]


def test_local_derivative_answers_name_the_slip_on_their_edge():
    sheet = Exercise(colah().root, asks="local_grads")
    result = sheet.check({"de/dc": 3, "dc/da": -1, "de/dd": 3, "dd/db": 2})
    assert result.verdicts == {"dc/da": False, "dd/db": False, "de/dc": False, "de/dd": True}
    assert result.mistakes["de/dc"] == "wrong local derivative"
    assert "your ∂e/∂c = 3 is c, the operand itself" in result.diagnoses["de/dc"]
    assert "for e = c * d, ∂e/∂c = d = 2" in result.diagnoses["de/dc"]
    assert result.mistakes["dc/da"] == "sign error"
    assert result.mistakes["dd/db"] == "wrong node"  # 2 is de/dc's local derivative
    assert "your ∂d/∂b = 2 is ∂e/∂c, the local derivative of another edge" in result.diagnoses["dd/db"]


@pytest.mark.parametrize("level", [1, 2, 3])
def test_the_right_step_in_a_diagnosis_is_explains_hand_check(level):
    from pathgrad import explain
    from pathgrad.exercises.diagnose import step_text

    for seed in range(8):
        sheet = pathgrad.exercise(seed=seed, level=level)
        rights = sheet.solution()
        for label, node in sheet.nodes.items():
            if node is sheet.root:
                continue
            question = sheet._questions[label]
            assert step_text(question, lambda n: rights[n.label]) == str(explain(sheet.root, node))


def _ladder(rungs):
    """x0 -> (l_i = 0.5 x, r_i = 1.5 x) -> s_i = l_i + r_i, rungs times: 2**rungs paths, ds/dx0 = 2**rungs."""
    node = Value(1.0, "x0")
    for i in range(rungs):
        left = node * 0.5; left.label = f"l{i}"
        right = node * 1.5; right.label = f"r{i}"
        node = left + right; node.label = f"s{i}"
    return Exercise(node)


def test_a_graph_of_2048_paths_is_diagnosed_without_listing_them():
    sheet = _ladder(11)
    assert count_paths(sheet.root, sheet.nodes["x0"]) == 2048 and sheet.solution()["x0"] == 2048
    slipped = with_slip(sheet, sheet.nodes["l0"], 0, 1.0)["x0"]  # ∂l0/∂x0 = 0.5 read as x0 = 1
    assert slipped == 2560
    result = sheet.check({"x0": slipped})
    assert result.mistakes == {"x0": "wrong local derivative"}
    assert "on the edge x0 → l0: for l0 = x0 * 0.5, ∂l0/∂x0 = 0.5, not 1." in result.diagnoses["x0"]
    assert "ds10/dx0 = ds10/dl0 · ∂l0/∂x0 + ds10/dr0 · ∂r0/∂x0 = 1024·0.5 + 1024·1.5 = 2048" in result.diagnoses["x0"]
    assert sheet.check({"x0": -2048}).mistakes == {"x0": "sign error"}
    assert sheet.check({"x0": 1024}).mistakes == {"x0": "sign error"}  # ∂l0/∂x0 flipped: 2048 - 2 * 512


def test_one_path_reads_in_the_singular_and_no_number_is_repeated():
    sheet = colah()
    result = sheet.check({"e": 0, "a": 0})
    assert result.diagnoses["e"] == (
        "your de/de = 0 leaves out the one path from e to itself, which has no edges and so the product 1: de/de = 1."
    )
    assert result.diagnoses["a"] == "your de/da = 0 leaves out the only path, a → c → e (1·2 = 2): de/da = 1·2 = 2."
    assert not any(word in text for text in result.diagnoses.values() for word in ("1 paths", "= 1 = 1", "= 2 = 2"))


def test_the_two_paths_of_x_times_x_are_each_named_once_by_operand():
    x = Value(3.0, "x"); y = x * x; y.label = "y"
    result = Exercise(y).check({"x": 3})
    assert result.diagnoses["x"] == (
        "your dy/dx = 3 counts the path x → y through y's first operand (3) only; "
        "the path x → y through y's second operand (3) adds to it: dy/dx = 3 + 3 = 6."
    )


def test_a_sign_error_verdict_always_says_sign_and_never_another_slips_reading():
    # c = a * b with b = -1: the slip "1, as for a sum" is also -(∂c/∂a); the verdict and text must agree.
    a, b = Value(2.0, "a"), Value(-1.0, "b")
    c = a * b; c.label = "c"
    local = Exercise(c, asks="local_grads").check({"dc/da": 1})
    grads = Exercise(c).check({"a": 1})
    assert local.mistakes == {"dc/da": "sign error"} and grads.mistakes == {"a": "sign error"}
    for text in (local.diagnoses["dc/da"], grads.diagnoses["a"]):
        assert "sign" in text and "as for a sum" not in text
    for level in (2, 3):
        for seed in range(12):
            sheet = pathgrad.exercise(seed=seed, level=level, asks="local_grads")
            for key, number in sheet.solution().items():
                for answer in (-number, 1.0, 0.0, 2 * number):
                    result = sheet.check({key: answer})
                    if result.mistakes.get(key) == "sign error":
                        assert "sign" in result.diagnoses[key] and "as for" not in result.diagnoses[key]
