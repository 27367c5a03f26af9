"""Event contracts: one module per publishing service (``<service>.py``).

Importing this package imports every module in it, and so registers every event in
:data:`boyin_shared.events.CATALOG`: a new service's contracts module is in the catalogue
(and in the snapshot test) by being in this folder, with no line to add here.
"""

import importlib
import pkgutil

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")
