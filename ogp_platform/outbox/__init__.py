"""The outbox of outgoing mail: each email is a row written in the sender's transaction, so an
email the platform decided to send survives a broker that cannot take the task. See
`services` for how it is delivered exactly once."""
