"""Everything that may refuse or change a request before it is planned: limits, rate limits."""
