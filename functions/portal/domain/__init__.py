"""Pure domain logic: no HTTP, no boto3."""
