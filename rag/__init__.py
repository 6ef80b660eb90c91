"""Settings, retrieval, answering, citations."""
