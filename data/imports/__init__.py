"""Imports of real data: templates, reading, checking, writing, provenance.

- :mod:`data.imports.registry` — every kind that can be imported (``KINDS``);
- :mod:`data.imports.kinds` — what a kind is (its columns, checks, tables);
  ``kinds_indicators``, ``kinds_tasks``, ``kinds_problems``, ``kinds_risk`` declare them;
- :mod:`data.imports.reader` — a file (.xlsx, CSV in UTF-8 or GB18030) as streamed rows;
- :mod:`data.imports.cells` — one cell: numbers, months, dates as offices write them;
- :mod:`data.imports.lookups` — what rows are checked against (regions by code or name …);
- :mod:`data.imports.run` — one import, all or nothing, recorded as a batch;
- :mod:`data.imports.writer` — staging (COPY on PostgreSQL) and the bulk merge;
- :mod:`data.imports.merges` — the merges of kinds that write more than one table;
- :mod:`data.imports.batches` — the batches, their rows, and withdrawing one;
- :mod:`data.imports.templates` — the downloadable templates;
- :mod:`data.imports.cli` — the commands (``flask import`` …).
"""
