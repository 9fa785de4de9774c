/* Every subcommand has one file, cmd_NAME.c, and this signature. argv[0] is
 * the subcommand's name. */
#ifndef CANRUN_COMMANDS_H
#define CANRUN_COMMANDS_H

int cmd_inspect(int argc, char **argv);
int cmd_deps(int argc, char **argv);
int cmd_go(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_targets(int argc, char **argv);
int cmd_harden(int argc, char **argv);
int cmd_scan(int argc, char **argv);
int cmd_host(int argc, char **argv);
int cmd_toolchain(int argc, char **argv);
int cmd_module(int argc, char **argv);
int cmd_trace(int argc, char **argv);
int cmd_tls(int argc, char **argv);

#endif
