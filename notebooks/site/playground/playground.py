"""The playground's Python side: a program in the command line's language, drawn, stepped and quizzed.

index.html runs this in Pyodide with pathgrad's pure wheel. The program is
parsed by `pathgrad graph`'s own parser (pathgrad.cli.expression: Python's
`ast` checked against a whitelist, evaluated node by node, never eval/exec),
so a bad program gets the command line's own refusal. Every function here
takes and returns JSON text, so the page never hands Python objects around.
"""

import json

from pathgrad import Value
from pathgrad.cli.expression import evaluate, parse_bindings, parse_program
from pathgrad.engine import topological_order
from pathgrad.engine.validation import Refused
from pathgrad.exercises import Exercise
from pathgrad.viz import step_through
from pathgrad.viz.stepper.page import script_json

WIDTH = 900  # CSS px the drawing may take: the page's column
_current = {}  # the last graph drawn: its exercise, for check()


def _named_throughout(root, bound):
    """Label every unnamed interior value t1, t2, ... (in the order built): the quiz asks for each by name."""
    count = 0
    for node in topological_order(root):
        if node.children and not node.label:
            count += 1
            while f"t{count}" in bound:
                count += 1
            node.label = f"t{count}"


def build(program, inputs):
    """{"stepper": the stepper's data, "questions": [...], "output": ...}, or {"error": the refusal}."""
    try:
        bindings = parse_bindings(inputs.split())
        parsed = parse_program(program, list(bindings))
        run = evaluate(parsed, {name: Value(x, name) for name, x in bindings.items()})
        root = run.output
        _named_throughout(root, set(run.named))
        exercise = Exercise(root)
        stepper = step_through(root, show_local_grads=True, width=WIDTH)
        data = json.loads(script_json(stepper.page_data()))
    except Refused as refusal:
        _current.clear()
        return json.dumps({"error": str(refusal)})
    _current["exercise"] = exercise
    return json.dumps({
        "stepper": data,
        "output": f"{root.label} = {root.data:g}",
        "questions": exercise.questions,
        "solution": {key: f"{right:g}" for key, right in exercise.solution().items()},
    })


def check(answers):
    """Mark {key: text} answers: {"verdicts": {key: bool}, "diagnoses": {key: text}} or {"error": ...}."""
    exercise = _current.get("exercise")
    if exercise is None:
        return json.dumps({"error": "draw a graph first"})
    numbers = {}
    for key, text in json.loads(answers).items():
        text = text.strip()
        if not text:
            continue
        try:
            numbers[key] = float(text)
        except ValueError:
            return json.dumps({"error": f"d/d{key}: {text[:40]!r} is not a number; type one like 2 or -0.5"})
    if not numbers:
        return json.dumps({"error": "type at least one grad, then check"})
    try:
        result = exercise.check(numbers)
    except Refused as refusal:
        return json.dumps({"error": str(refusal)})
    return json.dumps({"verdicts": result.verdicts, "diagnoses": {k: str(v) for k, v in result.diagnoses.items()}})
