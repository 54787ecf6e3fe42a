/*
 * draft_json: drafts as JSON. Parses the producers' JSON Lines input
 * (DESIGN.md section 3) into struct so_draft with every field type- and
 * size-checked, serializes drafts (with their queue state) for
 * `show --format json` and the HTTP protocol and parses that back for the
 * remote client, reads JSONL files line by line, and fingerprints a draft's
 * content.
 *
 * Input rules: required id, workflow (strings of 1..SO_MAX_ID bytes, no
 * control characters) and body (non-empty, <= SO_MAX_BODY bytes); optional
 * model (like id), confidence (number 0..1), title (<= SO_MAX_FIELD), input
 * (<= SO_MAX_BODY), priority (integer, int range), metadata (object, kept as
 * compact JSON text) and citations (array of <= SO_MAX_CITATIONS objects:
 * n integer >= 1 required and unique, title/uri/quote <= SO_MAX_FIELD,
 * excerpt <= SO_MAX_BODY). A JSON null counts as absent for optional fields.
 * Unknown keys are ignored and not kept (producers may send more than we
 * use); keys differing only in case from another are refused by the strict
 * parser. Lines are at most SO_MAX_LINE bytes, nesting at most SO_MAX_DEPTH.
 * Errors read "field: why" ("citations[2].quote: expected a string"); the
 * caller prefixes FILE:LINE.
 *
 * Must not: print, exit, touch the queue.
 */
#ifndef SIGNOFF_DRAFT_JSON_H
#define SIGNOFF_DRAFT_JSON_H

#include <stdio.h>

#include <cJSON.h>

#include "signoff/queue.h"
#include "signoff/util.h"

/* Parse one input line (text need not be NUL-terminated) into a new draft
 * (queue state zeroed, confidence -1 when absent). SO_ERR_INVALID or
 * SO_ERR_TOOLARGE with "field: why" on bad input. */
enum so_status draft_from_jsonl(const char *line, size_t len,
                                struct so_draft **out, struct so_error *err);

/* Content and, when with_state, queue state as a JSON object:
 * id, workflow, model, confidence, title, input, body, priority, metadata,
 * citations [{n,title,uri,excerpt,quote}] and then status, created_at,
 * claimed_by, lease_until, lease_token, attempts, reviews_needed,
 * reviews_done, last_action. Absent values are omitted. Caller frees with
 * cJSON_Delete; never NULL. */
cJSON *draft_to_cjson(const struct so_draft *d, int with_state);

/* draft_to_cjson as compact text. Owned; never NULL. */
char *draft_to_json(const struct so_draft *d, int with_state);

/* Parse an object made by draft_to_cjson (a server reply) with the input
 * rules plus the state fields. */
enum so_status draft_from_cjson(const cJSON *obj, struct so_draft **out,
                                struct so_error *err);

/* draft_from_cjson on text: strict parse first (json_parse_strict). */
enum so_status draft_from_json(const char *text, size_t len,
                               struct so_draft **out, struct so_error *err);

/* Hex SHA-256 of the canonical compact JSON of the content fields (no queue
 * state), so the store can tell "same id, same content" from "same id, other
 * content". */
void draft_content_sha(const struct so_draft *d, char out[65]);

/* Outcome of reading one JSONL line. */
enum draft_read {
    DRAFT_READ_OK,    /* *out is a draft */
    DRAFT_READ_BAD,   /* the line is bad: err says "field: why" */
    DRAFT_READ_EMPTY, /* an empty (or blank) line: err says "empty line";
                         bad input per DESIGN.md, but reading goes on */
    DRAFT_READ_END,   /* no more lines */
    DRAFT_READ_IOERR  /* the stream failed: err says why; stop */
};

/* A JSONL reader over a FILE*. Lines end at '\n'; a trailing '\r' is
 * dropped; the last line may lack its newline. A line over SO_MAX_LINE is
 * reported and skipped without holding it in memory. */
struct draft_reader;

/* A reader over f (borrowed; not closed by the reader). */
struct draft_reader *draft_reader_new(FILE *f);

/* Read and parse the next line. *lineno is its 1-based line number (also
 * for bad and empty lines). */
enum draft_read draft_reader_next(struct draft_reader *r, struct so_draft **out,
                                  size_t *lineno, struct so_error *err);

/* Bytes consumed so far (for progress bars). */
size_t draft_reader_offset(const struct draft_reader *r);

/* Free the reader (NULL is fine). */
void draft_reader_free(struct draft_reader *r);

#endif
