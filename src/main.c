/*
 * main: the program entry; everything else is in cli.c and the commands.
 */
#include "signoff/cli.h"

int main(int argc, char **argv)
{
    return cli_main(argc, argv);
}
