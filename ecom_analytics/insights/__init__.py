"""Insights: descriptive views of the cleaned tables (overview, cohorts, funnel, products, RFM segments, customer features, periods)."""
