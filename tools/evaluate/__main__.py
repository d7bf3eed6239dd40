"""``python -m tools.evaluate``: every evaluation section, printed and written to EVAL.md."""

from tools.evaluate.report import main

if __name__ == "__main__":
    raise SystemExit(main())
