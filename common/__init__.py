"""What every service shares: settings, logging, request ids, errors, metrics, database access.

This package imports nothing of ours (import-linter checks it).
"""
