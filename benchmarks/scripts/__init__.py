"""Runnable scripts: ``python -m benchmarks.scripts.<name>`` from the repository root.

Each prints medians and ratios measured in one run (``timing.py`` holds the
shared helpers) and reuses its suite's setup and bodies.  Importing a script
does nothing beyond definitions: its work is in ``main()``.
"""
