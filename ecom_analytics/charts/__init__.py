"""Charts: figures per capability. They take results and their text and return a Plotly figure; they never compute a model and never call Streamlit."""
