"""The demo: Jiangsu's unions, demo accounts and 300 households with cases, plans and department data (`manage.py
demo`), and `manage.py run` that serves them. It builds on every app, so it sits above them."""
