-- The recovery sweep's index, narrowed to queries that bound submitted_at, as the sweep does. The
-- added test always holds (a submitted attempt has a submitted_at); it is there so that statements
-- testing only the status cannot use the index. The award statements pick a batch by id and test
-- its status: with the old predicate their generic plans read this index whole, which looks cheap
-- when the table is analysed with few attempts pending, and holds every queued attempt under a
-- backlog (46 ms a statement at 50,000 queued, four statements a batch).
CREATE INDEX attempts_pending_since ON attempts (submitted_at)
    WHERE status = 'submitted' AND submitted_at IS NOT NULL;
DROP INDEX attempts_pending;
ALTER INDEX attempts_pending_since RENAME TO attempts_pending;
