"""Date formats of the interface languages that differ from Django's own
(FORMAT_MODULE_PATH). Simplified Chinese keeps Django's ("2026年12月5日")."""
