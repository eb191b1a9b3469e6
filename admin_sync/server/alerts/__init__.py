"""Alerts: kiosks late or offline, kiosk errors, low disk, contacts past their review date;
shown on the console's Alerts page and e-mailed to the administrators who asked for it.

| module | what |
| --- | --- |
| `settings` | `AlertSettings` (`SAFE_AIRPORTS_ALERTS_<NAME>`): thresholds, SMTP, limits |
| `rules` | pure: the conditions at a moment, and the changes against the open alerts |
| `store` | the tables in `server.db`: alerts, events, subscriptions, the mail queue |
| `mail` | the text of a message (grouped per airport) and SMTP delivery |
| `checker` | one check: record the changes, queue the mail, deliver what is due |
| `task` | the server's background task running the checker off the event loop |
"""
