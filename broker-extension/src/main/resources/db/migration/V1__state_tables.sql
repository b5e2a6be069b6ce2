-- The gateway's state, one table per kind of row. Each row keeps its protobuf record as bytes
-- (the record is the truth; the key columns exist to find and replace it).
-- Portable: the same script runs on SQLite and PostgreSQL. BYTEA is PostgreSQL's binary type;
-- SQLite accepts any type name and stores the bytes unchanged (numeric affinity leaves blobs alone).

CREATE TABLE identities (
    name TEXT NOT NULL PRIMARY KEY,
    record BYTEA NOT NULL
);

CREATE TABLE communities (
    name TEXT NOT NULL PRIMARY KEY,
    record BYTEA NOT NULL
);

-- A service cannot outlive its community: the state nests services in communities, so an orphan
-- could never be loaded again. Removing a community removes its services in the same change.
CREATE TABLE services (
    community TEXT NOT NULL REFERENCES communities (name),
    name TEXT NOT NULL,
    record BYTEA NOT NULL,
    PRIMARY KEY (community, name)
);

CREATE TABLE client_ids (
    client_id TEXT NOT NULL PRIMARY KEY,
    identity TEXT NOT NULL,
    record BYTEA NOT NULL
);
