"""What customers tell the help centers: "Was this helpful?" votes and the searches that found
nothing, kept in one SQLite file next to the output (`store.py`), checked on the way in
(`intake.py`) and summed up for `kb report` and the health page (`report.py`)."""
