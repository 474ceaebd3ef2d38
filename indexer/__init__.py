"""Index definitions and their lifecycle: versioned physical indices behind aliases, created or upgraded by CLI.

Nothing here imports `jobmatch`: callers hand in an Elasticsearch client and, where vectors are involved, the
embedding model's name and dimensions.
"""
