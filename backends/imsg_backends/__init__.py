"""The built-in storage backends of imsg-core.

Each module here is a plugin declared under the ``imsg_core.backends`` entry-point group in
``pyproject.toml``, exactly as a third-party backend declares its own:

* ``memory`` — per-session in-memory storages (``mem://NAME``);
* ``ole`` — local compound files (paths, ``file://``, bytes, file objects);
* ``remote`` — any fsspec URL; the catch-all, asked last.
"""
