"""Drop-in layers that give old Python container libraries' names to tranship.

:mod:`tranship.compat.containerregistry` has the modules of Google's
``containerregistry`` package, implemented on :mod:`tranship`; see
``docs/python-migration.md``.
"""
