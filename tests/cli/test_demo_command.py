"""`pathgrad demo`: colah's worked example, printed and drawn into ./out."""


def test_demo_prints_the_gradients_paths_and_chain_rule(pathgrad, table):
    result = pathgrad("demo")
    assert result.returncode == 0, result.stderr
    assert table(result.stdout) == {"a": (2, 2), "b": (1, 5), "c": (3, 2), "d": (2, 3), "e": (6, 1)}
    assert "  b -> c -> e: ∂c/∂b * ∂e/∂c = 1 * 2 = 2" in result.stdout
    assert "  b -> d -> e: ∂d/∂b * ∂e/∂d = 1 * 3 = 3" in result.stdout
    assert "sum of the products: 2 + 3 = 5; backward gives de/db = 5" in result.stdout
    assert "de/db = ∂e/∂c · ∂c/∂b + ∂e/∂d · ∂d/∂b = 2·1 + 3·1 = 5" in result.stdout


def test_demo_writes_the_drawing_and_the_stepper_into_out(pathgrad, tmp_path):
    result = pathgrad("demo")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["e-steps.html", "e.svg"]
    assert "grad 5" in (tmp_path / "out" / "e.svg").read_text()
    assert "Frame 4 of 5. c has its full grad" in (tmp_path / "out" / "e-steps.html").read_text()
    assert "wrote out/e.svg\nwrote out/e-steps.html" in result.stdout


def test_demo_takes_no_arguments(pathgrad, tmp_path):
    result = pathgrad("demo", "a=3")
    assert result.returncode == 2
    assert "unrecognized arguments: a=3" in result.stderr
