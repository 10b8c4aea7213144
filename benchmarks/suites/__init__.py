"""asv suites, one module per topic; see ``benchmarks/__init__.py`` for the list.

Each class times (``time_``, ``peakmem_``, ``timeraw_``) fastopt beside its
peer, or tracks (``track_``) counts: iterations, certified fits, problems
solved, median evaluations.  No ``track_`` method times anything by hand.
"""
