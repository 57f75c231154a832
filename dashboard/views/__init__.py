"""dashboard/views."""
