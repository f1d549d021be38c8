"""Count the lines of a log file that mention a search term."""

# No shell and no subprocess: Python reads the file itself, so the term is only
# ever data. (Where you must run a program, pass its arguments as a list with
# shell=False; Bandit still lists that, at LOW severity, as B603.)


def count_mentions(log_path: str, term: str) -> int:
    """Return how many lines of the file at log_path contain term, as plain text."""
    with open(log_path, encoding="utf-8", errors="replace") as log:
        return sum(term in line for line in log)
