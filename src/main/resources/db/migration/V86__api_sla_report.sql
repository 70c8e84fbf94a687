-- SLA statistics (GET /api/v1/reports/sla, decision 0028) count an incident as met or breached against the deadline
-- in effect, stored on its report row, so the statistics' SQL compares columns and never works out an SLA itself.
-- Today the deadline is the SLA start plus the type's minutes (docs/domain.md, "Incident types and SLA"); the
-- contractor's is the first hand-over plus the same minutes. This trigger is the one place that says so: a clock that
-- stores another deadline (a business calendar, pauses) changes it here, and both reports follow.

alter table incident_report
    add column sla_deadline    timestamptz,
    add column vendor_deadline timestamptz;

create function incident_report_deadlines() returns trigger language plpgsql as $$
begin
    new.sla_deadline := new.incident_at + new.sla_minutes * interval '1 minute';
    new.vendor_deadline := new.handed_over_at + new.sla_minutes * interval '1 minute';
    return new;
end $$;

create trigger incident_report_deadlines before insert or update of incident_at, handed_over_at, sla_minutes
    on incident_report for each row execute function incident_report_deadlines();

-- The rows already there: an update of a column the trigger watches fills them (their versions, and so the incidents
-- report's ETags, stay as they are: nothing it shows changed).
update incident_report set sla_minutes = sla_minutes;
