/*
 * ui_agree: the monitor's agreement table (see ui_agree.h). One header,
 * the workflow's line ("all pairs", with its resolutions) and then a line
 * per reviewer pair, as many as fit. Must not read the queue.
 */
#include "signoff/ui/agree.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "signoff/text.h"
#include "signoff/ui/draw.h"

#define AGREE_FMT "%-24s %6s %6s %9s  %s"

static void agree_line(WINDOW *w, int y, int x, int width,
                       const struct agreement_line *l)
{
    char shared[24], pct[16], kappa[16], extra[64] = "";
    char *who = l->reviewer_a
                    ? xasprintf("%s+%s", l->reviewer_a, l->reviewer_b)
                    : xstrdup("all pairs");
    char *name = text_plain(who, 24, 1);
    free(who);
    snprintf(shared, sizeof shared, "%lld", (long long)l->fig.shared);
    snprintf(pct, sizeof pct, "%.1f%%", l->fig.percent);
    if (l->fig.kappa_defined)
        snprintf(kappa, sizeof kappa, "%.3f", l->fig.kappa);
    else
        snprintf(kappa, sizeof kappa, "undefined");
    if (!l->reviewer_a && l->resolved > 0)
        snprintf(extra, sizeof extra, "resolved %lld, %lld with the AI",
                 (long long)l->resolved, (long long)l->sided_ai);
    char line[160];
    snprintf(line, sizeof line, AGREE_FMT, name, shared, pct, kappa, extra);
    free(name);
    ui_draw_text(w, y, x, width, line, TR_NORMAL);
}

int ui_agree_draw(WINDOW *w, int y, int x, int width, int rows,
                  const struct agreement_summary *s, const char *workflow)
{
    int shown = 0;
    for (size_t i = 0; s && i < s->n && shown + 1 < rows; i++) {
        const struct agreement_line *l = &s->lines[i];
        if (strcmp(l->workflow, workflow) != 0)
            continue;
        if (shown++ == 0) {
            char head[96];
            snprintf(head, sizeof head, AGREE_FMT, "FOUR-EYES AGREEMENT",
                     "SHARED", "AGREE", "KAPPA", "");
            ui_draw_text(w, y++, x, width, head, TR_LABEL);
        }
        agree_line(w, y++, x, width, l);
    }
    return y;
}
