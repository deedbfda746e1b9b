"""Reads of joint plans, already filtered to what the person may see, in a constant number of
queries: the plan page (`plans.py`), rounds and their results (`rounds.py`)."""
