/*
 * main: the program entry; everything else is in cli/cli.c and the commands.
 */
#include "signoff/cli/commands.h"

int main(int argc, char **argv)
{
    return cli_main(argc, argv);
}
