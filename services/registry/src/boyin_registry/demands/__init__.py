"""Demands: what talents offer and organisations seek, reviewed before they are published."""
