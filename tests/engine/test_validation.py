"""pathgrad.engine.validation: one rule everywhere, a wrong type is a TypeError and a wrong value a ValueError."""

import pytest

from pathgrad.engine.validation import Refused, integer, number, positive_int


@pytest.mark.parametrize("check, argument", [
    (positive_int, 1.0), (positive_int, True), (positive_int, "3"),
    (integer, None), (number, "0.1"), (number, False), (number, [1.0]),
])
def test_a_wrong_type_is_a_type_error_marked_as_a_refusal(check, argument):
    with pytest.raises(TypeError, match=f"op: got name = {argument!r}".replace("[", r"\[").replace("]", r"\]")) as caught:
        check("op", "name", argument)
    assert isinstance(caught.value, Refused) and not isinstance(caught.value, ValueError)


@pytest.mark.parametrize("check, argument, bounds", [
    (positive_int, 0, {}), (positive_int, -3, {}), (integer, 5, {"high": 4}),
    (number, float("inf"), {}), (number, float("nan"), {}), (number, 10**400, {}), (number, -0.5, {"low": 0.0}),
])
def test_a_wrong_value_is_a_value_error_marked_as_a_refusal(check, argument, bounds):
    with pytest.raises(ValueError, match="op: got name = ") as caught:
        check("op", "name", argument, **bounds)
    assert isinstance(caught.value, Refused) and not isinstance(caught.value, TypeError)


def test_accepted_values_come_back_as_int_and_float():
    assert positive_int("op", "n", 3) == 3 and type(integer("op", "n", 3)) is int
    assert number("op", "x", 3) == 3.0 and type(number("op", "x", 3)) is float
