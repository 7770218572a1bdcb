"""`python -m workforce …`: main (the parser and the dispatch) and one module per command group
(compare, load, spc, …).

May import: anything in workforce.
"""
