/*
 * keys: the reviewer UI's key table. Every key maps to an action (never
 * straight to code); the actions come from one X-macro list that also yields
 * their names (for `bind KEY ACTION` in the config) and the help screen.
 * Knows curses key codes but draws nothing and never touches the queue.
 */
#ifndef SIGNOFF_KEYS_H
#define SIGNOFF_KEYS_H

#include "signoff/util.h"

/* id, name (as in `bind`), default keys (space separated, see keys_parse),
 * help text. The help screen lists them in this order. */
#define KEYS_ACTION_LIST(X)                                                    \
    X(KA_DOWN, "down", "j <Down>", "move down / scroll down")                 \
    X(KA_UP, "up", "k <Up>", "move up / scroll up")                           \
    X(KA_PAGE_DOWN, "page-down", "<Space> <PageDown> ^F", "next page")        \
    X(KA_PAGE_UP, "page-up", "- <PageUp> ^B", "previous page")                \
    X(KA_TOP, "top", "g <Home>", "go to the top")                             \
    X(KA_BOTTOM, "bottom", "G <End>", "go to the bottom")                     \
    X(KA_OPEN, "open", "<Enter>", "open (claim) the selected draft")          \
    X(KA_BACK, "quit", "q", "back to the queue / quit")                       \
    X(KA_HELP, "help", "?", "this help")                                      \
    X(KA_APPROVE, "approve", "a", "approve the draft as it is")               \
    X(KA_EDIT, "edit", "e", "edit in $VISUAL/$EDITOR, then confirm the diff") \
    X(KA_REJECT, "reject", "r", "reject with a reason and a note")            \
    X(KA_ESCALATE, "escalate", "x",                                          \
      "escalate to a supervisor with a reason and a note")                    \
    X(KA_SKIP, "skip", "s", "skip: release the draft to others")              \
    X(KA_UNDO, "undo", "u", "undo my last decision")                          \
    X(KA_PANE, "switch-pane", "<Tab>", "switch between body and citations")   \
    X(KA_CITE_NEXT, "next-citation", "n", "next citation")                    \
    X(KA_CITE_PREV, "prev-citation", "N", "previous citation")                \
    X(KA_INPUT, "toggle-input", "i", "expand / fold the input")               \
    X(KA_SEARCH, "search", "/", "search in the draft (empty: next match)")    \
    X(KA_LIMIT, "limit", "l", "limit the queue: ~w ~m ~c<0.6 ~g ~e words")    \
    X(KA_INBOX, "inbox", "E", "supervisors: the escalated drafts (again: all)") \
    X(KA_RELOAD, "reload", "R", "reload the queue and its counts now")        \
    X(KA_PIPE, "pipe", "|", "pipe the draft to a shell command")              \
    X(KA_MONITOR, "monitor", "m", "override-rate monitor")                    \
    X(KA_REDRAW, "redraw", "^L", "redraw the screen")                         \
    X(KA_REVIEWS, "reviews", "v", "four-eyes: the reviews, with edit diffs")  \
    X(KA_GUIDELINES, "guidelines", "w",                                        \
      "the workflow's guidelines, again: citations")                       \
    X(KA_ADOPT, "adopt", "A", "resolve: adopt one review as the final one") \
    X(KA_MINE, "my-decisions", "H", "my decisions: today and the last 7 days")\
    X(KA_TAG, "tag", "t", "tag / untag the selected draft")                   \
    X(KA_BULK, "bulk", ";", "supervisors: release, escalate, reassign tagged") \
    X(KA_MESSAGES, "messages", "L", "the message log: recent messages, whole")

enum keys_action {
    KA_NONE = -1,
#define KEYS_X_ENUM(id, name, keys, help) id,
    KEYS_ACTION_LIST(KEYS_X_ENUM)
#undef KEYS_X_ENUM
        KA_COUNT
};

/* A key table: defaults, then the config's `bind` lines. Opaque. */
struct keys;

/* A table with the default bindings. Free with keys_free. */
struct keys *keys_new(void);
/* Free a table (NULL is fine). */
void keys_free(struct keys *k);

/* Bind key (as keys_parse reads it) to the action named action; the key
 * leaves any action it had. Action "none" unbinds the key. */
enum so_status keys_bind(struct keys *k, const char *key, const char *action,
                         struct so_error *err);

/* The action bound to curses key code ch, or KA_NONE. */
enum keys_action keys_lookup(const struct keys *k, int ch);

/* Parse a key name: a single character ("a", "|", UTF-8 not allowed),
 * "^X" (control), "<Enter>", "<Tab>", "<Space>", "<Esc>", "<Up>", "<Down>",
 * "<Left>", "<Right>", "<PageUp>", "<PageDown>", "<Home>", "<End>",
 * "<Backspace>", "F1".."F12" (or "<F1>"). Returns the curses key code or -1. */
int keys_parse(const char *name);

/* The printable name of key code ch ("a", "^L", "<Enter>") into out. */
void keys_name(int ch, char out[16]);

/* Names and help of an action; NULL for an invalid one. */
const char *keys_action_name(enum keys_action a);
const char *keys_action_help(enum keys_action a);
/* KA_NONE when name is not an action. */
enum keys_action keys_action_from_name(const char *name);

/* The keys bound to action a, as "j, <Down>" appended to out ("" if
 * unbound). */
void keys_describe(const struct keys *k, enum keys_action a, struct buf *out);

#endif
