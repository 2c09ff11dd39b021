"""Filter for the servers' output in `make run`: drops the Python warnings that libraries print while they
load (deprecations inside Rasa, Sanic, SQLAlchemy, TensorFlow's notices ...), which are not the clinic's
business and pushed the banner off screen. Everything else passes, line by line, as it comes; the full output
is in the log file given as the first argument.

A warning is its "path.py:N: SomethingWarning: ..." line and the lines after it up to the next log line, blank
line or traceback. Ctrl-C is left to the servers: this filter ends when they have (its input closes).
"""
import re
import signal
import sys

WARNING = re.compile(r"^(\x1b\[\d+m)?\S+\.py:\d+: \w*Warning: |^\d{4}-\d\d-\d\d [\d:.]+: [IW] tensorflow/")
# what ends a warning's block: a log line ("2026-12-06 06:37:45 INFO ..."), a traceback, a blank line
NOT_WARNING = re.compile(r"^(\x1b\[\d+m)?(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \w+ |\[\d{4}-|Traceback|\s*$)")
TENSORFLOW_NOTICE = re.compile(r"^To enable the following instructions: .* rebuild TensorFlow")


def main() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    log = open(sys.argv[1], "a", encoding="utf-8") if len(sys.argv) > 1 else None
    in_warning = False
    for line in sys.stdin:
        if log:
            log.write(line)
            log.flush()
        if WARNING.match(line) or TENSORFLOW_NOTICE.match(line):
            in_warning = True
        elif in_warning and NOT_WARNING.match(line):
            in_warning = False
        if not in_warning:
            sys.stdout.write(line)
            sys.stdout.flush()


if __name__ == "__main__":
    main()
