"""Reusable Streamlit pieces: one submission form and one grade view per task kind, charts."""
