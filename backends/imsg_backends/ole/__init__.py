"""Local compound files (MS-CFB): being built (issue 3)."""
