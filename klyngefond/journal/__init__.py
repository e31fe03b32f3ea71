"""The journal: one list of dated postings that every balance in klyngefond is a query over.

``build.py`` turns a ledger's records into transactions in one pass in date order;
``query.py`` answers the questions every view asks (what a partner has in a period on a
date, what each grant's shares are, what is open on an invoice); ``capacity.py`` says how
much a new decision can draw; ``invariants.py`` is the list of rules the journal must
satisfy, run both when a decision is recorded and by ``klyngefond check``.
``docs/journal.md`` describes the accounts and the period rule for people.
"""
