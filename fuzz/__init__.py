"""Fuzzing: shared targets (:mod:`fuzz.targets`), seed generation (:mod:`fuzz.seeds`) and
atheris harnesses (``cfb_reader.py``, ``message.py``, ``rtf.py``, ``eml.py``).

The pytest suites ``tests/test_fuzz_*.py`` drive the same targets with hypothesis."""
