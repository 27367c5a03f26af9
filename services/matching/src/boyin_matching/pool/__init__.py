"""The pool: matching's projection of the registry's parties and published demands."""
