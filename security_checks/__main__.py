"""python -m security_checks [EXERCISE ...] [--mine] [--list]

Without --mine, checks that each exercise proves its point: Bandit reports exactly
the marked findings in vulnerable.py and none in fixed.py, the exploits work on
vulnerable.py and fail on fixed.py, and the legitimate use works on both.

With --mine, checks your own fix of vulnerable.py: the exploits must now fail, the
legitimate use must still work, and Bandit must report nothing.
"""

import argparse
import difflib
import sys

from security_checks.checker import check
from security_checks.expectations import exercise_names


class ArgumentParser(argparse.ArgumentParser):
    def error(self, message: str) -> None:
        """Report a usage mistake in one line, without the usage block."""
        self.exit(2, f"{self.prog}: {message} (see --help)\n")


def main(argv: list[str] | None = None) -> int:
    description = __doc__.split("\n\n", 1)[1]
    parser = ArgumentParser(prog="python -m security_checks", description=description)
    parser.add_argument("exercises", nargs="*", metavar="EXERCISE", help="default: all of them")
    parser.add_argument("--mine", action="store_true", help="check your own fix of vulnerable.py")
    parser.add_argument("--list", action="store_true", help="list the exercises and stop")
    args = parser.parse_args(argv)

    known = exercise_names()
    if args.list:
        print("\n".join(known))
        return 0
    for name in args.exercises:
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1)
            hint = f"did you mean {close[0]}?" if close else "see --list"
            print(f"{parser.prog}: no exercise named {name!r}; {hint}", file=sys.stderr)
            return 2

    verdicts = check(args.exercises or known, mine=args.mine)
    width = max(len(verdict.exercise) for verdict in verdicts)
    for verdict in verdicts:
        status = "PASS" if verdict.passed else "FAIL"
        print(f"{status}  {verdict.exercise:<{width}}  {verdict.summary}".rstrip())
        for problem in verdict.problems:
            print(f"      - {problem}")
    failed = sum(not verdict.passed for verdict in verdicts)
    print(f"{len(verdicts) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
