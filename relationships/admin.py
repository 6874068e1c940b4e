"""Declarations are deliberately not in the Django admin.

The admin is for service operators, and nobody but the Monitoring Officer and the Chief
Executive may learn a declaration's details (DESIGN.md, Declared relationships; Security
decisions). The register is kept through its pages and API, which scope every read.
"""
