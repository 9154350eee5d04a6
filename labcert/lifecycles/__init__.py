"""Lifecycles: the states of applications and certificates, their transitions and words.

Each lifecycle lives in one module that the models (CHECK constraints), the services (checks),
the pages and the API (buttons, words) all read. Nothing here touches the database.
"""
