-- Incidents brought over from the old service by legacy-import (docs/legacy-import.md): their ids are the old ids,
-- which the old service wrote into Tracker's localId, so an issue whose localId names an imported incident belongs to
-- it (decision 0021). Owned by the incident feature.
alter table incident add column imported_at timestamptz;
