"""Package data of the demo newsroom: article texts (JSON) and the seed article (text)."""
