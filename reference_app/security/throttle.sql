-- Lesson 5: the throttle's counts, in the app's own database, so that every
-- worker sees the same ones and a restart forgets none. One row per key:
-- "login:<account>:<address>", "address:<address>" or "signup:<address>".
create table if not exists throttle_counts (
    key text primary key,
    attempts integer not null,  -- counted since the key was last left alone for its window
    last_at real not null,      -- Unix time of the latest attempt
    expires_at real not null    -- when the count is forgotten, unless another attempt comes
);
create index if not exists throttle_counts_by_expiry on throttle_counts (expires_at);
