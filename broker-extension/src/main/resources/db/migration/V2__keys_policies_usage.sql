-- Keys (R14), access policies (R12) and the policies' usage counters. Same conventions as V1:
-- each row keeps its protobuf record as bytes; the other columns find and replace it.

CREATE TABLE auth_keys (
    key_id TEXT NOT NULL PRIMARY KEY,
    record BYTEA NOT NULL
);

-- scope is the PolicyScope number; target is empty for the gateway's own policy.
CREATE TABLE access_policies (
    scope INTEGER NOT NULL,
    target TEXT NOT NULL,
    record BYTEA NOT NULL,
    PRIMARY KEY (scope, target)
);

-- Saved about once a second, not once per request: a crash loses at most that second's usage.
CREATE TABLE policy_usage (
    identity TEXT NOT NULL,
    scope INTEGER NOT NULL,
    target TEXT NOT NULL,
    record BYTEA NOT NULL,
    PRIMARY KEY (identity, scope, target)
);
