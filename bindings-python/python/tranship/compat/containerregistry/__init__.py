"""Google's ``containerregistry`` API, implemented on tranship.

Swap ``from containerregistry.client ...`` for
``from tranship.compat.containerregistry.client ...``: the modules, classes
and return shapes are the old ones (``str`` manifests, top-first
``fs_layers`` and ``diff_ids``, context managers), the work is done by
tranship's core (streamed, verified, parallel). The differences, each a
bug of the old library, are listed in ``docs/python-migration.md``.
"""
