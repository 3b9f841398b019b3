"""ketacheck's files: reading and writing checklists and responses as TOML.

:mod:`ketacheck.files.checklist` reads and writes checklist files with the standard library's
vocabulary (``load``/``loads``/``dump``/``dumps``, and ``read``/``save`` for paths). The
private modules beside it are the machinery every file kind shares: the size and shape guards
and the TOML parser (``_toml``), the one strict cattrs converter (``_convert``) and atomic
writes (``_atomic``).
"""
