-- Contractor SLA from Tracker's times (docs/sla.md): a status history row may carry the time the status began in
-- Tracker (the resolution time of a closure, the transition time of a status a dispatcher set), besides the time
-- Dispatch recorded it. After a pull that came late (an outage), the report's hand-over and contractor finish are
-- Tracker's times, not when Dispatch noticed. Rows keep their order by (at, id); only the shown time changes.
alter table incident_status_history add column tracker_at timestamptz;
