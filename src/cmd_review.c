/* cmd_review: placeholder until its issue lands. */
#include "signoff/cli.h"

int cmd_review(int argc, char **argv)
{
    (void)argc;
    cli_error(argv[0], "not built yet");
    return EXIT_FAIL;
}
