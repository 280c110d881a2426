"""Kiosque's Flask front end: the search page and the JSON API, thin over ``search``.

Not written yet: it arrives with the web page issue. Until then ``make run``
prints searches from the terminal.
"""
