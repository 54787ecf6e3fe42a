/*
 * stats_format: a stats report (stats.h) rendered as text for people and
 * machines: an aligned table with sparklines, JSON (cJSON), CSV (RFC 4180)
 * and the Prometheus text exposition format. Returns strings; never prints
 * and never computes a figure itself. Names in a report come from producers
 * and reviewers, so the table shows them through text_plain (controls, bidi
 * and invisible characters as visible tokens); the machine formats escape
 * them by their own rules instead.
 */
#ifndef SIGNOFF_STATS_FORMAT_H
#define SIGNOFF_STATS_FORMAT_H

#include "signoff/stats.h"

/* Output formats of `signoff stats --format`. */
#define STATS_FORMAT_LIST(X)                                                   \
    X(STATS_FMT_TABLE, "table")                                                \
    X(STATS_FMT_JSON, "json")                                                  \
    X(STATS_FMT_CSV, "csv")                                                    \
    X(STATS_FMT_PROMETHEUS, "prometheus")

enum stats_format {
#define STATS_X_ENUM(id, name) id,
    STATS_FORMAT_LIST(STATS_X_ENUM)
#undef STATS_X_ENUM
        STATS_FMT_COUNT
};

/* -1 when name is not a format. */
int stats_format_from_name(const char *name);

/* The report in format fmt, NUL-terminated, ending in a newline. The table
 * format fits width columns (> 0: the least important columns dropped,
 * keys cut, long lines wrapped; table.h), or shows everything (<= 0).
 * Caller frees. */
char *stats_format_report(const struct stats_report *rep,
                          enum stats_format fmt, int width);

/* The result of `stats --check` (alerts[i] for each workflow) in fmt:
 * table names each workflow over its threshold, one a line (nothing when
 * none is; a line wider than width > 0 wrapped, its continuation
 * indented); json is {"over":[...],"workflows":[...]}. Caller frees. */
char *stats_format_alerts(const struct stats_alert *alerts, size_t n,
                          enum stats_format fmt, int width);

/* One workflow's automation over its own window (automate_phase_rows
 * fills them from the workflows). */
struct stats_phase {
    const char *workflow;
    const char *phase;          /* "automate" or "augment" */
    int automate;               /* 1 in automate phase */
    int64_t window_ms;
    int64_t auto_decided;       /* approved automatically */
    int64_t sampled;            /* sampled drafts people decided */
    int64_t sampled_overrides;  /* of them edited or rejected */
    double rate, lo, hi;        /* their override rate and Wilson 95%
                                   interval; -1s while none is decided */
};

/* `stats --by phase` in fmt: a row per workflow. JSON is
 * {"by":"phase","groups":[...]}, CSV has CRLF line ends, Prometheus
 * leaves out a rate that is not defined. Caller frees. */
char *stats_format_phase(const struct stats_phase *rows, size_t n,
                         enum stats_format fmt);

/* The Prometheus families of the automation (signoff_workflow_automate,
 * signoff_automate_*): stats --by phase and /metrics write them alike. */
void stats_format_prom_phase(struct buf *out, const struct stats_phase *rows,
                             size_t n);

/* A group key or reason for people: "(none)" for a missing one (NULL).
 * Tables only; the machine formats write null, an empty field or an empty
 * label value, which no real name can be. */
const char *stats_format_key(const char *key);

/* Day number (days since the epoch) as YYYY-MM-DD into out. */
void stats_format_day(int64_t day, char out[16]);

/* "12.5%" style percentage of a 0..1 figure into out ("-" when < 0). */
void stats_format_pct(double v, char out[16]);
/* A duration in ms as "850ms", "4.2s", "3.1m" into out ("-" when < 0). */
void stats_format_ms(double ms, char out[16]);

/* A duration as stats_format_ms up to an hour, then "1.9h", from two days
 * "3.2d"; "-" when ms < 0. */
void stats_format_span(double ms, char out[16]);

/* An amount with its currency ("0.0123 USD" under 1, "12.50 USD"), or
 * "-" when v < 0. */
void stats_format_money(double v, const char *cur, char out[48]);

/* The samples of metric{label="key",kind=ai|human|total,currency=...} for
 * the amounts of c that are defined (Prometheus text; label values
 * escaped): stats --format prometheus and /metrics write cost alike. */
void stats_format_prom_cost(struct buf *out, const char *metric,
                            const char *label, const char *key,
                            const struct stats_cost *c);

/* The "cost" object of a stats group (JSON reports, the monitor's
 * figures): currency, per-task amounts, percentiles, SLA counts; null
 * where undefined. */
struct cJSON;
struct cJSON *stats_format_cost_json(const struct stats_cost *c);

#endif
