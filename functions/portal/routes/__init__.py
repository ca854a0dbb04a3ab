"""HTTP edge: one Router per area (built by a factory), joined into a resolver by build_app."""
