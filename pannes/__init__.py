"""pannes: a watch on IT and service outages reported by the French tech and media press."""

__version__ = "0.1.0"
