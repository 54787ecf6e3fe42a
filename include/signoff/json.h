/*
 * json: strict JSON parsing and typed field access on top of cJSON, plus
 * small helpers to build JSON output (DESIGN.md section 7b).
 *
 * cJSON 1.7.15 is lenient (its nesting limit is compiled in at 1000, it keeps
 * the last of duplicate keys, truncates strings at \u0000, parses every number
 * as a double). json_parse_strict scans the text before cJSON sees it and
 * walks the tree afterwards so none of that leniency reaches our callers.
 * Getters use only the case-sensitive lookup and never trust valueint.
 *
 * Must not: print, exit, or read files. Library code only.
 */
#ifndef SIGNOFF_JSON_H
#define SIGNOFF_JSON_H

#include <stddef.h>
#include <stdint.h>

#include <cJSON.h>

#include "signoff/util.h"

/* Largest integer a double holds exactly (2^53 - 1); json_get_int refuses
 * anything beyond it, so 2^53 + 1 (which parses as 2^53) is refused too. */
#define JSON_MAX_SAFE_INT 9007199254740991LL

/*
 * Parse text[0..len) as exactly one JSON value. Refused, with SO_ERR_INVALID
 * and a message "json: <what> at byte <offset>":
 *   nesting deeper than max_depth (checked before cJSON runs), invalid UTF-8
 *   (overlong forms and surrogates included), raw control characters or
 *   NUL bytes, \u0000 or a lone surrogate escape in a string, malformed or
 *   truncated JSON, trailing characters after the value, and duplicate keys
 *   in any object at any depth, where keys that differ only in ASCII case
 *   ("action"/"Action") count as duplicates ("<path>: duplicate key ...").
 * text need not be NUL-terminated. On success *out is the tree (caller frees
 * with cJSON_Delete).
 */
enum so_status json_parse_strict(const char *text, size_t len, int max_depth,
                                 cJSON **out, struct so_error *err);

/* Flags of the typed getters. */
#define JSON_OPTIONAL 0
#define JSON_REQUIRED 1

/*
 * Typed getters. Each looks up key in the object parent (case-sensitive) and
 * checks its type. path is the parent's field path used in messages ("" for
 * the top level, "citations[2]"); errors read "citations[2].quote: expected a
 * string". Return values:
 *   SO_OK        the field is present and valid, *out set;
 *   SO_EMPTY     the field is absent or JSON null and flags is JSON_OPTIONAL
 *                (*out untouched);
 *   SO_ERR_INVALID  missing when required, wrong type, out of range;
 *   SO_ERR_TOOLARGE a string longer than max_bytes.
 */

/* A string of at most max_bytes bytes; *out borrows from the tree. */
enum so_status json_get_string(const cJSON *parent, const char *path,
                               const char *key, int flags, size_t max_bytes,
                               const char **out, struct so_error *err);

/* An integer-valued number within [min, max] and within +-(2^53 - 1);
 * 1.5 and 1e300 are refused. */
enum so_status json_get_int(const cJSON *parent, const char *path,
                            const char *key, int flags, int64_t min,
                            int64_t max, int64_t *out, struct so_error *err);

/* A finite number within [min, max]. */
enum so_status json_get_double(const cJSON *parent, const char *path,
                               const char *key, int flags, double min,
                               double max, double *out, struct so_error *err);

/* true or false; *out is 1 or 0. */
enum so_status json_get_bool(const cJSON *parent, const char *path,
                             const char *key, int flags, int *out,
                             struct so_error *err);

/* An object; *out borrows from the tree. */
enum so_status json_get_object(const cJSON *parent, const char *path,
                               const char *key, int flags, const cJSON **out,
                               struct so_error *err);

/*
 * Every member of the object obj is one of keys (a NULL-terminated list):
 * SO_OK, else SO_ERR_INVALID naming the first other one and what the
 * object takes ("path.key: unknown key (expected one of: a, b)"; "takes
 * no members" for an empty list). A request body checked with it before
 * any work is done never has a misspelt setting silently ignored.
 */
enum so_status json_only_keys(const cJSON *obj, const char *path,
                              const char *const *keys, struct so_error *err);

/* An array of at most max_items elements; *out borrows from the tree. */
enum so_status json_get_array(const cJSON *parent, const char *path,
                              const char *key, int flags, size_t max_items,
                              const cJSON **out, struct so_error *err);

/* Compact JSON text of item (cJSON_PrintUnformatted). Owned by the caller
 * (free()); aborts on out-of-memory like xmalloc, never returns NULL. */
char *json_print(const cJSON *item);

/* Indented JSON text of item, for humans. Owned; never NULL. */
char *json_print_pretty(const cJSON *item);

/*
 * JSON text of item for a terminal (compact, or indented when pretty is
 * non-zero): as cJSON prints it, except that every character
 * text_is_hidden() names (DEL, C1 controls, bidi controls, invisibles, tag
 * characters; cJSON already escapes C0) is written as a \uXXXX escape (a
 * surrogate pair above U+FFFF) and each invalid UTF-8 sequence as \ufffd.
 * Such bytes only occur inside strings, so the text parses back to the same
 * strings; other UTF-8 stays as is. Owned; never NULL.
 */
char *json_print_escaped(const cJSON *item, int pretty);

/* Builders that abort on out-of-memory instead of returning NULL. */
cJSON *json_new_object(void);
cJSON *json_new_array(void);

/* Add key: s as a string, or null when s is NULL. */
void json_add_string(cJSON *obj, const char *key, const char *s);
/* Add key: v as a number. cJSON prints 15 significant digits, so v is
 * exact below 10^15 (millisecond timestamps have 13). */
void json_add_int(cJSON *obj, const char *key, int64_t v);
/* Add key: v as a number. */
void json_add_double(cJSON *obj, const char *key, double v);
/* Add key: true/false. */
void json_add_bool(cJSON *obj, const char *key, int v);
/* Add key: item (ownership of item passes to obj). */
void json_add_item(cJSON *obj, const char *key, cJSON *item);

/* The protocol's error object {"error":{"code":..,"message":..}} as compact
 * text, code from so_status_name(code). Owned; never NULL. */
char *json_error_text(enum so_status code, const char *message);

#endif
