"""Command line and Gradio front end."""
