"""Report bodies' expression language: Jinja expressions over the computed status, run in a
sandbox whose work is bounded. Checks import it (report_expr), and so does rendering; it sits
beside the checks, not inside render/. ``sandbox`` is the language, ``bounds`` its limits
(also used for repository templates by render/env.py)."""
