"""What people write beside the figures, kept in SQLite apart from the workforce database (so it
survives every reload): records holds the Store, exception commentary, the intervention register
(events and change points drawn on charts) and the audit entries.

May import: base, measures.selection.
"""
