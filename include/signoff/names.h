/*
 * names: the one rule for names and notes that come from outside, shared by
 * every entry point (CLI options and environment, the config file, enqueue
 * JSON, the server's URL paths and bodies, the tokens file) and by the
 * store as the last check. Validating at entry keeps a name from ever
 * reaching a terminal, a log or a metrics label as something else; output
 * formats still escape what they print.
 *
 * A name (reviewer, workflow, model, owner, reason code): 1 to SO_NAME_MAX
 * bytes of valid UTF-8 with no character text_is_hidden() names (C0 and
 * C1 controls, DEL, bidi controls, invisibles, tag characters) and no
 * U+FFFD (the mark of a byte lost before it came).
 * A note (a decision's note, a pause reason): 1 to max bytes of valid UTF-8
 * with no C0 control but newline and tab, no DEL, no C1 control and no
 * bidi control (U+202A-202E, U+2066-2069, U+200E/F, U+061C). An empty note
 * is refused: leaving the note out is how one says "no note".
 *
 * Messages name the field and the byte offset, never the value. Must not
 * print, allocate or include any layer.
 */
#ifndef SIGNOFF_NAMES_H
#define SIGNOFF_NAMES_H

#include <stddef.h>

#include "signoff/util.h"

#define SO_NAME_MAX 256 /* bytes of a name (SO_MAX_ID of queue.h) */

/* names_check for a person's reviewer name: also refuses "auto", the
 * name automatic decisions are recorded under (automate.h). */
enum so_status names_check_reviewer(const char *field, const char *value,
                                    struct so_error *err);

/* SO_OK when value is a valid name; else SO_ERR_INVALID with "FIELD: why"
 * in err. field names the value for the message ("--reviewer",
 * "workflow"). */
enum so_status names_check(const char *field, const char *value,
                           struct so_error *err);

/* SO_OK when value is a valid note of at most max bytes; else
 * SO_ERR_INVALID (SO_ERR_TOOLARGE when too long) with "FIELD: why". */
enum so_status names_check_note(const char *field, const char *value,
                                size_t max, struct so_error *err);

#endif
