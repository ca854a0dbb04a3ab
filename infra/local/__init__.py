"""The local stack: embedded AWS (moto), the gateway serving the site and /api/*, the demo world."""
