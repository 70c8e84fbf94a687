-- Columns that hold text taken from mail had lengths that mail can exceed (a mass-outage mail naming ~60 base stations
-- overflowed location_note's 1024 characters, and the mail was never threaded). They become text; what the service
-- keeps short it cuts itself (ids over 250 characters are stored as a hash, see MessageIds).
alter table incident
    alter column summary type text,
    alter column location_note type text;
alter table email_message
    alter column match_detail type text;
alter table email_attachment
    alter column file_name type text,
    alter column content_type type text,
    alter column content_id type text,
    alter column skipped_reason type text;
