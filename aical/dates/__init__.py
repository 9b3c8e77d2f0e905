"""The date engine: era table and numerals (:mod:`.era`), one expression → a span
(:mod:`.spans`), and every date expression in running text (:mod:`.finder`).

It knows nothing of documents or meetings.
"""
