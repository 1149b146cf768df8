"""Lantern: one shared system for a safeguarding partnership protecting children from
sexual exploitation."""
