-- The closure a mail from outside answered when it reopened the incident: its finish time, which is Tracker's
-- resolution time (docs/sla.md, "Mail after closing"). Until Tracker has moved the issue out of that closure, the pull
-- must not finish the incident again for it; a later closure (Tracker's time, not ours) finishes it as usual.
alter table incident add column reopened_closure_at timestamptz;
