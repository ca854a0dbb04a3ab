"""Use cases: one module per router (same name), the only layer that reaches the store."""
