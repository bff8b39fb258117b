"""Provisioning cameras through ISAPI: push settings, plate lists, health and drift repair."""
