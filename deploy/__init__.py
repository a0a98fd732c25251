"""Running Baton past one process: nginx in front of several Streamlit processes (see README.md here)."""
