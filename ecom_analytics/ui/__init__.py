"""The only part of the package that imports Streamlit: state, cached loaders and shared widgets."""
