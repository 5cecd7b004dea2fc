"""Widgets of the app: they show what screens hand them and post messages up."""
