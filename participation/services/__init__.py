"""Every write to participation, one module per area: consultations, comments, votes (and
follows and moderation), and the register of inputs and responses. Each function runs in one
transaction, takes the acting user as a keyword argument, checks `participation.policies`
(PermissionDenied) and its rules (ValidationError naming the field), and fires side effects
(mail) only after commit."""
