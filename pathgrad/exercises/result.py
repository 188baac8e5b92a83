"""What `Exercise.check` returns: a verdict per answer, a diagnosis per wrong one, and a table."""

from pathgrad.engine import number_text


class CheckResult:
    """The marked answers: `ok`, `verdicts` (key -> True or False), `diagnoses` (key -> text).

    `mistakes` names the kind of each wrong answer ("missed path", "sign error",
    "wrong local derivative", "product instead of sum", "wrong node",
    "carried error", "rounding" or "unexplained"). Printed, it is a table, then one line
    per wrong answer.

    >>> from pathgrad import Value
    >>> from pathgrad.exercises import Exercise
    >>> x = Value(3.0, "x"); y = x * x; y.label = "y"
    >>> print(Exercise(y).check({"x": -6, "y": 1}))
    answer        yours  verdict
    x                -6  wrong: sign error
    y                 1  right
    <BLANKLINE>
    x: your dy/dx = -6 has the wrong sign: dy/dx = dy/dy · ∂y/∂x + dy/dy · ∂y/∂x = 1·3 + 1·3 = 6.
    1 of 2 right; each wrong one is explained above.
    """

    def __init__(self, answers, verdicts, found):
        self.answers = answers
        self.verdicts = verdicts
        self.ok = all(verdicts.values())
        self.diagnoses = {key: diagnosis.text for key, diagnosis in found.items()}
        self.mistakes = {key: diagnosis.kind for key, diagnosis in found.items()}

    def __str__(self):
        width = max(len("answer"), *(len(key) for key in self.answers))
        lines = [f"{'answer':<{width}} {'yours':>12}  verdict"]
        for key, answer in self.answers.items():
            verdict = "right" if self.verdicts[key] else f"wrong: {self.mistakes[key]}"
            lines.append(f"{key:<{width}} {number_text(answer):>12}  {verdict}")
        lines += [""] + [f"{key}: {text}" for key, text in self.diagnoses.items()]
        right = sum(self.verdicts.values())
        lines.append(f"{right} of {len(self.verdicts)} right" + ("." if self.ok else "; each wrong one is explained above."))
        return "\n".join(line for line in lines if line or self.diagnoses)

    __repr__ = __str__
