"""Every write to a joint plan: the plan and its bodies, the people who act for each body, its
goals and objectives (`plans.py`); the actions the bodies propose and their consolidation
(`actions.py`); prioritisation rounds (`rounds.py`).

Each function runs in one transaction, checks the policy (PermissionDenied) and the rules
(ValidationError keyed by the field to fix), and saves history rows attributed to the actor.
"""
