/*
 * keys: the key table of the reviewer UI. Defaults come from
 * KEYS_ACTION_LIST; `bind KEY ACTION` lines move a key to another action.
 * A key maps to exactly one action. Never draws, never touches the queue.
 */
#include "signoff/keys.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One binding: a key code and its action. */
struct binding {
    int ch;
    enum keys_action action;
};

struct keys {
    struct binding *b;
    size_t n;
};

struct action_info {
    const char *name;
    const char *keys;
    const char *help;
};

static const struct action_info actions[KA_COUNT] = {
#define KEYS_X_INFO(id, name, keys, help) {name, keys, help},
    KEYS_ACTION_LIST(KEYS_X_INFO)
#undef KEYS_X_INFO
};

/* Named keys: "<Enter>" and friends. Several codes print as the first. */
static const struct {
    const char *name;
    int ch;
} named[] = {
    {"<Enter>", '\n'},         {"<Enter>", '\r'},
    {"<Enter>", KEY_ENTER},    {"<Tab>", '\t'},
    {"<Space>", ' '},          {"<Esc>", 27},
    {"<Up>", KEY_UP},          {"<Down>", KEY_DOWN},
    {"<Left>", KEY_LEFT},      {"<Right>", KEY_RIGHT},
    {"<PageUp>", KEY_PPAGE},   {"<PageDown>", KEY_NPAGE},
    {"<Home>", KEY_HOME},      {"<End>", KEY_END},
    {"<Backspace>", KEY_BACKSPACE}, {"<Backspace>", 127},
};

int keys_parse(const char *name)
{
    if (!name || !*name)
        return -1;
    if (name[1] == '\0')
        return (unsigned char)name[0] < 0x80 ? (unsigned char)name[0] : -1;
    if (name[0] == '^' && name[2] == '\0') {
        char c = name[1];
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        return c >= '@' && c <= '_' ? c - '@' : -1;
    }
    /* F5 or <F5> */
    const char *f = name[0] == '<' ? name + 1 : name;
    if ((f[0] == 'F' || f[0] == 'f') && f[1] >= '1' && f[1] <= '9') {
        char *end;
        long n = strtol(f + 1, &end, 10);
        int closed = name[0] == '<' ? end[0] == '>' && end[1] == '\0'
                                    : end[0] == '\0';
        return closed && n >= 1 && n <= 12 ? KEY_F((int)n) : -1;
    }
    for (size_t i = 0; i < SO_ARRAY_LEN(named); i++)
        if (strcmp(named[i].name, name) == 0)
            return named[i].ch;
    return -1;
}

void keys_name(int ch, char out[16])
{
    for (size_t i = 0; i < SO_ARRAY_LEN(named); i++) {
        if (named[i].ch == ch) {
            snprintf(out, 16, "%s", named[i].name);
            return;
        }
    }
    if (ch >= KEY_F(1) && ch <= KEY_F(12))
        snprintf(out, 16, "F%d", ch - KEY_F(0));
    else if (ch >= 0 && ch < 32)
        snprintf(out, 16, "^%c", ch + '@');
    else if (ch > 32 && ch < 127)
        snprintf(out, 16, "%c", ch);
    else
        snprintf(out, 16, "<%d>", ch);
}

const char *keys_action_name(enum keys_action a)
{
    return (int)a >= 0 && a < KA_COUNT ? actions[a].name : NULL;
}

const char *keys_action_help(enum keys_action a)
{
    return (int)a >= 0 && a < KA_COUNT ? actions[a].help : NULL;
}

enum keys_action keys_action_from_name(const char *name)
{
    for (int i = 0; name && i < KA_COUNT; i++)
        if (strcmp(actions[i].name, name) == 0)
            return (enum keys_action)i;
    return KA_NONE;
}

/* Drop every binding of ch. */
static void unbind(struct keys *k, int ch)
{
    size_t j = 0;
    for (size_t i = 0; i < k->n; i++)
        if (k->b[i].ch != ch)
            k->b[j++] = k->b[i];
    k->n = j;
}

static void bind_code(struct keys *k, int ch, enum keys_action a)
{
    unbind(k, ch);
    k->b = xrealloc(k->b, (k->n + 1) * sizeof *k->b);
    k->b[k->n].ch = ch;
    k->b[k->n].action = a;
    k->n++;
}

/* Bind the key called name, with the other codes a terminal may send for
 * the same named key (Enter is \r, \n or KEY_ENTER). -1 if not a key. */
static int bind_name(struct keys *k, const char *name, enum keys_action a)
{
    int ch = keys_parse(name);
    if (ch < 0)
        return -1;
    bind_code(k, ch, a);
    for (size_t i = 0; i < SO_ARRAY_LEN(named); i++)
        if (strcmp(named[i].name, name) == 0 && named[i].ch != ch)
            bind_code(k, named[i].ch, a);
    return 0;
}

/* Bind every key named in the space-separated list. */
static void bind_defaults(struct keys *k, enum keys_action a, const char *list)
{
    char *copy = xstrdup(list);
    char *save = NULL;
    for (char *w = strtok_r(copy, " ", &save); w;
         w = strtok_r(NULL, " ", &save))
        bind_name(k, w, a);
    free(copy);
}

struct keys *keys_new(void)
{
    struct keys *k = xcalloc(1, sizeof *k);
    for (int a = 0; a < KA_COUNT; a++)
        bind_defaults(k, (enum keys_action)a, actions[a].keys);
    return k;
}

void keys_free(struct keys *k)
{
    if (!k)
        return;
    free(k->b);
    free(k);
}

enum so_status keys_bind(struct keys *k, const char *key, const char *action,
                         struct so_error *err)
{
    int ch = keys_parse(key);
    if (ch < 0)
        return so_fail(err, SO_ERR_INVALID,
                       "bind %s: unknown key (a character, ^X, <Enter>, "
                       "<Down>, F5 ...)",
                       key);
    if (strcmp(action, "none") == 0) {
        unbind(k, ch);
        return SO_OK;
    }
    enum keys_action a = keys_action_from_name(action);
    if (a == KA_NONE)
        return so_fail(err, SO_ERR_INVALID,
                       "bind %s %s: unknown action (an action name of the "
                       "Keys table in signoff(1), such as approve, or none)",
                       key, action);
    bind_name(k, key, a);
    return SO_OK;
}

enum keys_action keys_lookup(const struct keys *k, int ch)
{
    for (size_t i = 0; i < k->n; i++)
        if (k->b[i].ch == ch)
            return k->b[i].action;
    return KA_NONE;
}

void keys_describe(const struct keys *k, enum keys_action a, struct buf *out)
{
    char seen[8][16];
    size_t nseen = 0;
    for (size_t i = 0; i < k->n; i++) {
        if (k->b[i].action != a)
            continue;
        char name[16];
        keys_name(k->b[i].ch, name);
        int dup = 0;
        for (size_t j = 0; j < nseen; j++)
            dup |= strcmp(seen[j], name) == 0;
        if (dup)
            continue;
        if (nseen < SO_ARRAY_LEN(seen))
            memcpy(seen[nseen++], name, sizeof name);
        buf_adds(out, nseen > 1 ? ", " : "");
        buf_adds(out, name);
    }
}
