"""Reports: the funnel from published demands to landed agreements, projected from every service's events."""
