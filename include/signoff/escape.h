/*
 * escape: untrusted text (names, reasons, notes, draft text) written into a
 * machine format at exit, by that format's own rules, so that whatever got
 * into the queue (before validation existed, or through a path that
 * forgot it) cannot break the format or reach a terminal as a control
 * sequence. JSON goes through json_print_escaped (json.h) and tables
 * through text_plain (text.h); this module holds the rest. Appends to a
 * buffer; never prints.
 */
#ifndef SIGNOFF_ESCAPE_H
#define SIGNOFF_ESCAPE_H

#include "signoff/util.h"

/* s as one RFC 4180 field: the text itself, in double quotes (each quote
 * doubled) when it holds a comma, quote, CR or LF or starts or ends with a
 * space; as is otherwise. Each invalid UTF-8 sequence becomes U+FFFD, so
 * the file is valid UTF-8. NULL (a missing value) is an empty field. */
void escape_csv_field(struct buf *out, const char *s);

/* s as one RFC 4180 field, byte for byte: quoted as escape_csv_field
 * quotes, every other byte as stored (an export must carry exactly the
 * bytes its hashes cover, even text stored before invalid UTF-8 was
 * refused). NULL is an empty field. */
void escape_csv_raw(struct buf *out, const char *s);

/* A name (workflow, model, reviewer, reason) as one CSV field: as
 * escape_csv_field, after each C0 control, DEL, C1 control and character
 * text_is_hidden() names became a visible <U+XXXX> token (a valid name has
 * none; one stored before names were checked must not drive a terminal
 * that shows the file). */
void escape_csv_name(struct buf *out, const char *s);

/* name="value" for the Prometheus text exposition format: backslash,
 * double quote and line feed escaped as \\, \" and \n; every other C0
 * control, DEL, C1 control and character text_is_hidden() names as a
 * <U+XXXX> token (the format has no escape for them and they must not
 * reach a terminal); invalid UTF-8 as U+FFFD. NULL (a missing value) is "". */
void escape_prom_label(struct buf *out, const char *name, const char *value);

/* The # HELP and # TYPE lines of a metric family. */
void escape_prom_family(struct buf *out, const char *name, const char *type,
                        const char *help);

#endif
