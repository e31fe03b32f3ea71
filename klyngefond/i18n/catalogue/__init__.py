"""The message catalogue: one module per area, each ``MESSAGES = {key: (Danish, English)}``.

A key's first part names its module (``status.title`` lives in ``status.py``). Both texts
take the same ``{placeholders}``; ``tests/test_catalogue.py`` checks that every key used in
the code exists here and that both languages are filled in with the same placeholders.
"""
