import streamlit as st

exercise = st.query_params.get("exercise")
st.title("Practice")
if exercise:
    st.text_area("Your explanation", key=f"explain:{exercise}:text")
    if st.button("Submit for grading", key="submit"):
        st.caption("Submitted")
