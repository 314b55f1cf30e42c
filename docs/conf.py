"""Sphinx configuration for the imsg-core documentation."""

from __future__ import annotations

import imsg_core

project = "imsg-core"
author = "imsg-core developers"
copyright = "2026, imsg-core developers"
release = imsg_core.__version__
extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
html_theme = "furo"
html_title = "imsg-core"
exclude_patterns = ["_build"]
autodoc_typehints = "description"
autodoc_member_order = "bysource"
nitpicky = False
