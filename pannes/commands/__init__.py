"""pannes/commands."""
