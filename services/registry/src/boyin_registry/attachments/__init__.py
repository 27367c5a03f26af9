"""Attachments: evidence files and demand documents, kept by content hash."""
