/*
 * ui_monitor: the override-rate monitor screen (key m, and `signoff review
 * --monitor`). Per workflow: the override rate over its own window with
 * its Wilson interval, threshold, owner, automation state (paused in the
 * alert colour) and a 30-day sparkline; for the selected workflow a table
 * by reviewer (decisions, override rate, median time, rubber-stamp share)
 * and one by confidence band with the automation-readiness line. Enter
 * pauses or resumes the selected workflow after a confirmation and a
 * reason. Figures come from stats.h over the queue's rollup; drawing goes
 * through ui_draw.h only.
 */
#ifndef SIGNOFF_UI_MONITOR_H
#define SIGNOFF_UI_MONITOR_H

#include "signoff/ui/frame.h"

extern const struct ui_screen_ops ui_monitor_screen;

#endif
