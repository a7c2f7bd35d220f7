"""Ecom Analytics: read e-commerce exports, clean them with an audit trail, analyse them.

The library never imports Streamlit (only :mod:`ecom_analytics.ui` does) nor TensorFlow at
import time.
"""

__version__ = "0.1.0"
