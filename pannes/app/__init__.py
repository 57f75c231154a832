"""The command line and the wiring of the stages: the one place that imports them all."""
