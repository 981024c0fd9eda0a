"""The crawler: fetching (httpx client, politeness, robots, retries), discovery, run planning,
the raw archive and the parse pool. Plain async code, no Prefect: the flows above compose it."""
