"""Fault injection against an Elasticsearch node of the module's own: kill -9, write blocks, a frozen node."""
