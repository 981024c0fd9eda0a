"""Ordered SQL migrations (``NNN_name.sql``), applied once each by
:mod:`pressroom.warehouse.migrate`."""
