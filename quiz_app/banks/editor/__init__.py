"""The form editor of a bank in the browser (its pages are in :mod:`.views`)."""
