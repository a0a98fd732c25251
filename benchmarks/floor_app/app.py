"""The floor: a two-page Streamlit app that does nothing, driven with the same load as Baton.

It answers the same actions (the practice list, an exercise opened by `?exercise=`, a text area
and a submit button with Baton's keys, a second page at `progress`), so the difference between
its figures and Baton's is what Baton's own work costs per rerun."""

import streamlit as st

st.navigation(
    [
        st.Page("pages/practice.py", title="Practice", default=True),
        st.Page("pages/progress.py", title="My progress", url_path="progress"),
    ]
).run()
