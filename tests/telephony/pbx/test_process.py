"""What a failed start tells whoever reads the traceback."""

from telephony.errors import StartFailed


def test_a_start_failure_prints_asterisks_last_log_lines() -> None:
    log = [f"line {n}" for n in range(40)]
    text = str(StartFailed("Asterisk exited while starting", log=log))
    assert text.splitlines() == ["Asterisk exited while starting"] + [
        f"  line {n}" for n in range(25, 40)]


def test_a_start_failure_without_a_log_is_its_message() -> None:
    assert str(StartFailed("Asterisk did not become ready: timed out")) == (
        "Asterisk did not become ready: timed out")
