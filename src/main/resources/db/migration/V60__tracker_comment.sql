-- One owner per table (decision 0018): which mail became which Tracker comment is the tracker feature's record, kept
-- in its own table instead of a column of the mail feature's email_message. email_attachment.tracker_attachment_id
-- has not been written since the uploads moved to tracker_upload (V42).
create table tracker_comment (
    email_message_id bigint      primary key references email_message (id) on delete cascade,
    comment_id       varchar(64) not null,
    commented_at     timestamptz not null default now()
);

insert into tracker_comment (email_message_id, comment_id)
select id, tracker_comment_id from email_message where tracker_comment_id is not null;

alter table email_message drop column tracker_comment_id;
alter table email_attachment drop column tracker_attachment_id;
