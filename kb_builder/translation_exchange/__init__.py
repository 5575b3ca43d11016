"""Translation exchange: XLIFF 1.2 and PO files for translators and translation platforms.

`units.py` lists the translatable units of the content (one per translatable field) with their
state; `xliff.py` and `po.py` write and read the two formats; `importer.py` writes translations
back into the YAML files, changing only the bytes that must change.
"""
