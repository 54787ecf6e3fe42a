/* cmd_enqueue: placeholder until its issue lands. */
#include "signoff/cli.h"

int cmd_enqueue(int argc, char **argv)
{
    (void)argc;
    cli_error(argv[0], "not built yet");
    return EXIT_FAIL;
}
