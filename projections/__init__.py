"""Read models kept from the event log: the register, certificates, the bitemporal ladder history,
the change feed, deadlines and staff worklists. They are disposable: a new version rebuilds from
the events beside the old one.
"""
