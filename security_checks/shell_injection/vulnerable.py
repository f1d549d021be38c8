"""Count the lines of a log file that mention a search term."""

import subprocess  # expect: B404


def count_mentions(log_path: str, term: str) -> int:
    """Return how many lines of the file at log_path contain term, as plain text."""
    # The term is pasted into a command line for /bin/sh. The quotes around it do
    # not help: a term containing ' closes them, then ; starts a new command.
    command = f"grep -c -F -- '{term}' {log_path}"
    result = subprocess.run(command, shell=True, capture_output=True, text=True)  # expect: B602
    return int(result.stdout)
