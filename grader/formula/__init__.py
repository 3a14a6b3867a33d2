"""The formula engine: our own grammar, name resolution, shapes, numeric evaluation.

Student text is parsed by a Lark grammar into a tree of plain nodes; nothing is
ever evaluated as Python.
"""
