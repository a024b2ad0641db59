"""The demo of `manage.py seed_demo`: units, people and about forty cases, told as stories through the services."""
