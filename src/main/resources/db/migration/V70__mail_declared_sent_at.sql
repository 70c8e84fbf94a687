-- A mail's Date header when the server's delivery time (INTERNALDATE) replaced it as the mail's time, because it was
-- more than a few minutes ahead of it (docs/sla.md): the SLA starts at sent_at, and this keeps what the sender wrote.
alter table email_message add column declared_sent_at timestamptz;
