"""The DuckDB schema of the corpus store (documented table by table in docs/store.md).

Kept as Python so it ships inside the wheel. No PRIMARY KEY constraints: DuckDB refuses to delete and
re-insert a key in one transaction, which replacing a changed document needs; the store enforces
uniqueness of documents.id and events.uid itself.
"""

SCHEMA_VERSION = "1"

SCHEMA_SQL = """
-- rasd corpus store (DuckDB). Documented in docs/store.md; version in meta('schema').
CREATE TABLE IF NOT EXISTS meta (key VARCHAR, value VARCHAR);

CREATE TABLE IF NOT EXISTS documents (
    id VARCHAR,        -- the record's id (doc.id), unique
    content_hash VARCHAR,          -- sha1 of the input text: same id + same hash = stored once
    outlet VARCHAR,
    published DATE,
    title VARCHAR,
    url VARCHAR,
    chars INTEGER,
    n_events INTEGER,
    text VARCHAR,                  -- the input text (offsets index it); NULL when not kept
    json VARCHAR,                  -- the full rasd.document/1 object
    error VARCHAR,                 -- why the document could not be read (NULL when it was)
    skipped VARCHAR                -- reason code for documents skipped on purpose (e.g. not_arabic)
);

CREATE TABLE IF NOT EXISTS sources (
    doc_id VARCHAR, source_id VARCHAR, name VARCHAR, name_ar VARCHAR, party VARCHAR, kind VARCHAR,
    n_mentions INTEGER
);

CREATE TABLE IF NOT EXISTS events (
    uid VARCHAR,       -- doc_id#E1
    doc_id VARCHAR, event_id VARCHAR,
    event_type VARCHAR, sub_event_type VARCHAR,
    date_start DATE, date_end DATE, time_precision TINYINT, date_prec TINYINT,
    country VARCHAR, admin1 VARCHAR, admin2 VARCHAR, location VARCHAR, location_ar VARCHAR,
    lat DOUBLE, lon DOUBLE, geo_precision TINYINT, where_prec TINYINT,
    actors VARCHAR,                -- JSON list of the event's actors
    actor_ids VARCHAR[],
    fatalities_low BIGINT, fatalities_best BIGINT, fatalities_high BIGINT,
    contested BOOLEAN, civilian_targeting BOOLEAN, confidence DOUBLE,
    json VARCHAR                   -- the event object as in rasd.document/1
);

CREATE TABLE IF NOT EXISTS claims (
    doc_id VARCHAR, event_uid VARCHAR, claim_no INTEGER,
    source_id VARCHAR, source_name VARCHAR, source_party VARCHAR, source_kind VARCHAR,
    stance VARCHAR, text VARCHAR, span_start INTEGER, span_end INTEGER
);

CREATE TABLE IF NOT EXISTS figures (
    doc_id VARCHAR, event_uid VARCHAR, claim_no INTEGER, figure_no INTEGER,
    kind VARCHAR, low BIGINT, best BIGINT, high BIGINT, qualifier VARCHAR, victim_group VARCHAR,
    actor VARCHAR, text VARCHAR, span_start INTEGER, span_end INTEGER
);

CREATE TABLE IF NOT EXISTS clusters (
    id VARCHAR,
    event_type VARCHAR, sub_event_type VARCHAR, date DATE, date_end DATE, country VARCHAR, admin1 VARCHAR,
    location VARCHAR, lat DOUBLE, lon DOUBLE, n_members INTEGER, n_outlets INTEGER,
    fatalities_low BIGINT, fatalities_best BIGINT, fatalities_high BIGINT, contested BOOLEAN,
    json VARCHAR                   -- the cluster object written by rasd.cluster
);

CREATE TABLE IF NOT EXISTS cluster_members (cluster_id VARCHAR, event_uid VARCHAR, doc_id VARCHAR);

CREATE TABLE IF NOT EXISTS errors (doc_id VARCHAR, stage VARCHAR, message VARCHAR);
"""
