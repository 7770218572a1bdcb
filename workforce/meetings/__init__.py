"""The board pack: pack (the pages, built from a views.board Board, and the PowerPoint), pack_pdf
(the same pages as an A4 PDF) and pack_file (either as a file: bytes, media type, file name).

May import: base, signals, store, protect, views.
"""
