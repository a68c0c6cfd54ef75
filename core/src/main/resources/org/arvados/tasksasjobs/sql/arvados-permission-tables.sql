-- The Arvados API server's groups and links tables (docs/arvados.md §7, "Permissions"): the columns the gateway's
-- permission walk reads, and the indexes it walks by. For test beds and benchmarks; a real cluster has them.
CREATE TABLE IF NOT EXISTS groups (
    id serial PRIMARY KEY,
    uuid varchar(255) NOT NULL UNIQUE,
    owner_uuid varchar(255) NOT NULL,
    name varchar(255),
    group_class varchar(255)
);
CREATE INDEX IF NOT EXISTS index_groups_on_owner_uuid ON groups (owner_uuid);
CREATE TABLE IF NOT EXISTS links (
    id serial PRIMARY KEY,
    uuid varchar(255) UNIQUE,
    owner_uuid varchar(255),
    tail_uuid varchar(255),
    link_class varchar(255),
    name varchar(255),
    head_uuid varchar(255)
);
CREATE INDEX IF NOT EXISTS index_links_on_tail_uuid ON links (tail_uuid);
CREATE INDEX IF NOT EXISTS index_links_on_head_uuid ON links (head_uuid);
