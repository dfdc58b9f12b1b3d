"""Imports of real data: templates, reading, checking, writing, provenance.

- :mod:`data.imports.kinds` — what can be imported and how each row is checked;
- :mod:`data.imports.reader` — a file (.xlsx, CSV in UTF-8 or GB18030) as streamed rows;
- :mod:`data.imports.cells` — one cell: numbers, months, dates as offices write them;
- :mod:`data.imports.run` — one import, all or nothing, recorded as a batch;
- :mod:`data.imports.writer` — staging (COPY on PostgreSQL) and the merge;
- :mod:`data.imports.batches` — the batches, their rows, and withdrawing one;
- :mod:`data.imports.templates` — the downloadable templates.
"""
