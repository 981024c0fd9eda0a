"""The bottom layer: errors, typed records and the crawl state every other layer shares, and
process tuning. Imports nothing of pressroom's own beyond this package."""
