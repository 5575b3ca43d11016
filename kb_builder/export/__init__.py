"""`kb export`: reply templates as helpdesk macros and public FAQ entries as help-center articles.

One module per target (zendesk.py, gorgias.py, freshdesk.py, neutral.py for our own json),
placeholders.py for the `{name}` -> helpdesk placeholder mapping, selection.py for what is
exported (markets, languages, channels), files.py for writing deterministic files and push.py
for sending them to a helpdesk API. See docs/export.md for the layout of each target.
"""
