"""The Elasticsearch side of jobmatch: the client and cluster checks; queries come with the matcher."""
