"""Lambda entry points: a few lines each, one per function in template.yaml."""
