-- Auto-replies: each command is a queue of its own (ordering key = dedup key), so one that failed for good no longer
-- holds back the incident's later commands (docs/decisions/0019). Unfinished messages get their new key, and a
-- command id (they were told apart by the issue's updatedAt, which stays their id).
update outbox
   set ordering_key = dedup_key,
       payload = payload || jsonb_build_object('commandId', payload ->> 'issueUpdatedAt')
 where kind = 'autoreply.send' and status <> 'DONE';
