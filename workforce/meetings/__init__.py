"""The board pack: pack (the pages, built from a views.board Board, and the PowerPoint) and
pack_pdf (the same pages as an A4 PDF).

May import: base, signals, store, protect, views.
"""
