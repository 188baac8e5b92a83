"""`pathgrad graph` view options: --around, --depth, --collapse, --max-frames, and the --paths cap."""

COLAH = "c = a + b; d = b + 1; e = c * d"


def test_around_and_depth_draw_only_the_values_near_the_named_one(pathgrad, tmp_path):
    result = pathgrad("graph", COLAH, "a=2", "b=1", "-o", "e.dot", "--around", "d", "--depth", "1")
    assert result.returncode == 0, result.stderr
    source = (tmp_path / "e.dot").read_text()
    assert "{ d |" in source and "{ e |" in source and "{ b |" in source
    assert "{ a |" not in source and "{ c |" not in source


def test_a_steps_page_past_max_frames_is_refused_naming_the_flags(pathgrad, tmp_path):
    result = pathgrad("graph", "z = x * 2 * 2 * 2 * 2", "x=1", "--steps", "z.html", "--max-frames", "3")
    assert result.returncode == 2
    assert "6 frames, more than --max-frames 3" in result.stderr
    assert "--around NAME --depth K" in result.stderr and "--collapse NAME" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "z.html").exists()


def test_collapse_without_a_drawing_is_refused(pathgrad):
    result = pathgrad("graph", "z = x * 2", "x=1", "--collapse", "layers.0")
    assert result.returncode == 2 and "--collapse sets how the graph is drawn" in result.stderr


def test_paths_output_is_capped_and_says_how_many_paths_were_left_out(pathgrad):
    # 12 levels of y = y*y: 4096 paths from x, far more than fit in the cap.
    program = "; ".join(["y0 = x * x"] + [f"y{k} = y{k - 1} * y{k - 1}" for k in range(1, 12)])
    result = pathgrad("graph", program, "x=1", "--paths", "x")
    assert result.returncode == 0, result.stderr
    listed = [line for line in result.stdout.splitlines() if line.startswith("  x -> ")]
    assert 0 < len(listed) < 4096 and sum(map(len, listed)) <= 20_000
    assert f"... and {4096 - len(listed)} more paths, left out to keep this short" in result.stdout
    assert "sum of the 4096 products: 4096; backward gives dy11/dx = 4096" in result.stdout
