"""Is the thread holding? Coverage findings, contribution analysis, data discipline, the portfolio across countries,
evaluation reports, and reconciliation with a system of record (EVAL-1, EVAL-4, EVAL-5)."""
