"""Foundations every other package stands on: the validated config (config), read access to the
database and the SQL files in queries/ (db), how numbers and months are written (formatting), and
how outside text is escaped or clipped (text).

May import: nothing else in workforce.
"""
