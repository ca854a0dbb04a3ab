"""The load test (`python -m infra.load.run`): many members at once on the local stack, then a check
against the store that nothing acknowledged was lost. Locust runs in its own process (it
monkey-patches the standard library with gevent): never import infra.load.locustfile elsewhere."""
