"""Inforequests (neuvontapyyntö): a company asks authorities about a planned project before it
applies, the officials answer, and an answer becomes an application carrying the exchange."""
