"""pathgrad.files: outputs staged beside their target and renamed into place, or left as they were."""

import errno
import os
import signal
import stat
import subprocess
import sys
import threading

import pytest

from pathgrad import files
from pathgrad.files import staged_outputs, write_atomically
from tests.handshake import ctrl_c_as_in_a_terminal


def leftovers(folder):
    return [name for name in os.listdir(folder) if name.startswith(".pathgrad-")]


@pytest.fixture
def small_disk(tmp_path):
    """A 64 KiB tmpfs, or None where this process may not mount one."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        yield None
        return
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


@pytest.fixture
def devices(tmp_path_factory):
    """Private copies of /dev/null and /dev/full, so that a regression replaces only them."""
    folder = tmp_path_factory.mktemp("dev")
    made = {}
    for name, minor in (("null", 3), ("full", 7)):
        try:
            os.mknod(folder / name, stat.S_IFCHR | 0o666, os.makedev(1, minor))
        except PermissionError:
            pytest.skip("making device nodes needs root")
        made[name] = str(folder / name)
    return made


def fill(folder):
    """Fill the filesystem of `folder` to the last byte."""
    with open(folder / "filler", "wb", buffering=0) as filler:
        try:
            while True:
                filler.write(b"\0" * 1024)
                filler.flush()
        except OSError as error:
            assert error.errno == errno.ENOSPC


@pytest.mark.parametrize("disk", ["tmpfs", "simulated"])
def test_a_full_disk_leaves_the_old_file_whole_and_names_the_users_path(disk, small_disk, tmp_path, monkeypatch):
    if disk == "tmpfs" and small_disk is None:
        pytest.skip("mounting a tmpfs is not allowed here; the simulated case runs instead")
    folder = small_disk if disk == "tmpfs" else tmp_path
    target = folder / "model.json"
    target.write_bytes(b'{"old": 1}')
    if disk == "tmpfs":
        fill(folder)
    else:  # the write fails as it does on a full disk
        monkeypatch.setattr(files, "open", lambda *a, **k: _Full(), raising=False)
    with pytest.raises(OSError) as caught:
        write_atomically(target, b"x" * 200_000)
    assert caught.value.errno == errno.ENOSPC
    assert caught.value.filename == str(target)
    assert target.read_bytes() == b'{"old": 1}'
    assert leftovers(folder) == []


class _Full:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def write(self, data):
        raise OSError(errno.ENOSPC, "No space left on device")


def test_several_outputs_are_all_or_nothing(tmp_path, devices):
    with pytest.raises(OSError) as caught:
        with staged_outputs() as staging:
            with open(staging.path(tmp_path / "ok.txt"), "w") as file:
                file.write("fine")
            with open(staging.path(devices["full"]), "w") as file:
                file.write("never fits")
            staging.commit()
    assert caught.value.errno == errno.ENOSPC and caught.value.filename == devices["full"]
    assert os.listdir(tmp_path) == []
    assert stat.S_ISCHR(os.stat(devices["full"]).st_mode)


def test_a_device_is_written_to_and_never_replaced(devices):
    # Before, as root, this renamed a JSON file over the device node.
    write_atomically(devices["null"], b"gone")
    assert stat.S_ISCHR(os.stat(devices["null"]).st_mode)
    with pytest.raises(OSError) as caught:
        write_atomically(devices["full"], b"too much")
    assert caught.value.errno == errno.ENOSPC and caught.value.filename == devices["full"]
    assert stat.S_ISCHR(os.stat(devices["full"]).st_mode)


def test_a_fifo_is_written_to_and_stays_a_fifo(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    write_atomically(fifo, b"through the pipe")
    reader.join(timeout=10)
    assert received == [b"through the pipe"]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_a_read_only_target_is_refused_and_kept(tmp_path):
    target = tmp_path / "kept.json"
    target.write_bytes(b"old")
    target.chmod(0o444)
    with pytest.raises(PermissionError, match="is read-only"):
        write_atomically(target, b"new")
    assert target.read_bytes() == b"old"
    assert stat.S_IMODE(target.stat().st_mode) == 0o444


def test_a_symlink_is_written_through_and_stays_a_link(tmp_path):
    real = tmp_path / "real.json"
    real.write_bytes(b"old")
    link = tmp_path / "link.json"
    link.symlink_to("real.json")
    write_atomically(link, b"new")
    assert link.is_symlink() and os.readlink(link) == "real.json"
    assert real.read_bytes() == b"new"


def test_an_existing_file_keeps_its_permissions(tmp_path):
    target = tmp_path / "shared.json"
    target.write_bytes(b"old")
    target.chmod(0o640)
    write_atomically(target, b"new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_a_254_character_name_works(tmp_path):
    target = tmp_path / ("m" * 249 + ".json")
    write_atomically(target, b"long")
    assert target.read_bytes() == b"long"
    assert leftovers(tmp_path) == []


def test_the_next_save_removes_what_a_killed_writer_left_and_spares_a_live_ones(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = tmp_path / f".pathgrad-{dead.stdout.strip()}-abcdefgh.tmp.json"
    live = tmp_path / ".pathgrad-1-abcdefgh.tmp.json"  # pid 1 is alive
    for left in (stale, live):
        left.write_bytes(b"half")
        left.chmod(0o600)  # as mkstemp makes it
    write_atomically(tmp_path / "model.json", b"whole")
    assert not stale.exists() and live.exists()


def test_a_file_of_yours_named_like_a_left_temporary_file_is_kept(tmp_path):
    # Before, any name starting .pathgrad-<dead pid>-...tmp went at the next save to its folder.
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = dead.stdout.strip()
    yours = {
        f".pathgrad-{pid}-notes.tmp": 0o600,  # not mkstemp's 8 random characters
        f".pathgrad-{pid}-abcdefgh.tmp.json.bak": 0o600,  # more than one extension
        f".pathgrad-{pid}-abcdefgh.tmp.json": 0o644,  # readable by others: not a file mkstemp made
    }
    for name, mode in yours.items():
        (tmp_path / name).write_bytes(b"mine")
        (tmp_path / name).chmod(mode)
    (tmp_path / "target.txt").write_bytes(b"mine")
    (tmp_path / f".pathgrad-{pid}-abcdefgh.tmp.svg").symlink_to("target.txt")  # a link, not a file
    write_atomically(tmp_path / "model.json", b"whole")
    assert sorted(leftovers(tmp_path)) == sorted([*yours, f".pathgrad-{pid}-abcdefgh.tmp.svg"])
    assert all((tmp_path / name).read_bytes() == b"mine" for name in yours)


def test_a_dangling_symlink_names_the_missing_folder_it_points_into(tmp_path):
    # Before, the message named the link's own folder, which exists.
    link = tmp_path / "model.json"
    link.symlink_to(tmp_path / "gone" / "model.json")
    with pytest.raises(FileNotFoundError) as caught:
        write_atomically(link, b"whole")
    assert caught.value.strerror == f"the folder {tmp_path / 'gone'} does not exist (this link points into it)"
    assert caught.value.filename == str(link)
    assert os.listdir(tmp_path) == ["model.json"] and link.is_symlink()


def test_a_bytes_path_is_written_as_its_str_path_would_be(tmp_path):
    # Before, a bytes path raised a raw "can only concatenate str (not "bytes") to str".
    write_atomically(os.fsencode(tmp_path / "model.json"), b"whole")
    assert (tmp_path / "model.json").read_bytes() == b"whole"
    assert leftovers(tmp_path) == []


def test_a_path_of_another_type_is_a_type_error_naming_what_is_accepted():
    with pytest.raises(TypeError, match=r"^a file name is a str, bytes or os.PathLike; got int 123$"):
        write_atomically(123, b"whole")


SLOW_SAVE = """
import sys, time
from pathgrad.files import staged_outputs
with staged_outputs() as staging:
    with open(staging.path(sys.argv[1]), "w") as file:
        file.write("half")
    print("staged", flush=True)
    time.sleep(60)
    staging.commit()
"""


@pytest.mark.parametrize("signum, status", [(signal.SIGTERM, 143), (signal.SIGINT, -signal.SIGINT)])
def test_a_signal_mid_save_removes_the_temporary_file(tmp_path, signum, status):
    target = tmp_path / "model.json"
    writer = subprocess.Popen(
        [sys.executable, "-c", SLOW_SAVE, str(target)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        preexec_fn=ctrl_c_as_in_a_terminal,  # even when the suite runs in the background
    )
    assert writer.stdout.readline() == b"staged\n"
    assert len(leftovers(tmp_path)) == 1
    writer.send_signal(signum)
    assert writer.wait(timeout=30) == status
    assert os.listdir(tmp_path) == []


def test_after_a_sigkill_the_next_save_to_the_folder_cleans_up(tmp_path):
    target = tmp_path / "model.json"
    writer = subprocess.Popen(
        [sys.executable, "-c", SLOW_SAVE, str(target)], stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    assert writer.stdout.readline() == b"staged\n"
    writer.kill()
    writer.wait(timeout=30)
    assert len(leftovers(tmp_path)) == 1  # SIGKILL runs no cleanup
    write_atomically(target, b"whole")
    assert os.listdir(tmp_path) == ["model.json"]
