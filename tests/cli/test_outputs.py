"""A command's output files: all of them or none, staged beside their targets, never a copy over one."""

import os
import signal
import stat
import subprocess
import sys
import tempfile

import pytest

from tests.handshake import ctrl_c_as_in_a_terminal, line_starting
from tests.test_files import devices, fill, leftovers, small_disk  # noqa: F401  (fixtures)

TINY = ("--hidden", "4", "--epochs", "2", "--dataset", "xor")


def test_a_failing_output_means_no_output_is_written(pathgrad, tmp_path, devices):  # noqa: F811
    # Before, ok.svg was written and then /dev/full failed: exit 2 with half the outputs.
    result = pathgrad("graph", "y = x * 2", "x=1", "-o", "ok.svg", "--steps", devices["full"])
    assert result.returncode == 2
    assert result.stderr == f"pathgrad graph: No space left on device: {devices['full']}\n"
    assert os.listdir(tmp_path) == []
    assert stat.S_ISCHR(os.stat(devices["full"]).st_mode)


def test_a_device_output_is_written_to_not_replaced(pathgrad, devices):  # noqa: F811
    result = pathgrad("graph", "y = x * 2", "x=1", "-o", devices["null"], "--format", "dot")
    assert result.returncode == 0, result.stderr
    assert stat.S_ISCHR(os.stat(devices["null"]).st_mode)


def test_a_full_disk_keeps_the_old_model_file_whole(pathgrad, small_disk):  # noqa: F811
    if small_disk is None:
        pytest.skip("cannot mount a tmpfs here; tests/test_files.py simulates the full disk")
    old = b'{"format": "pathgrad.nn", "old": true}'
    (small_disk / "model.json").write_bytes(old)
    fill(small_disk)
    result = pathgrad("train", *TINY, "--save", str(small_disk / "model.json"))
    assert result.returncode == 2
    assert f"pathgrad train: No space left on device: {small_disk / 'model.json'}\n" in result.stderr
    assert (small_disk / "model.json").read_bytes() == old  # before: 12,288 bytes of cut-off JSON
    assert sorted(os.listdir(small_disk)) == ["filler", "model.json"]


def test_a_254_character_file_name_works_from_the_command_line(pathgrad, tmp_path):
    name = "g" * 250 + ".dot"
    result = pathgrad("graph", "y = x * 2", "x=1", "-o", name)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / name).read_text().startswith("digraph")


def test_a_read_only_output_is_refused_before_any_work(pathgrad, tmp_path):
    kept = tmp_path / "kept.json"
    kept.write_text("old")
    kept.chmod(0o444)
    result = pathgrad("train", *TINY, "--save", "kept.json")
    assert result.returncode == 2
    assert result.stderr.startswith("pathgrad train: is read-only; make it writable")
    assert result.stderr.endswith(": kept.json\n")
    assert result.stdout == ""
    assert kept.read_text() == "old" and stat.S_IMODE(kept.stat().st_mode) == 0o444


def test_a_symlinked_output_stays_a_link(pathgrad, tmp_path):
    (tmp_path / "real.dot").write_text("old")
    (tmp_path / "link.dot").symlink_to("real.dot")
    result = pathgrad("graph", "y = x * 2", "x=1", "-o", "link.dot")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "link.dot").is_symlink()
    assert (tmp_path / "real.dot").read_text().startswith("digraph")


@pytest.mark.parametrize("signum, status", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_during_training_leaves_no_file(tmp_path, signum, status):
    command = [sys.executable, "-m", "pathgrad", "train", "--hidden", "4", "--epochs", "100000", "--save", "m.json"]
    errors = tempfile.TemporaryFile("w+")  # a file, not a pipe nobody drains
    run = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=errors, text=True,
                           preexec_fn=ctrl_c_as_in_a_terminal)  # even when the suite runs in the background
    try:
        # The handshake: "training: ..." is printed (and flushed) with the model file staged, as the loop starts.
        line_starting(run.stdout, "training: ")
        assert leftovers(tmp_path), "the model file was not staged before training"
        run.send_signal(signum)
        assert run.wait(timeout=300) == status, errors.seek(0) or errors.read()
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
        errors.close()
    assert os.listdir(tmp_path) == []


def test_a_bug_is_reported_as_a_bug_not_as_bad_input(pathgrad, tmp_path):
    # A TypeError raised inside pathgrad itself is not the user's mistake.
    script = (
        "import sys, pathgrad.cli.graph as g\n"
        "g.gradient_table = lambda output, named: None + 1\n"
        "from pathgrad.cli import main\n"
        "sys.exit(main(['graph', 'y = x * 2', 'x=1']))\n"
    )
    result = pathgrad(command=(sys.executable, "-c", script))
    assert result.returncode == 2
    assert "unexpected TypeError" in result.stderr and "(please report this)" in result.stderr


def test_a_diverging_run_exits_1_naming_the_epoch(pathgrad, tmp_path):
    result = pathgrad("train", *TINY, "--optimizer", "sgd", "--lr", "1e308", "--save", "m.json")
    assert result.returncode == 1
    assert "training diverged at epoch 1" in result.stderr
    assert "smaller learning rate (lr = 1e+308)" in result.stderr
    assert os.listdir(tmp_path) == []
