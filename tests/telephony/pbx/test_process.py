"""What a failed start tells whoever reads the traceback."""

import subprocess

from telephony.errors import StartFailed
from telephony.pbx import process


def test_a_start_failure_prints_asterisks_last_log_lines() -> None:
    log = [f"line {n}" for n in range(40)]
    text = str(StartFailed("Asterisk exited while starting", log=log))
    assert text.splitlines() == ["Asterisk exited while starting"] + [
        f"  line {n}" for n in range(25, 40)]


def test_a_start_failure_without_a_log_is_its_message() -> None:
    assert str(StartFailed("Asterisk did not become ready: timed out")) == (
        "Asterisk did not become ready: timed out")


def test_our_own_child_is_alive_by_the_kernels_word_not_its_command_line() -> None:
    # /proc/<pid>/cmdline reads empty while a process is between execs (chroot -> asterisk)
    # or exiting, which once made a starting Asterisk look dead
    child = subprocess.Popen(["sleep", "30"])
    process._children[child.pid] = child
    try:
        assert process._alive(child.pid)
        child.kill()
        child.wait()
        assert not process._alive(child.pid)
        assert child.pid not in process._children
    finally:
        child.kill()
