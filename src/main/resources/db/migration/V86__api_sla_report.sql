-- SLA statistics (GET /api/v1/reports/sla, decision 0028) count an incident as met or breached against deadlines
-- stored on its report row, so the statistics' SQL compares columns and never works out an SLA itself.
--
-- sla_deadline: the deadline in effect. The SLA clock (decision 0027) adds this column in its own migration and fills
-- it in incident_report_refresh (business calendars, pauses; null while paused). Where it is not there yet, it is
-- added here with the wall clock's deadline, SLA start plus the type's minutes (docs/domain.md, "Incident types and
-- SLA"), kept by a trigger; where it is, this migration leaves it alone.
--
-- vendor_deadline: the contractor's deadline, the first hand-over plus the type's minutes (docs/sla.md, "Contractor
-- SLA: Tracker's times"), the one the incidents report shows as vendor_deadline.

alter table incident_report add column vendor_deadline timestamptz;

create function incident_report_vendor_deadline() returns trigger language plpgsql as $$
begin
    new.vendor_deadline := new.handed_over_at + new.sla_minutes * interval '1 minute';
    return new;
end $$;

create trigger incident_report_vendor_deadline before insert or update of handed_over_at, sla_minutes
    on incident_report for each row execute function incident_report_vendor_deadline();

do $$
begin
    if not exists (select 1 from information_schema.columns
                   where table_schema = current_schema() and table_name = 'incident_report'
                     and column_name = 'sla_deadline') then
        alter table incident_report add column sla_deadline timestamptz;
        create function incident_report_wall_clock_deadline() returns trigger language plpgsql as $f$
        begin
            new.sla_deadline := new.incident_at + new.sla_minutes * interval '1 minute';
            return new;
        end $f$;
        create trigger incident_report_wall_clock_deadline before insert or update of incident_at, sla_minutes
            on incident_report for each row execute function incident_report_wall_clock_deadline();
    end if;
end $$;

-- The rows already there: an update of a column the triggers watch fills them (their versions, and so the incidents
-- report's ETags, stay as they are: nothing it shows changed).
update incident_report set sla_minutes = sla_minutes;
