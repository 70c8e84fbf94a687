-- Bounce suppression (decision 0012): auto-replies look up whether a recipient bounced hard lately.
create index email_message_bounce_recipient_idx on email_message (lower(bounce_detail ->> 'finalRecipient'), stored_at)
    where auto_kind = 'BOUNCE';
