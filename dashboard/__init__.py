"""The newsroom's window on pannes: a French Streamlit dashboard reading the store.

app.py sets up navigation and the empty state, data.py caches store queries, views/ holds
one page per file; helpers are named for what they do (render, charts, filters, urlstate…).
"""
