"""Any fsspec URL: being built (issue 5)."""
