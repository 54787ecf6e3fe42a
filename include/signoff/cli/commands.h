/*
 * commands: the subcommands of signoff, one X-macro list that yields their
 * declarations, the dispatch table (src/cli/dispatch.c) and the --help
 * listing. Only dispatch.c, main.c and a command that runs another (demo
 * runs list) include this; commands themselves speak to cli.h.
 */
#ifndef SIGNOFF_CLI_COMMANDS_H
#define SIGNOFF_CLI_COMMANDS_H

/* X-macro list of commands: name, one-line summary. Yields the
 * declarations, the dispatch table, and the --help listing. */
#define CLI_COMMAND_LIST(X)                                                    \
    X(review, "open the reviewer UI (the default command)")                    \
    X(demo, "create a demo queue and open the reviewer UI on it")              \
    X(init, "create an empty queue file")                                      \
    X(enqueue, "add drafts from JSON Lines (a file or -)")                     \
    X(list, "list drafts")                                                     \
    X(show, "show one draft with its citations and decisions")                 \
    X(claim, "claim the next draft (for scripts)")                             \
    X(decide, "record a decision on a draft")                                  \
    X(stats, "override rates and counts")                                      \
    X(workflow, "workflow settings and the automation kill switch")            \
    X(export, "write the decisions with their audit hashes")                   \
    X(verify, "check the audit chain")                                         \
    X(copy, "copy a queue between stores (SQLite, PostgreSQL)")                \
    X(serve, "serve a queue over HTTP (protocol v1)")                          \
    X(sync, "send decisions waiting in the local outbox")                      \
    X(events, "the outcome feed: audit records in chain order")               \
    X(applied, "record that the producer acted on an outcome")              \
    X(hook, "webhooks of a workflow (Standard Webhooks)")                     \
    X(deliver, "send the webhooks of a local queue (a daemon)")            \
    X(token, "API tokens: create, list, revoke, rotate")                  \
    X(access, "the access review: who may act, and when it was reviewed")   \
    X(gold, "known-answer drafts that check reviewers")

#define CLI_X_DECL(name, summary) int cmd_##name(int argc, char **argv);
CLI_COMMAND_LIST(CLI_X_DECL)
#undef CLI_X_DECL

/* `signoff completion bash|zsh|workflows`: hidden (not in the list above,
 * so not in --help); made from the list and the commands' option tables. */
int cmd_completion(int argc, char **argv);

/* The program: dispatch argv[1] (default: review). */
int cli_main(int argc, char **argv);

#endif
