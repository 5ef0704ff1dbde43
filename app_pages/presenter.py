import streamlit as st

st.info("Coming soon")
