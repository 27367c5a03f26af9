"""Imports: demands brought in from spreadsheets as resumable jobs, and exported back in
the same format (docs/import-format.md)."""
