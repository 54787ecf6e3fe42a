/*
 * text: how untrusted UTF-8 is measured and shown. UTF-8 decoding (invalid
 * bytes become U+FFFD), the display sanitizer of DESIGN.md section 7, word
 * wrapping with byte offsets back into the source, and truncation for table
 * columns. The UI and the CLI call this at display time; the stored bytes
 * stay as they came (the store never calls it).
 *
 * Sanitizing rules: '\n' ends a line; '\t' expands to the next multiple of
 * the tab width (8 by default); every other C0 control is a token "^@".."^_"
 * (ESC is "^["), DEL is "^?", C1 controls are "<U+0080>".."<U+009F>"; bidi
 * controls (U+202A-202E, U+2066-2069, U+200E/F, U+061C), invisibles
 * (U+200B-200D, U+2060-2064, U+FEFF, U+00AD, U+2028/9), the other
 * default-ignorable code points except variation selectors (U+034F,
 * U+115F/60, U+17B4/5, U+180B-180F, U+206A-206F, U+3164, U+FFA0,
 * U+FFF0-FFFB, U+1BCA0-3, U+1D173-A) and Unicode tag characters
 * (U+E0000-E007F, used to smuggle hidden ASCII) are "<U+XXXX>" tokens; any
 * other character wcwidth() calls
 * non-printable is a token too; each invalid UTF-8 sequence (maximal
 * subpart, overlong forms and surrogates included) is one U+FFFD token, and
 * so is a U+FFFD in the text (the mark of a byte lost before it came);
 * combining marks beyond 4 on one character ("zalgo" stacks that spill
 * over neighbouring lines; ncurses keeps only 4) are tokens too. Every
 * token counts as one hidden character.
 *
 * Widths come from wcwidth(), so the caller must have set an UTF-8 LC_CTYPE
 * (setlocale(LC_ALL, "")); in the C locale every non-ASCII character shows as
 * a token, which is safe but ugly.
 *
 * Must not: draw, print, keep results in static buffers. All results are
 * owned by the caller.
 */
#ifndef SIGNOFF_TEXT_H
#define SIGNOFF_TEXT_H

#include <stddef.h>
#include <stdint.h>

/*
 * Decode one character at s[*pos] (pos < len) and advance *pos past it.
 * Returns 1 and the code point in *cp for a valid sequence; returns 0 for an
 * invalid one (overlong, surrogate, > U+10FFFF, truncated, stray
 * continuation), sets *cp to U+FFFD and skips the maximal invalid subpart
 * (at least one byte).
 */
int text_utf8_next(const char *s, size_t len, size_t *pos, uint32_t *cp);

/* 1 if s[0..len) is entirely valid UTF-8; else 0 and the offset of the first
 * bad byte in *bad (if bad is non-NULL). */
int text_utf8_valid(const char *s, size_t len, size_t *bad);

/* Encode cp (<= U+10FFFF, not a surrogate) as UTF-8 into out; returns the
 * byte count (1..4), 0 for an unencodable cp. */
size_t text_utf8_encode(uint32_t cp, char out[4]);

/* 1 if cp is a character the sanitizer never shows as itself, whatever the
 * locale: a C0 control, DEL, a C1 control, or one of the bidi controls,
 * invisibles, default-ignorables and tag characters listed above. For
 * output that escapes such characters instead of drawing tokens (JSON). */
int text_is_hidden(uint32_t cp);

/* What a display segment is. */
enum text_seg_kind {
    TEXT_PLAIN, /* printable text: display bytes equal the source bytes */
    TEXT_TOKEN, /* a hidden/control character or invalid byte shown as a
                   visible token ("^H", "<U+202E>", U+FFFD): draw it in
                   reverse video */
    TEXT_BLANK, /* spaces standing for a tab (or for '\n' on one line) */
    TEXT_ELLIPSIS /* the "…" ending a cut line; src_len is 0 */
};

/* A run of display text on one line. Its display bytes are
 * doc->text[off .. off+len); it stands for source bytes
 * [src_off, src_off+src_len). For TEXT_PLAIN the display bytes are exactly
 * the source bytes, so a source offset inside it maps to
 * off + (src_off' - src_off). */
struct text_seg {
    size_t off;
    size_t len;
    size_t src_off;
    size_t src_len;
    int width; /* columns */
    enum text_seg_kind kind;
};

/* One display line: segments segs[seg .. seg+nseg). src_off/src_len cover
 * the source bytes shown on the line (not the '\n' or the spaces swallowed
 * at a wrap). */
struct text_line {
    size_t seg;
    size_t nseg;
    size_t src_off;
    size_t src_len;
    int width; /* columns used; <= the wrap width when that is >= 2 (a
                  wide character is never split; a token, never split
                  either, shows as U+FFFD when its text is wider) */
};

/* A sanitized and laid-out text. Owns everything; free with text_doc_free. */
struct text_doc {
    char *text; /* all display bytes of all segments, NUL-terminated */
    size_t text_len;
    struct text_seg *segs;
    size_t nsegs;
    struct text_line *lines;
    size_t nlines; /* >= 1 (an empty source gives one empty line) */
    size_t hidden;  /* characters shown as tokens */
    size_t src_len; /* bytes of the source */
};

/* Layout flags. */
#define TEXT_ONELINE 1 /* '\n' becomes one space and everything stays on one
                          line; with width > 0 the line is cut to width with
                          a trailing "…" (for index rows and table cells) */

/* Layout options: width 0 = no wrapping (lines end only at '\n');
 * tab_width 0 = 8 (at most 32). */
struct text_opts {
    int width;
    int tab_width;
    int flags;
};

/*
 * Sanitize s[0..len) and lay it out. With a width, lines are wrapped
 * greedily at spaces and tabs (the whitespace at a break is swallowed); a
 * word wider than the width starts a new line and is hard-broken at
 * character boundaries; a wide character or a token never straddles the
 * edge. Leading indentation after '\n' is kept. Never returns NULL.
 * A 1 MiB body takes a few tens of milliseconds.
 */
struct text_doc *text_layout(const char *s, size_t len,
                             const struct text_opts *opts);

/* Free a doc (NULL is fine). */
void text_doc_free(struct text_doc *doc);

/*
 * Where source byte src_off is displayed: the line index and the column of
 * the character containing it. An offset inside swallowed whitespace or a
 * '\n' maps to the end of the line before it. Returns 0, or -1 when src_off
 * is past the source.
 */
int text_doc_locate(const struct text_doc *doc, size_t src_off, size_t *line,
                    int *col);

/* Display width of s[0..len) sanitized on one line (TEXT_ONELINE). */
int text_width(const char *s, size_t len);

/*
 * A plain one-line rendering of s (NUL-terminated) for the CLI and tables:
 * sanitized as above with tokens written as their text and '\n' as a space,
 * cut to width columns with "…" when longer (width <= 0: no limit), and when
 * pad is non-zero padded with spaces to exactly width columns. Owned result,
 * never NULL; NULL s gives "".
 */
char *text_plain(const char *s, int width, int pad);

#endif
