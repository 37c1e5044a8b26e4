/* SPDX-License-Identifier: MIT */
/* `cenum watch`, which main() hands its arguments from "watch" on. */
#ifndef CENUM_TOOLS_WATCH_H
#define CENUM_TOOLS_WATCH_H

/* argv[0] is "watch"; returns the exit status. */
int cenum_watch(int argc, char **argv);

#endif
