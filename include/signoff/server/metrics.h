/*
 * metrics: the numbers `signoff serve` exposes at /metrics in the
 * Prometheus text format: request counts by route and HTTP code, a latency
 * histogram, and the queue's own gauges (pending per workflow, decisions by
 * workflow and action, override rate per workflow). Thread-safe counters;
 * rendering only appends text to a buffer. Never does I/O.
 */
#ifndef SIGNOFF_METRICS_H
#define SIGNOFF_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "signoff/queue.h"

struct metrics;

/* Counters for nroutes routes named by route_names (borrowed, static). */
struct metrics *metrics_new(const char *const *route_names, size_t nroutes);
void metrics_free(struct metrics *m);

/* Count one failed authentication (refused: one refused unread while its
 * address is slowed down). */
void metrics_auth_failure(struct metrics *m, int refused);

/* Count one answered request of route (index into route_names) with its
 * HTTP status and latency in microseconds. */
void metrics_observe(struct metrics *m, size_t route, int status,
                     int64_t micros);

/* Append the request counters and the latency histogram. */
void metrics_render_requests(struct metrics *m, struct buf *out);

/* Append the queue's families, named by the Prometheus conventions
 * (promtool check metrics finds nothing): pending drafts per workflow;
 * the counters signoff_decisions_total{workflow,action} and
 * signoff_undos_total{workflow} (from wf[].recorded: they never go down);
 * the gauge signoff_decided_drafts{workflow,action} (current outcomes,
 * from the whole rollup); the override ratio of each workflow over its own
 * window ending at now_ms (left out when nothing was decided there) with
 * the decisions it rests on, its threshold, minimum, window and whether
 * its automation is paused. Label values escaped (escape.h). */
void metrics_render_queue(struct buf *out, const struct so_workflow *wf,
                          size_t nwf, const struct so_rollup *all,
                          int64_t now_ms);

/* Append the per-model families over the last METRICS_MODEL_WINDOW_MS
 * ending at now_ms from by_model (cells folded over reviewers only): the
 * override ratio beside the cost per task, what an owner weighs when
 * switching models (a model with nothing decided is left out). */
#define METRICS_MODEL_WINDOW_MS (7 * 86400000LL)
void metrics_render_models(struct buf *out, const struct so_workflow *wf,
                           size_t nwf, const struct so_rollup *by_model,
                           int64_t now_ms);

#endif
