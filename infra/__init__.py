"""What runs and operates the portal: the local stack, the demo world, template parsing."""
