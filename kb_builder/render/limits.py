"""Limits of what the Markdown renderer is given, in a module of their own so that the checker can
report texts past them without importing Markdown (a cold `kb check` never renders)."""

# Python-Markdown's time grows with the square of the `[` in a text (40,000 take minutes): past this
# a text is shown as plain text, and the checker reports it (checks/texts.py, markdown-too-complex).
MAX_BRACKETS = 500
