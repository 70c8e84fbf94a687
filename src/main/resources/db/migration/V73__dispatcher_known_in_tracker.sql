-- Whether Tracker knows the dispatcher's login (docs/dispatchers.md): checked against Tracker's users at start-up and
-- hourly. A login Tracker does not know (mistyped, departed) gets no new incidents: an issue created with it as the
-- assignee would be refused.
alter table dispatcher add column known_in_tracker boolean not null default true;
