"""Embed, store and index chunks (Chroma + lexical index). Knows nothing about answering."""
